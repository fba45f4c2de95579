import { leafKeys } from '@phoenix/testkit';
import { defaultSourcesConfig, validateSourcesConfig, type SourcesConfig } from './config';

const BAD: Array<[string, Partial<SourcesConfig>, string[]]> = [
  ['coreUrl', { coreUrl: '' }, ['sources.coreUrl: is required']],
  ['fullFidelityUrl', { fullFidelityUrl: 'nope' }, ['sources.fullFidelityUrl: must be a URL (got "nope")']],
  ['experimentalTopkUrl', { experimentalTopkUrl: 'ftp://x' }, ['sources.experimentalTopkUrl: must be an http(s) URL (got ftp://x)']],
  ['activeUrl', { activeUrl: 'nope' }, ['sources.activeUrl: must be a URL (got "nope")']],
  ['observerUrl', { observerUrl: 'nope' }, ['sources.observerUrl: must be a URL (got "nope")']],
  ['prometheusUrl', { prometheusUrl: 'ftp://p' }, ['sources.prometheusUrl: must be an http(s) URL (got ftp://p)']],
  ['prometheusSelector', { prometheusSelector: '{job="x"}' }, ['sources.prometheusSelector: give label matchers only, without braces (e.g. job="phoenix-core")']],
  ['generatorsUrl', { generatorsUrl: undefined as unknown as string }, ['sources.generatorsUrl: is required']],
  ['controlUrl', { controlUrl: 'nope' }, ['sources.controlUrl: must be a URL (got "nope")']],
  ['timeoutSeconds', { timeoutSeconds: 301 }, ['sources.timeoutSeconds: must be <= 300 (got 301)']],
];

describe('validateSourcesConfig', () => {
  it('the defaults are valid; the optional readers may be off', () => {
    expect(validateSourcesConfig(defaultSourcesConfig)).toEqual([]);
    expect(validateSourcesConfig({ ...defaultSourcesConfig, observerUrl: undefined, controlUrl: undefined, prometheusUrl: undefined })).toEqual([]);
  });

  it.each(BAD)('a bad %s: the message names the key', (_key, bad, messages) => {
    expect(validateSourcesConfig({ ...defaultSourcesConfig, ...bad })).toEqual(messages);
  });

  it('every key has a case', () => {
    expect(BAD.map(([k]) => k).sort()).toEqual([...leafKeys(defaultSourcesConfig), 'prometheusUrl'].sort());
  });
});
