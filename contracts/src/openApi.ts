import fs from 'node:fs';
import path from 'node:path';
import { yaml } from './lazyYaml';
import { createAjv, formatAjvErrors, type ValidationResult } from './createValidator';

/** The OpenAPI documents of contracts/openapi/: `<name>.openapi.yaml`. */
export type OpenApiName = 'api' | 'control' | 'generators' | 'validation';

/** The parts of an OpenAPI 3.0 document the response validator reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  components?: { responses?: Record<string, unknown>; schemas?: Record<string, unknown> };
}

/** Validates a response body (method, concrete path, status, body, media type: the first documented by default). */
export interface OpenApiResponseValidator {
  (method: string, requestPath: string, status: number, body: unknown, mediaType?: string): ValidationResult<unknown>;
  /** The media types documented for a response (none for an unknown operation or status). */
  media(method: string, requestPath: string, status: number): string[];
  readonly doc: OpenApiDocument;
}

/** The contracts directory (holds openapi/ and schemas/), from src/ (jest) or dist/src/ (compiled). */
function contractsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    if (fs.existsSync(path.join(dir, 'openapi')) && fs.existsSync(path.join(dir, 'schemas'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`contracts/openapi not found above ${__dirname}`);
}

/** Path of `contracts/openapi/<name>.openapi.yaml`. */
export function openApiPath(name: OpenApiName): string {
  return path.join(contractsDir(), 'openapi', `${name}.openapi.yaml`);
}

/** Loads `contracts/openapi/<name>.openapi.yaml`. */
export function loadOpenApi(name: OpenApiName): OpenApiDocument {
  const doc = yaml().parse(fs.readFileSync(openApiPath(name), 'utf8')) as OpenApiDocument;
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.0')) throw new Error(`${openApiPath(name)}: not an OpenAPI 3.0 document`);
  return doc;
}

/** The template of `paths` that matches a concrete request path (`{param}` matches one segment). */
export function matchOpenApiPath(doc: OpenApiDocument, requestPath: string): string | undefined {
  const clean = requestPath.split('?')[0];
  for (const template of Object.keys(doc.paths)) {
    const re = new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+') + '$');
    if (re.test(clean)) return template;
  }
  return undefined;
}

function localRef(doc: OpenApiDocument, ref: string): unknown {
  let cur: unknown = doc;
  for (const part of ref.slice(2).split('/')) cur = (cur as Record<string, unknown> | undefined)?.[part];
  if (cur === undefined) throw new Error(`unresolved $ref ${ref}`);
  return cur;
}

type Response = { content?: Record<string, { schema?: unknown }> };

/**
 * A validator of response bodies against `contracts/openapi/<name>.openapi.yaml`, whose schemas reference the
 * JSON Schema files of contracts/schemas (`../schemas/x.schema.json`, optionally with a fragment such as
 * `#/definitions/BenchmarkRun`); every schema file is registered under its `$id`, so schemas may reference each
 * other; local `#/components/...` references are inlined. A status the operation does not document (and no
 * `default` response), or a media type it does not document, fails validation. Media types: application/json,
 * text/plain, text/html (the body is then the text).
 */
export function createOpenApiValidator(name: OpenApiName): OpenApiResponseValidator {
  const doc = loadOpenApi(name);
  const docDir = path.dirname(openApiPath(name));
  const ajv = createAjv();
  const idsByFile = new Map<string, string>();
  const schemaDir = path.resolve(docDir, '..', 'schemas');
  for (const f of fs.readdirSync(schemaDir).filter((x) => x.endsWith('.schema.json'))) {
    const file = path.join(schemaDir, f);
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { $id?: string };
    const id = schema.$id ?? `file://${file}`;
    idsByFile.set(file, id);
    if (!ajv.getSchema(id)) ajv.addSchema(schema, id);
  }
  const convert = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(convert);
    if (node === null || typeof node !== 'object') return node;
    const obj = node as Record<string, unknown>;
    if (typeof obj.$ref === 'string') {
      if (obj.$ref.startsWith('#/')) return convert(localRef(doc, obj.$ref));
      const [file, fragment] = obj.$ref.split('#');
      const id = idsByFile.get(path.resolve(docDir, file));
      if (!id) throw new Error(`OpenAPI references ${obj.$ref}, which is not a contracts schema`);
      return { $ref: fragment ? `${id}#${fragment}` : id };
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, convert(v)]));
  };
  const responseOf = (method: string, requestPath: string, status: number): Response | string => {
    const template = matchOpenApiPath(doc, requestPath);
    if (!template) return `(document): path ${requestPath} is not in the OpenAPI document`;
    const op = doc.paths[template][method.toLowerCase()];
    if (!op) return `(document): ${method.toUpperCase()} ${template} is not in the OpenAPI document`;
    let response = op.responses?.[String(status)] ?? op.responses?.default;
    if (response === undefined) return `(document): status ${status} is not documented for ${method.toUpperCase()} ${template}`;
    while (typeof (response as { $ref?: unknown }).$ref === 'string') response = localRef(doc, (response as { $ref: string }).$ref);
    return response as Response;
  };
  const cache = new Map<string, (body: unknown) => ValidationResult<unknown>>();
  const validator = ((method: string, requestPath: string, status: number, body: unknown, mediaType?: string): ValidationResult<unknown> => {
    const response = responseOf(method, requestPath, status);
    if (typeof response === 'string') return { ok: false, errors: [response] };
    const content = response.content ?? {};
    const media = mediaType?.split(';')[0].trim() ?? Object.keys(content)[0];
    const key = `${method.toLowerCase()} ${matchOpenApiPath(doc, requestPath)} ${status} ${media}`;
    let validate = cache.get(key);
    if (!validate) {
      if (media === undefined) {
        validate = (b) => (b === undefined || b === '' ? { ok: true, value: b } : { ok: false, errors: ['(document): no body is documented'] });
      } else {
        const entry = content[media];
        if (!entry) return { ok: false, errors: [`(document): media type ${media} is not documented for ${method.toUpperCase()} ${requestPath} ${status}`] };
        const compiled = ajv.compile((convert(entry.schema ?? {}) as object) ?? {});
        validate = (b) => (compiled(b) ? { ok: true, value: b } : { ok: false, errors: formatAjvErrors(compiled.errors) });
      }
      cache.set(key, validate);
    }
    return validate(body);
  }) as OpenApiResponseValidator;
  validator.media = (method, requestPath, status) => {
    const response = responseOf(method, requestPath, status);
    return typeof response === 'string' ? [] : Object.keys(response.content ?? {});
  };
  Object.defineProperty(validator, 'doc', { value: doc });
  return validator;
}
