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
  it('the defaults are valid: the stack on its loopback ports, read directly; the optional readers may be off', () => {
    expect(defaultSourcesConfig).toEqual({
      coreUrl: 'http://127.0.0.1:8891',
      fullFidelityUrl: 'http://127.0.0.1:8888/metrics',
      experimentalTopkUrl: 'http://127.0.0.1:8890/metrics',
      activeUrl: 'http://127.0.0.1:8892/metrics',
      observerUrl: 'http://127.0.0.1:9888',
      prometheusSelector: '',
      generatorsUrl: 'http://127.0.0.1:8082',
      controlUrl: 'http://127.0.0.1:8080',
      timeoutSeconds: 10,
    });
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
