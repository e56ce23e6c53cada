import pino, { type Logger } from 'pino';

/**
 * The process logger. Paths that could carry a password, a token or a body are
 * redacted at the source so no call site can leak them by accident.
 */
export function createLogger(opts: { level: string; name: string }): Logger {
  return pino({
    name: opts.name,
    level: opts.level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'password',
        '*.password',
        'token',
        '*.token',
        'body',
        '*.body',
      ],
      censor: '[redacted]',
    },
  });
}
