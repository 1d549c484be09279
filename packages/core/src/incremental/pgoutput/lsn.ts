const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/

/** The largest LSN: `FFFFFFFF/FFFFFFFF`. */
export const MAX_LSN = 0xffff_ffff_ffff_ffffn

/**
 * An LSN in PostgreSQL's text form (`16/B374D848`, `0/0`; zero-padded halves accepted too) as
 * an unsigned 64-bit number. Compare LSNs as numbers, never as text: `0/A` sorts after `0/10`.
 * @throws TypeError when the text is not an LSN
 */
export function parseLsn(text: string): bigint {
  const match = LSN_TEXT.exec(text)
  if (match === null) throw new TypeError(`not an LSN: ${JSON.stringify(text)} (expected hex X/Y, e.g. 16/B374D848)`)
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`)
}

/** An LSN as PostgreSQL prints it: upper-case hex halves, unpadded (`16/B374D848`). */
export function formatLsn(lsn: bigint): string {
  if (lsn < 0n || lsn > MAX_LSN) throw new RangeError(`an LSN is an unsigned 64-bit number, not ${lsn}`)
  const high = (lsn >> 32n).toString(16).toUpperCase()
  const low = (lsn & 0xffff_ffffn).toString(16).toUpperCase()
  return `${high}/${low}`
}
