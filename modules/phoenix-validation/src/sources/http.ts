/** HTTP helpers with a timeout that also honours the caller's abort signal. */

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  token?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  accept?: string;
}

async function request(url: string, opts: RequestOptions): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (opts.accept) headers.accept = opts.accept;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const timeoutMs = opts.timeoutMs ?? 5000;
  // One controller per request, detached from the caller's signal when done (no listener piles up on a long-lived signal).
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, timeoutMs);
  const onAbort = (): void => ctl.abort(opts.signal?.reason);
  if (opts.signal?.aborted) ctl.abort(opts.signal.reason);
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await fetch(url, { method: opts.method ?? 'GET', headers, body, signal: ctl.signal });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (opts.signal?.aborted) throw err;
    if (timedOut) throw new HttpError(`${url}: timed out after ${timeoutMs} ms`);
    throw new HttpError(`${url}: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** GET (or another method) returning the body text; non-2xx rejects with HttpError. */
export async function fetchText(url: string, opts: RequestOptions = {}): Promise<string> {
  const res = await request(url, opts);
  const text = res.text;
  if (res.status < 200 || res.status >= 300) throw new HttpError(`${url}: HTTP ${res.status}: ${text.slice(0, 300)}`, res.status, text);
  return text;
}

/** A JSON request; non-2xx rejects with HttpError carrying the body. */
export async function fetchJson(url: string, opts: RequestOptions = {}): Promise<unknown> {
  const text = await fetchText(url, { ...opts, accept: 'application/json' });
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    throw new HttpError(`${url}: the answer is not JSON: ${text.slice(0, 200)}`);
  }
}

/** Joins a base URL and a path (one slash between). */
export function joinUrl(base: string, p: string): string {
  return `${base.replace(/\/+$/, '')}/${p.replace(/^\/+/, '')}`;
}
