/**
 * Errors classified once, as the OTLP specification and the OpenTelemetry Collector do:
 * - input the client sent that can never be processed is permanent: HTTP 400 / gRPC INVALID_ARGUMENT,
 *   and the client must not retry it;
 * - anything the client did not cause (a failure inside the service, an unavailable dependency,
 *   overload) is retryable: HTTP 503 with `Retry-After` / gRPC UNAVAILABLE.
 * Both are counted by `reason` (a short snake_case word) by whoever answers the request.
 */

/** Malformed or unacceptable input: permanent. */
export class InvalidInputError extends Error {
  readonly permanent = true;
  constructor(
    message: string,
    /** e.g. `invalid_protobuf`, `invalid_json`, `schema` */
    readonly reason = 'invalid_input',
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** The service cannot do it now; the same request may succeed later. */
export class UnavailableError extends Error {
  constructor(
    message: string,
    readonly reason = 'unavailable',
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
    this.name = 'UnavailableError';
  }
}

/** A configuration that cannot run: the service main exits with code 2 and the message. */
export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'InvalidConfigError';
  }
}

export type ErrorClass =
  | { kind: 'invalid_argument'; reason: string; message: string }
  | { kind: 'unavailable'; reason: string; message: string; retryAfterSeconds: number };

/** How to answer `err`: only an {@link InvalidInputError} is the client's fault; everything else is retryable. */
export function classifyError(err: unknown): ErrorClass {
  if (err instanceof InvalidInputError) return { kind: 'invalid_argument', reason: err.reason, message: err.message };
  if (err instanceof UnavailableError) return { kind: 'unavailable', reason: err.reason, message: err.message, retryAfterSeconds: err.retryAfterSeconds };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'unavailable', reason: 'internal', message: `internal error: ${message}`, retryAfterSeconds: 1 };
}
