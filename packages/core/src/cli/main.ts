import { x } from '@pgshift/schema-diff'
export async function main(argv: string[]): Promise<number> {
  console.log('hello', x, argv.slice(2))
  return 0
}
