/** Every leaf key of a config object, dotted (`api.port`): config tests check that each one is covered. */
export function leafKeys(config: object, prefix = ''): string[] {
  return Object.entries(config).flatMap(([k, v]) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? leafKeys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
