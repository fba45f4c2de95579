import { createOpenApiValidator } from '@phoenix/contracts';

const validator = createOpenApiValidator('validation');
const doc = validator.doc;

/** `METHOD template status` of every response validated. */
export const seen = new Set<string>();

export interface Call {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

/** One HTTP call to the validation API; the response is validated against contracts/openapi/validation.openapi.yaml. */
export async function call(
  base: string,
  method: string,
  route: string,
  opts: { body?: unknown; raw?: string; token?: string; contentType?: string | null; query?: string } = {},
): Promise<Call> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && opts.contentType !== null) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${base}${route}${opts.query ?? ''}`, { method, headers, body });
  const text = await res.text();
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
  const parsed: unknown = type === 'application/json' ? JSON.parse(text) : text;
  const v = validator(method, route, res.status, parsed, type);
  if (!v.ok) throw new Error(`${method} ${route} ${res.status} (${type}) does not match the OpenAPI document: ${v.errors.join('; ')}\n${text.slice(0, 500)}`);
  const template = Object.keys(doc.paths).find((t) => new RegExp('^' + t.replace(/\{[^}]+\}/g, '[^/]+') + '$').test(route));
  seen.add(`${method.toUpperCase()} ${template} ${res.status}`);
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** Every (method, path, status) the OpenAPI document lists. */
export function documented(): string[] {
  const out: string[] = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      if (m === 'parameters') continue;
      for (const status of Object.keys(op.responses ?? {})) out.push(`${m.toUpperCase()} ${p} ${status}`);
    }
  }
  return out;
}
