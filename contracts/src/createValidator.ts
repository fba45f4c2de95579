import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type addFormatsType from 'ajv-formats';

/** Outcome of validating an untrusted document against a contract schema. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** A validator for one contract schema; the type parameter comes from the generated types. */
export interface ContractValidator<T> {
  (data: unknown): ValidationResult<T>;
  readonly schemaId: string;
}

/**
 * Builds the Ajv instance every Phoenix module validates with: all errors, strict schemas,
 * the standard formats, and `x-hint` as an annotation carrying a human hint for an error.
 */
export function createAjv(): Ajv {
  // loaded on first use, not when the contracts are imported: a process that validates nothing (an idle
  // phoenix-agent, whose target is < 50 MB RSS) does not pay for ajv
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy load (see above) */
  const AjvClass = (require('ajv') as { default: typeof Ajv }).default;
  const addFormats = (require('ajv-formats') as { default: typeof addFormatsType }).default;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const ajv = new AjvClass({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
  // OpenAPI documents carry these annotations inside their schemas.
  ajv.addKeyword({ keyword: 'example' });
  return ajv;
}

/** Turns a JSON pointer (`/topk/k`) into the dotted config path operators write (`topk.k`). */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '(document)';
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : p))
    .join('.')
    .replace(/\.\[/g, '[');
}

/** One line per error, each starting with the offending field: `topk.k: must be >= 1`. */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  if (!errors || errors.length === 0) return [];
  const out: string[] = [];
  for (const e of errors) {
    const at = e.instancePath;
    const hint = (e.parentSchema as Record<string, unknown> | undefined)?.['x-hint'];
    let line: string;
    switch (e.keyword) {
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        line = `${pointerToPath(`${at}/${missing}`)}: is required`;
        break;
      }
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        line = `${pointerToPath(`${at}/${extra}`)}: is not allowed (unknown field)`;
        break;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
        line = `${pointerToPath(at)}: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(e.data)})`;
        break;
      }
      case 'const': {
        const allowed = (e.params as { allowedValue: unknown }).allowedValue;
        line = `${pointerToPath(at)}: must be ${JSON.stringify(allowed)} (got ${JSON.stringify(e.data)})`;
        break;
      }
      default:
        line = `${pointerToPath(at)}: ${e.message ?? e.keyword}`;
    }
    if (typeof hint === 'string') line += ` (${hint})`;
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

let shared: Ajv | undefined;
/** schemas registered on the shared instance before it exists */
const pending: Array<Record<string, unknown>> = [];
function addTo(ajv: Ajv, s: Record<string, unknown>): void {
  const id = String(s.$id);
  if (!ajv.getSchema(id)) ajv.addSchema(s, id);
}
/** The shared Ajv instance, created (with the schemas registered so far) on the first validation. */
function sharedAjv(): Ajv {
  if (!shared) {
    shared = createAjv();
    for (const s of pending.splice(0)) addTo(shared, s);
  }
  return shared;
}

/**
 * A validator for a contract schema on the shared Ajv instance, compiled on its first use: importing the
 * contracts compiles nothing, so a process pays (in start time and memory: ~25 MB for every schema) only
 * for the validators it calls.
 */
export function createValidator<T>(schema: Record<string, unknown>, ajv?: Ajv): ContractValidator<T> {
  const id = typeof schema.$id === 'string' ? schema.$id : String(schema.title ?? 'schema');
  let compiled: ValidateFunction | undefined;
  const fn = ((data: unknown): ValidationResult<T> => {
    if (!compiled) {
      const a = ajv ?? sharedAjv();
      compiled = a.getSchema(id) ?? a.compile(schema);
    }
    if (compiled(data)) return { ok: true, value: data as T };
    return { ok: false, errors: formatAjvErrors(compiled.errors) };
  }) as ContractValidator<T>;
  Object.defineProperty(fn, 'schemaId', { value: id });
  return fn;
}

/** Registers schemas that others reference by `$id` (relative `$ref`s such as `agent_task.schema.json`). */
export function addSchemas(schemas: Array<Record<string, unknown>>, ajv?: Ajv): void {
  const target = ajv ?? shared;
  if (target) for (const s of schemas) addTo(target, s);
  else pending.push(...schemas);
}
