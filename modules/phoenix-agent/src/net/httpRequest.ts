import http from 'node:http';
import https from 'node:https';

/**
 * The agent's one HTTP client, on node:http. Not `fetch`: undici and its WebAssembly parser cost ~19 MB of
 * RSS, and the agent's idle budget is 50 MB (and it runs with --lite-mode, where WebAssembly is off).
 */
export interface HttpRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** a JSON value (sent as application/json) or text */
  body?: unknown;
  /** the content type of a text body (default text/plain) */
  contentType?: string;
  /** whole-request deadline */
  timeoutMs: number;
  signal?: AbortSignal;
  /** answers larger than this fail (default 8 MiB) */
  maxBodyBytes?: number;
  /** connection reuse (default: the module's keep-alive agents) */
  agent?: http.Agent;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** The request could not be made or answered (refused, reset, timed out, aborted, too large). */
export class HttpTransportError extends Error {
  constructor(
    message: string,
    /** `timeout`, `aborted`, `too_large` or the socket error code (ECONNREFUSED, ...) */
    readonly code: string,
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

const keepAlive = { http: new http.Agent({ keepAlive: true, maxSockets: 8, maxFreeSockets: 4, timeout: 60_000 }), https: new https.Agent({ keepAlive: true, maxSockets: 8, maxFreeSockets: 4, timeout: 60_000 }) };

/** Sends one request; resolves with any HTTP status (the caller classifies it), rejects with {@link HttpTransportError}. */
export function httpRequest(url: string, o: HttpRequestOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new HttpTransportError(`not a URL: ${url}`, 'invalid_url'));
      return;
    }
    const secure = u.protocol === 'https:';
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    let payload: Buffer | undefined;
    if (o.body !== undefined) {
      const isText = typeof o.body === 'string';
      payload = Buffer.from(isText ? (o.body as string) : JSON.stringify(o.body));
      headers['content-type'] ??= isText ? (o.contentType ?? 'text/plain') : 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const limit = o.maxBodyBytes ?? 8 * 1024 * 1024;
    let settled = false;
    const fail = (err: HttpTransportError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      reject(err);
    };
    const req = (secure ? https : http).request(
      u,
      { method: o.method ?? 'GET', headers, agent: o.agent ?? (secure ? keepAlive.https : keepAlive.http) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > limit) fail(new HttpTransportError(`answer of ${url} is larger than ${limit} bytes`, 'too_large'));
          else chunks.push(c);
        });
        res.on('error', (err: NodeJS.ErrnoException) => fail(new HttpTransportError(`${url}: ${err.message}`, err.code ?? 'error')));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          o.signal?.removeEventListener('abort', onAbort);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    const onAbort = (): void => fail(new HttpTransportError(`${url}: aborted`, 'aborted'));
    const timer = setTimeout(() => fail(new HttpTransportError(`${url}: no answer within ${o.timeoutMs} ms`, 'timeout')), o.timeoutMs);
    timer.unref();
    if (o.signal?.aborted) {
      onAbort();
      return;
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) => fail(new HttpTransportError(`${url}: ${err.message}`, err.code ?? 'error')));
    req.end(payload);
  });
}

/** The JSON of an answer; undefined when it is not JSON. */
export function jsonOf(res: HttpResponse): unknown {
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    return undefined;
  }
}
