import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createAjv, createValidator, contractSchemas, formatAjvErrors, openApiPath, type ContractValidator } from '@phoenix/contracts';

export type Role = 'public' | 'agent' | 'viewer' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['public', 'agent', 'viewer', 'operator', 'admin'];
export type Method = 'get' | 'post' | 'put' | 'delete';

/** The parameters of a request, validated (numbers and integers converted). */
export interface Params {
  path: Record<string, string>;
  query: Record<string, unknown>;
}

/** One operation of contracts/openapi/api.openapi.yaml, ready to register. */
export interface Operation {
  id: string;
  method: Method;
  /** the OpenAPI path (`/api/v1/agents/{host_id}`) */
  path: string;
  /** the express path (`/api/v1/agents/:host_id`) */
  expressPath: string;
  role: Role;
  /** the body validator, when the operation has a request body */
  body?: ContractValidator<unknown>;
  /** validates and converts path and query parameters */
  params: (path: Record<string, string>, query: Record<string, unknown>) => { ok: true; value: Params } | { ok: false; errors: string[] };
  /** the documented statuses */
  statuses: string[];
}

type Json = Record<string, unknown>;

/** contracts/openapi/api.openapi.yaml. */
export function apiOpenApiPath(): string {
  return openApiPath('api');
}

function deref(doc: Json, node: unknown): Json {
  let cur = node as Json;
  for (let i = 0; i < 10 && typeof cur?.$ref === 'string' && cur.$ref.startsWith('#/'); i++) {
    cur = cur.$ref
      .slice(2)
      .split('/')
      .reduce<Json>((o, k) => (o?.[k] as Json) ?? undefined, doc);
  }
  if (!cur) throw new Error(`unresolved $ref in the OpenAPI document`);
  return cur;
}

/** The contract validator of a `../schemas/x.schema.json` reference. */
function bodyValidator(ref: string): ContractValidator<unknown> {
  const file = path.basename(ref);
  const schema = Object.values(contractSchemas).find((s) => typeof s.$id === 'string' && s.$id.endsWith(`/${file}`));
  if (!schema) throw new Error(`the OpenAPI document references ${ref}, which is not a fleet schema`);
  return createValidator<unknown>(schema);
}

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function paramsValidator(doc: Json, specs: Json[], opId: string): Operation['params'] {
  const ajv = createAjv();
  const props: Record<string, Json> = { path: { type: 'object', properties: {}, required: [] as string[] }, query: { type: 'object', properties: {}, required: [] as string[] } };
  const numeric = new Set<string>();
  for (const raw of specs) {
    const p = deref(doc, raw);
    const where = p.in as 'path' | 'query';
    if (where !== 'path' && where !== 'query') throw new Error(`${opId}: parameters in ${String(p.in)} are not supported`);
    const schema = p.schema as Json;
    ((props[where].properties as Json)[p.name as string] as unknown) = schema;
    if (p.required) (props[where].required as string[]).push(p.name as string);
    if (schema.type === 'number' || schema.type === 'integer') numeric.add(`${where}.${String(p.name)}`);
  }
  const validate = ajv.compile({ type: 'object', properties: props, required: ['path', 'query'] });
  return (pathParams, query) => {
    const value: Params = { path: { ...pathParams }, query: {} };
    for (const [k, v] of Object.entries(query)) {
      value.query[k] = numeric.has(`query.${k}`) && typeof v === 'string' && NUMERIC.test(v.trim()) ? Number(v) : v;
    }
    if (validate(value)) return { ok: true, value };
    return { ok: false, errors: formatAjvErrors(validate.errors) };
  };
}

/** Reads every operation of the document, with its role and validators; refuses an operation without a role. */
export function loadOperations(file = apiOpenApiPath()): Operation[] {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as Json;
  const ops: Operation[] = [];
  for (const [p, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const method of ['get', 'post', 'put', 'delete'] as const) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const id = String(op.operationId);
      const role = op['x-phoenix-role'] as Role;
      if (!ROLES.includes(role)) throw new Error(`${method.toUpperCase()} ${p} (${id}): x-phoenix-role must be one of ${ROLES.join(', ')}`);
      const ref = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined;
      const schemaRef = (ref?.schema as Json | undefined)?.$ref;
      ops.push({
        id,
        method,
        path: p,
        expressPath: p.replace(/\{([^}]+)\}/g, ':$1'),
        role,
        body: typeof schemaRef === 'string' ? bodyValidator(schemaRef) : undefined,
        params: paramsValidator(doc, ((op.parameters as Json[] | undefined) ?? []).concat((item.parameters as Json[] | undefined) ?? []), id),
        statuses: Object.keys((op.responses as Json | undefined) ?? {}),
      });
    }
  }
  return ops;
}
