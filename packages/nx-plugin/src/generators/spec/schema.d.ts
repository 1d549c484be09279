export interface SpecGeneratorSchema {
  project: string
  name: string
  sourceUrl?: string
  skipFormat?: boolean
}
