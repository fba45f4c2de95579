/**
 * A client error with its HTTP status (404, 403, 409, ...): the API tail answers `{error}` with that status.
 * 400s with schema details are answered by the validation itself.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, `${what} not found`);
export const forbidden = (message: string): HttpError => new HttpError(403, message);
export const conflict = (message: string): HttpError => new HttpError(409, message);
