// Errors the auth layer throws. Each carries the HTTP status and the contract's error code; the
// server's error handler turns them into `{error: {code, message}}` (and copies `headers`).
export class AuthError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export const unauthenticated = (): AuthError =>
  new AuthError(401, 'unauthenticated', 'Sign in or send an API token');
export const forbidden = (): AuthError => new AuthError(403, 'forbidden', 'Your role does not allow this');
export const csrfFailed = (): AuthError =>
  new AuthError(403, 'csrf_failed', 'Missing or wrong x-csrf-token header for this session');
export const invalidCredentials = (): AuthError =>
  new AuthError(401, 'invalid_credentials', 'Wrong email or password');
export const notFound = (what: string): AuthError => new AuthError(404, 'not_found', `${what} not found`);

export function tooManyAttempts(retryAfterSeconds: number): AuthError {
  return new AuthError(429, 'too_many_attempts', 'Too many failed sign-ins; try again later', {
    'retry-after': String(retryAfterSeconds),
  });
}

export function conflict(code: string, message: string): AuthError {
  return new AuthError(409, code, message);
}
