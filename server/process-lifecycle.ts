import type { Logger } from 'pino';
import { ConfigError } from './config.js';

/**
 * Runs `steps` once on SIGTERM or SIGINT, in order, then exits 0; exits 1 if they take
 * longer than `hardLimitMs` (a stuck connection must not keep a pod from stopping).
 */
export function stopOnSignals(log: Logger, opts: { what: string; hardLimitMs: number; steps: Array<() => Promise<unknown>> }): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${opts.what} shutting down`);
    setTimeout(() => process.exit(1), opts.hardLimitMs).unref();
    for (const step of opts.steps) await step();
    log.info(`${opts.what} stopped`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** Reports a failed start the same way for every process: the config list, or one line. */
export function exitOnStartFailure(what: string) {
  return (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(`${what} failed to start:`, err instanceof Error ? err.message : err);
    process.exit(1);
  };
}
