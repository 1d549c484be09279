/**
 * Settings every pgshift session pins, on both sides. Text COPY and text values depend on them:
 * with a source session at DateStyle=SQL,DMY, `2024-02-03` was read back as 2024-03-02.
 */
export const PINNED_SESSION_SETTINGS: Readonly<Record<string, string>> = {
  DateStyle: 'ISO',
  TimeZone: 'UTC',
  IntervalStyle: 'postgres',
  extra_float_digits: '3',
  bytea_output: 'hex',
  client_encoding: 'UTF8',
}

/** The settings as a libpq `options` startup parameter (`-c DateStyle=ISO -c ...`). */
export function sessionOptions(extra: Readonly<Record<string, string>> = {}): string {
  return Object.entries({ ...PINNED_SESSION_SETTINGS, ...extra })
    .map(([name, value]) => `-c ${name}=${value.replace(/([\\ ])/g, '\\$1')}`)
    .join(' ')
}
