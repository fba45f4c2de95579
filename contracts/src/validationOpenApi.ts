import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createAjv, formatAjvErrors, type ValidationResult } from './createValidator';
import { matchOpenApiPath, type OpenApiDocument } from './generatorsOpenApi';

/** Validates a response body (method, concrete path, status, body, media type: the first documented by default). */
export interface ValidationOpenApiValidator {
  (method: string, requestPath: string, status: number, body: unknown, mediaType?: string): ValidationResult<unknown>;
  /** The media types documented for a response. */
  media(method: string, requestPath: string, status: number): string[];
}

/** The contracts directory (holds openapi/ and schemas/), from src/ (jest) or dist/src/ (compiled). */
function contractsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    if (fs.existsSync(path.join(dir, 'openapi', 'validation.openapi.yaml'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`contracts/openapi/validation.openapi.yaml not found above ${__dirname}`);
}

/** Path of the phoenix-validation OpenAPI document. */
export function validationOpenApiPath(): string {
  return path.join(contractsDir(), 'openapi', 'validation.openapi.yaml');
}

/** Loads the phoenix-validation OpenAPI document. */
export function loadValidationOpenApi(file = validationOpenApiPath()): OpenApiDocument {
  return YAML.parse(fs.readFileSync(file, 'utf8')) as OpenApiDocument;
}

function localRef(doc: OpenApiDocument, ref: string): unknown {
  let cur: unknown = doc;
  for (const part of ref.slice(2).split('/')) cur = (cur as Record<string, unknown> | undefined)?.[part];
  if (cur === undefined) throw new Error(`unresolved $ref ${ref}`);
  return cur;
}

/**
 * A validator of response bodies against an OpenAPI 3.0 document whose schemas reference JSON Schema files
 * (`../schemas/x.schema.json`, optionally with a fragment such as `#/definitions/BenchmarkRun`). Every schema
 * file of the contracts is registered under its `$id`, so schemas may reference each other. A status or a
 * media type the operation does not document fails validation. Media types: application/json, text/plain,
 * text/html (the body is then the text).
 */
export function createValidationOpenApiValidator(
  doc: OpenApiDocument = loadValidationOpenApi(),
  docDir = path.dirname(validationOpenApiPath()),
): ValidationOpenApiValidator {
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
      const abs = path.resolve(docDir, file);
      const id = idsByFile.get(abs);
      if (!id) throw new Error(`OpenAPI references ${obj.$ref}, which is not a contracts schema`);
      return { $ref: fragment ? `${id}#${fragment}` : id };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = convert(v);
    return out;
  };
  const responseOf = (method: string, requestPath: string, status: number): { content?: Record<string, { schema?: unknown }> } | string => {
    const template = matchOpenApiPath(doc, requestPath);
    if (!template) return `(document): path ${requestPath} is not in the OpenAPI document`;
    const op = doc.paths[template][method.toLowerCase()];
    if (!op) return `(document): ${method.toUpperCase()} ${template} is not in the OpenAPI document`;
    let response = op.responses?.[String(status)];
    if (response === undefined) return `(document): status ${status} is not documented for ${method.toUpperCase()} ${template}`;
    while (typeof (response as { $ref?: unknown }).$ref === 'string') response = localRef(doc, (response as { $ref: string }).$ref);
    return response as { content?: Record<string, { schema?: unknown }> };
  };
  const cache = new Map<string, (body: unknown) => ValidationResult<unknown>>();
  const validator = ((method: string, requestPath: string, status: number, body: unknown, mediaType?: string): ValidationResult<unknown> => {
    const response = responseOf(method, requestPath, status);
    if (typeof response === 'string') return { ok: false, errors: [response] };
    const content = response.content ?? {};
    const media = mediaType ?? Object.keys(content)[0];
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
  }) as ValidationOpenApiValidator;
  validator.media = (method, requestPath, status) => {
    const response = responseOf(method, requestPath, status);
    return typeof response === 'string' ? [] : Object.keys(response.content ?? {});
  };
  return validator;
}
