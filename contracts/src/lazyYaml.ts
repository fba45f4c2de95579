import type YAML from 'yaml';

let loaded: typeof YAML | undefined;
/**
 * The yaml package, loaded on first use rather than when the contracts are imported: a process that never
 * reads a YAML document (phoenix-agent, whose idle target is < 50 MB RSS) does not pay ~4 MB for it.
 */
export function yaml(): typeof YAML {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load (see above)
  return (loaded ??= require('yaml') as typeof YAML);
}
