import { ErrorCode, type ErrorBody } from '../contracts/errors.js';

/** The one error type features throw; only transports map it to HTTP or acks. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what} not found`);
export const forbidden = (message = 'not allowed for your role') => new AppError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'log in first') => new AppError(ErrorCode.UNAUTHENTICATED, message);
export const conflict = (message: string) => new AppError(ErrorCode.CONFLICT, message);

// Errors that mean Redis or Postgres is unreachable right now, not that Lotus is broken.
const OUTAGE_NAMES = new Set(['ClientOfflineError', 'ClientClosedError', 'SocketClosedUnexpectedlyError', 'ConnectionTimeoutError', 'ReconnectStrategyError']);
const OUTAGE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003']);

function isOutage(err: unknown): boolean {
  for (let e = err as { name?: string; code?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    // node-redis errors keep the default name "Error": their class tells what they are.
    const className = (e as { constructor?: { name?: string } }).constructor?.name;
    if ((e.name && OUTAGE_NAMES.has(e.name)) || (className && OUTAGE_NAMES.has(className)) || (e.code && OUTAGE_CODES.has(e.code))) return true;
    if (typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect/i.test(e.message)) return true;
  }
  return false;
}

/**
 * Turns any thrown value into an AppError: a dependency outage becomes UNAVAILABLE
 * (retry later), anything else unknown becomes INTERNAL with no detail leaked.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isOutage(err)) return new AppError(ErrorCode.UNAVAILABLE, 'a service Lotus depends on is unavailable; try again shortly', undefined, { cause: err });
  return new AppError(ErrorCode.INTERNAL, 'something went wrong on our side', undefined, { cause: err });
}
