import { createOpenApiValidator, type OpenApiDocument } from '@phoenix/contracts';

/**
 * Checks responses against contracts/openapi/control.openapi.yaml with the contracts' one OpenAPI validator, and
 * keeps which documented responses the tests saw.
 */
export class OpenApiValidator {
  private readonly check = createOpenApiValidator('control');
  readonly doc: OpenApiDocument = this.check.doc;
  /** `METHOD path status` of every response validated. */
  readonly seen = new Set<string>();

  /** All documented (method, path, status) triples. */
  documented(): string[] {
    const out: string[] = [];
    for (const [p, ops] of Object.entries(this.doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        for (const status of Object.keys(op.responses ?? {})) out.push(`${m.toUpperCase()} ${p} ${status}`);
      }
    }
    return out;
  }

  /** Throws with the schema errors when the response does not match the document. */
  validate(method: string, pathTemplate: string, status: number, contentType: string, body: unknown): void {
    const r = this.check(method, pathTemplate, status, body, contentType);
    if (!r.ok) throw new Error(`${method} ${pathTemplate} ${status}: ${r.errors.join('; ')}`);
    this.seen.add(`${method.toUpperCase()} ${pathTemplate} ${status}`);
  }
}
