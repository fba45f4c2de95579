import { parseExposition, type Exposition } from '@phoenix/runtime';

/**
 * Transitional name of `parseExposition(text, { strict: true })` from `@phoenix/runtime` (the one parser), kept
 * only for the tests of phoenix-core and phoenix-generators until they call the runtime directly; remove it then.
 */
export function parsePrometheusText(text: string): Exposition {
  return parseExposition(text, { strict: true });
}
