import { validateControlStatus, type ControlOverrideRequest, type ControlTargetRequest } from '@phoenix/contracts';
import { httpRequest, jsonOf, type HttpResponse } from '../net/httpRequest';

/** A call to phoenix-control that did not succeed: `retryable` says whether another attempt may. */
export class ControlApiError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ControlApiError';
  }
}

/** The routes of phoenix-control's API (contracts/openapi/control.openapi.yaml) the agent uses. */
export class ControlApi {
  constructor(
    readonly url: string,
    private readonly token: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  /** True when GET /health answers 200 (it runs). */
  async reachable(signal?: AbortSignal): Promise<boolean> {
    try {
      return (await httpRequest(`${this.url}/health`, { timeoutMs: this.timeoutMs, signal })).status === 200;
    } catch {
      return false;
    }
  }

  /** The series budget in force (GET /api/v1/status). */
  async targetSeries(signal?: AbortSignal): Promise<number> {
    const res = await this.send('GET', '/api/v1/status', undefined, signal);
    const v = validateControlStatus(jsonOf(res));
    if (!v.ok || v.value.target_series === undefined) throw new ControlApiError(`GET ${this.url}/api/v1/status: the answer has no target_series`, true);
    return v.value.target_series;
  }

  /** PUT /api/v1/target: the host's allocation (persistent; the PID loop works inside it). */
  async putTarget(body: ControlTargetRequest, signal?: AbortSignal): Promise<void> {
    await this.send('PUT', '/api/v1/target', body, signal);
  }

  /** POST /api/v1/control: an explicit setting that holds for its TTL. */
  async override(body: ControlOverrideRequest, signal?: AbortSignal): Promise<void> {
    await this.send('POST', '/api/v1/control', body, signal);
  }

  private async send(method: 'GET' | 'PUT' | 'POST', path: string, body: unknown, signal?: AbortSignal): Promise<HttpResponse> {
    const what = `${method} ${this.url}${path}`;
    let res: HttpResponse;
    try {
      res = await httpRequest(`${this.url}${path}`, {
        method,
        body,
        headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
        timeoutMs: this.timeoutMs,
        signal,
      });
    } catch (err) {
      throw new ControlApiError(`${what}: ${(err as Error).message}`, true);
    }
    if (res.status >= 200 && res.status < 300) return res;
    const j = jsonOf(res) as { error?: unknown; details?: unknown } | undefined;
    const detail = typeof j?.error === 'string' ? j.error : res.text.slice(0, 300);
    const details = Array.isArray(j?.details) ? ` (${j.details.join('; ')})` : '';
    if (res.status === 404) throw new ControlApiError(`${what}: 404 — this phoenix-control has no such route (update phoenix-control)`, false);
    if (res.status === 401 || res.status === 403) throw new ControlApiError(`${what}: ${res.status} ${detail} (check PHOENIX_API_TOKEN)`, false);
    if (res.status === 400 || res.status === 413 || res.status === 415) throw new ControlApiError(`${what}: ${res.status} ${detail}${details}`, false);
    throw new ControlApiError(`${what}: ${res.status} ${detail}`, true);
  }
}
