import { type GeneratorsLoadSettings, type GeneratorsLoadStatus, type GeneratorsScenarioList, type GeneratorsTruth, validateGeneratorsLoadStatus, validateGeneratorsScenarioList, validateGeneratorsTruth } from '@phoenix/contracts';
import { fetchJson, HttpError, joinUrl } from '../sources/http';

function checked<T>(what: string, v: { ok: true; value: T } | { ok: false; errors: string[] }): T {
  if (!v.ok) throw new Error(`${what} does not match its contract: ${v.errors.slice(0, 5).join('; ')}`);
  return v.value;
}

/** The phoenix-generators load-control API (contracts/openapi/generators.openapi.yaml), answers validated. */
export class GeneratorsClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 10_000,
  ) {}

  private url(p: string): string {
    return joinUrl(this.baseUrl, p);
  }

  async scenarios(signal?: AbortSignal): Promise<GeneratorsScenarioList> {
    return checked('GET /api/v1/scenarios', validateGeneratorsScenarioList(await fetchJson(this.url('/api/v1/scenarios'), { timeoutMs: this.timeoutMs, signal })));
  }

  async load(signal?: AbortSignal): Promise<GeneratorsLoadStatus> {
    return checked('GET /api/v1/load', validateGeneratorsLoadStatus(await fetchJson(this.url('/api/v1/load'), { timeoutMs: this.timeoutMs, signal })));
  }

  /** PUT /api/v1/load: the manual load (omitted fields keep their value); starts generating. */
  async setLoad(settings: GeneratorsLoadSettings, signal?: AbortSignal): Promise<GeneratorsLoadStatus> {
    try {
      const body = await fetchJson(this.url('/api/v1/load'), { method: 'PUT', body: settings, token: this.token, timeoutMs: this.timeoutMs, signal });
      return checked('PUT /api/v1/load', validateGeneratorsLoadStatus(body));
    } catch (err) {
      throw explain(err, 'PUT /api/v1/load');
    }
  }

  async stop(signal?: AbortSignal): Promise<GeneratorsLoadStatus> {
    try {
      const body = await fetchJson(this.url('/api/v1/load/stop'), { method: 'POST', token: this.token, timeoutMs: this.timeoutMs, signal });
      return checked('POST /api/v1/load/stop', validateGeneratorsLoadStatus(body));
    } catch (err) {
      throw explain(err, 'POST /api/v1/load/stop');
    }
  }

  async truth(signal?: AbortSignal): Promise<GeneratorsTruth> {
    return checked('GET /api/v1/truth', validateGeneratorsTruth(await fetchJson(this.url('/api/v1/truth'), { timeoutMs: this.timeoutMs, signal })));
  }
}

/** Adds the generators' error details (400 schema errors, 401/403 auth) to the message. */
function explain(err: unknown, what: string): Error {
  if (err instanceof HttpError && err.status !== undefined) {
    let details = '';
    try {
      const b = JSON.parse(err.body ?? '') as { error?: string; details?: string[] };
      details = [b.error, ...(b.details ?? [])].filter(Boolean).join('; ');
    } catch {
      details = (err.body ?? '').slice(0, 200);
    }
    const hint = err.status === 401 || err.status === 403 ? ' (set PHOENIX_API_TOKEN to the generators token)' : '';
    return new Error(`generators ${what}: HTTP ${err.status}: ${details}${hint}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
