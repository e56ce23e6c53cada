import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Redis } from './redis/redis-client.js';
import type { Metrics } from './metrics.js';
import type { Queues } from './queues.js';

/** The server's clock; tests replace it at this one outer edge. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Everything features need, built once by the composition root (server/main.ts or a
 * test) and passed to factories. No module keeps its own connections.
 */
export interface Deps {
  config: Config;
  db: Database;
  redis: Redis;
  log: Logger;
  clock: Clock;
  metrics: Metrics;
  /** Producers for the workers' queues. */
  queues: Queues;
  /** Builds a Redis key under REDIS_PREFIX. */
  key(...parts: string[]): string;
  /** Resolves once the process must stop; features stop timers on it. */
  closing: AbortSignal;
}

export function keyBuilder(prefix: string) {
  return (...parts: string[]) => [prefix, ...parts].join(':');
}
