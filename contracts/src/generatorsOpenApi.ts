import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type Ajv from 'ajv';
import { createAjv, formatAjvErrors, type ValidationResult } from './createValidator';

/** The parts of an OpenAPI 3.0 document the response validator reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  components?: { responses?: Record<string, unknown>; schemas?: Record<string, unknown> };
}

/** Validates a response body against the OpenAPI document (method, concrete path, status). */
export type OpenApiResponseValidator = (method: string, requestPath: string, status: number, body: unknown) => ValidationResult<unknown>;

/** The contracts directory (holds openapi/ and schemas/), from src/ (jest) or dist/src/ (compiled). */
function contractsRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    if (fs.existsSync(path.join(dir, 'openapi', 'generators.openapi.yaml'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`contracts/openapi/generators.openapi.yaml not found above ${__dirname}`);
}

/** Path of the phoenix-generators OpenAPI document. */
export function generatorsOpenApiPath(): string {
  return path.join(contractsRoot(), 'openapi', 'generators.openapi.yaml');
}

/** Loads the phoenix-generators OpenAPI document. */
export function loadGeneratorsOpenApi(file = generatorsOpenApiPath()): OpenApiDocument {
  return YAML.parse(fs.readFileSync(file, 'utf8')) as OpenApiDocument;
}

function deref(doc: OpenApiDocument, node: unknown): unknown {
  const ref = (node as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  let cur: unknown = doc;
  for (const part of ref.slice(2).split('/')) cur = (cur as Record<string, unknown> | undefined)?.[part];
  if (cur === undefined) throw new Error(`unresolved $ref ${ref}`);
  return deref(doc, cur);
}

/**
 * Turns an OpenAPI schema into one Ajv compiles: file references (`../schemas/x.schema.json`) are
 * added to `ajv` and replaced by their `$id`, local component references are inlined.
 */
function toAjvSchema(doc: OpenApiDocument, node: unknown, baseDir: string, ajv: Ajv): unknown {
  if (Array.isArray(node)) return node.map((n) => toAjvSchema(doc, n, baseDir, ajv));
  if (node === null || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  if (typeof obj.$ref === 'string') {
    if (obj.$ref.startsWith('#/')) return toAjvSchema(doc, deref(doc, obj), baseDir, ajv);
    const file = path.resolve(baseDir, obj.$ref);
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { $id?: string };
    const id = schema.$id ?? `file://${file}`;
    if (!ajv.getSchema(id)) ajv.addSchema(schema, id);
    return { $ref: id };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = toAjvSchema(doc, v, baseDir, ajv);
  return out;
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

/**
 * A validator of response bodies against an OpenAPI document whose schemas reference the JSON Schema
 * files in contracts/schemas. A status the operation does not document fails validation.
 */
export function createOpenApiResponseValidator(doc: OpenApiDocument = loadGeneratorsOpenApi(), docDir = path.dirname(generatorsOpenApiPath())): OpenApiResponseValidator {
  const ajv = createAjv();
  const cache = new Map<string, (body: unknown) => ValidationResult<unknown>>();
  return (method, requestPath, status, body) => {
    const template = matchOpenApiPath(doc, requestPath);
    if (!template) return { ok: false, errors: [`(document): path ${requestPath} is not in the OpenAPI document`] };
    const op = doc.paths[template][method.toLowerCase()];
    if (!op) return { ok: false, errors: [`(document): ${method.toUpperCase()} ${template} is not in the OpenAPI document`] };
    const key = `${method.toLowerCase()} ${template} ${status}`;
    let validate = cache.get(key);
    if (!validate) {
      const response = deref(doc, op.responses?.[String(status)]) as { content?: Record<string, { schema?: unknown }> } | undefined;
      if (!response) return { ok: false, errors: [`(document): status ${status} is not documented for ${method.toUpperCase()} ${template}`] };
      const media = response.content?.['application/json'] ?? response.content?.['text/plain'];
      if (!media?.schema) {
        validate = (b) => (b === undefined || b === '' ? { ok: true, value: b } : { ok: false, errors: ['(document): no body is documented'] });
      } else {
        const compiled = ajv.compile(toAjvSchema(doc, media.schema, docDir, ajv) as object);
        validate = (b) => (compiled(b) ? { ok: true, value: b } : { ok: false, errors: formatAjvErrors(compiled.errors) });
      }
      cache.set(key, validate);
    }
    return validate(body);
  };
}
