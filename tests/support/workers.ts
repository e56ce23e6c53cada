import { inject } from 'vitest';
import { startWorkers, type WorkerRuntime } from '../../workers/runtime.js';
import { processors } from '../../workers/processors/index.js';
import type { TestApp } from './app.js';
import { allowance } from './allowance.js';

/** Runs the real workers (BullMQ processors and stream consumers) against a test app's deps. */
export function startTestWorkers(app: TestApp, redisUrl = inject('redisUrl')): Promise<WorkerRuntime> {
  return startWorkers(app.deps, processors, redisUrl);
}

/** Polls `probe` until it returns a truthy value: for state that settles asynchronously (a worker's write). `timeoutMs` grows on embedded PGlite (allowance). */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  timeoutMs = allowance(timeoutMs);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
