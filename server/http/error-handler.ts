import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ErrorCode, httpStatusOf } from '../../contracts/errors.js';
import { AppError, toAppError } from '../errors.js';

/** Unknown routes answer NOT_FOUND in the same shape as every other error. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(ErrorCode.NOT_FOUND, `no route for ${req.method} ${req.path}`));
};

/** Translates body-parser's failures (bad JSON, too large, wrong charset) into our codes. */
function fromBodyParser(err: { type?: string; status?: number }): AppError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError(ErrorCode.VALIDATION_FAILED, 'the body is not valid JSON');
    case 'entity.too.large':
      return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, 'the body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(ErrorCode.VALIDATION_FAILED, 'send UTF-8 JSON');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError(ErrorCode.VALIDATION_FAILED, 'the body could not be read');
    default:
      if (err.status === 413) return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, 'the body is too large');
      if (err.status === 400) return new AppError(ErrorCode.VALIDATION_FAILED, 'bad request');
      return null;
  }
}

/**
 * The only place HTTP errors are shaped: `{error:{code,message,details?}}`, never a
 * stack trace. Unknown errors are logged with the request id and answered INTERNAL.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appErr = err instanceof AppError ? err : (fromBodyParser(err) ?? toAppError(err));
    if (appErr.code === ErrorCode.UNAVAILABLE) log.warn({ err: (appErr.cause as Error)?.message, reqId: req.id, path: req.path }, 'dependency unavailable');
    if (appErr.code === ErrorCode.INTERNAL) {
      log.error({ err: appErr.cause ?? err, reqId: req.id, method: req.method, path: req.path }, 'request failed');
    }
    if (res.headersSent) return res.end();
    const retryAfterMs = (appErr.details as { retryAfterMs?: number } | undefined)?.retryAfterMs;
    if (appErr.code === ErrorCode.RATE_LIMITED && retryAfterMs) res.set('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
    const body = appErr.code === ErrorCode.INTERNAL ? { code: appErr.code, message: appErr.message } : appErr.toBody();
    res.status(httpStatusOf[appErr.code]).json({ error: body });
  };
}
