import fs from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import YAML from 'yaml';
import { createAjv, formatAjvErrors } from '@phoenix/contracts';

const CONTRACTS = path.resolve(__dirname, '../../../contracts');
export const OPENAPI_PATH = path.join(CONTRACTS, 'openapi', 'control.openapi.yaml');

type Json = Record<string, unknown>;

/**
 * Validates responses against contracts/openapi/control.openapi.yaml: finds the operation and the documented
 * status, resolves `#/components/...` and the referenced `../schemas/*.schema.json` files, validates with ajv.
 */
export class OpenApiValidator {
  readonly doc: Json;
  private readonly ajv = createAjv();
  private readonly compiled = new Map<string, ValidateFunction>();
  /** `METHOD path status` of every response validated. */
  readonly seen = new Set<string>();

  constructor() {
    this.doc = YAML.parse(fs.readFileSync(OPENAPI_PATH, 'utf8')) as Json;
    if (typeof this.doc.openapi !== 'string' || !this.doc.openapi.startsWith('3.0')) throw new Error('not an OpenAPI 3.0 document');
    for (const f of fs.readdirSync(path.join(CONTRACTS, 'schemas')).filter((x) => x.startsWith('control_'))) {
      this.ajv.addSchema(JSON.parse(fs.readFileSync(path.join(CONTRACTS, 'schemas', f), 'utf8')) as Json, `file:${f}`);
    }
  }

  private deref(obj: Json): Json {
    let cur = obj;
    for (let i = 0; i < 10 && typeof cur.$ref === 'string' && cur.$ref.startsWith('#/'); i++) {
      cur = cur.$ref
        .slice(2)
        .split('/')
        .reduce<Json>((o, k) => (o[k] as Json) ?? {}, this.doc);
    }
    return cur;
  }

  private validatorFor(schema: Json): ValidateFunction {
    if (typeof schema.$ref === 'string' && schema.$ref.endsWith('.schema.json')) {
      const file = path.basename(schema.$ref);
      const v = this.ajv.getSchema(`file:${file}`);
      if (!v) throw new Error(`OpenAPI references ${schema.$ref}, which is not a contracts schema`);
      return v;
    }
    const key = JSON.stringify(schema);
    let v = this.compiled.get(key);
    if (!v) {
      v = this.ajv.compile(this.deref(schema));
      this.compiled.set(key, v);
    }
    return v;
  }

  /** All documented (method, path, status) triples. */
  documented(): string[] {
    const out: string[] = [];
    for (const [p, ops] of Object.entries(this.doc.paths as Json)) {
      for (const [m, op] of Object.entries(ops as Json)) {
        for (const status of Object.keys((op as Json).responses as Json)) out.push(`${m.toUpperCase()} ${p} ${status}`);
      }
    }
    return out;
  }

  /** Throws with the schema errors when the response does not match the document. */
  validate(method: string, pathTemplate: string, status: number, contentType: string, body: unknown): void {
    const op = ((this.doc.paths as Json)[pathTemplate] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
    if (!op) throw new Error(`${method} ${pathTemplate} is not in the OpenAPI document`);
    const responses = op.responses as Json;
    const raw = (responses[String(status)] ?? responses.default) as Json | undefined;
    if (!raw) throw new Error(`${method} ${pathTemplate} answered ${status}, which the OpenAPI document does not list`);
    const resp = this.deref(raw);
    const media = contentType.split(';')[0].trim();
    const content = (resp.content as Json | undefined)?.[media] as Json | undefined;
    if (!content) throw new Error(`${method} ${pathTemplate} ${status}: content type ${media} is not documented`);
    const v = this.validatorFor(content.schema as Json);
    if (!v(body)) {
      throw new Error(`${method} ${pathTemplate} ${status}: body does not match the OpenAPI document: ${formatAjvErrors(v.errors).join('; ')}`);
    }
    this.seen.add(`${method.toUpperCase()} ${pathTemplate} ${status}`);
  }
}
