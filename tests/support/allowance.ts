import { inject } from 'vitest';
import { EMBEDDED } from './global-setup.js';

/**
 * How much longer waits may take on the embedded database. There PGlite runs Postgres as
 * WASM on the test process's own thread, one session per app, next to the app, its
 * workers and argon2: the same work takes a few times longer than on a Postgres server.
 * The assertions stay the same; only the time allowed to reach them grows.
 */
export const EMBEDDED_SLOWDOWN = 3;

/** `ms` on a Postgres server; EMBEDDED_SLOWDOWN times `ms` on embedded PGlite. */
export function allowance(ms: number): number {
  return inject('databaseUrl') === EMBEDDED ? ms * EMBEDDED_SLOWDOWN : ms;
}
