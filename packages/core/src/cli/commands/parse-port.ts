import { InvalidArgumentError } from 'commander'

/** Commander parser of a TCP port option: a whole number from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError('expected a port number from 0 (any free port) to 65535')
  }
  return port
}
