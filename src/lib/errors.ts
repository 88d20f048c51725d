/** Errors that services throw; the HTTP layer turns each into one status and a stable code. */

/**
 * One bad field. `code` (e.g. `too_small`, `invalid_format`, `unrecognized_keys`) and the limits
 * let a client word the message in the reader's language; `message` is English.
 */
export type FieldError = {
  path: string;
  message: string;
  code?: string;
  minimum?: number | string;
  maximum?: number | string;
  expected?: string;
  format?: string;
};

/**
 * The facts behind a refusal (`wrong_leg`: the two legs' names), so a client can word it in the
 * reader's language instead of showing `message`, which is English. Statuses are sent as codes.
 */
export type ErrorParams = Record<string, string | number | readonly Record<string, string | number>[]>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
    readonly params?: ErrorParams,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Refused for now through no fault of the request (overload): send it again after `retryAfterSeconds`. */
export class BusyError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(503, code, message);
    this.name = 'BusyError';
  }
}

export const validationFailed = (fields: FieldError[], message = 'The request has invalid fields.') =>
  new AppError(400, 'validation_failed', message, fields);
export const unauthenticated = (message = 'Sign in first.') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'You do not have permission for this.') =>
  new AppError(403, 'forbidden', message);
/** Also used where a resource exists but must stay invisible to the caller. */
export const notFound = (what = 'resource') => new AppError(404, 'not_found', `No such ${what}.`);
export const conflict = (message: string, fields?: FieldError[], params?: ErrorParams) =>
  new AppError(409, 'conflict', message, fields, params);

/** The message of anything thrown (an Error's message, or the value as text). */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
