import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { connectRedis } from './redis/redis-client.js';
import { createMetrics } from './metrics.js';
import { createQueues } from './queues.js';
import { keyBuilder, systemClock, type Clock, type Deps } from './deps.js';

/**
 * Opens the connections a Lotus process needs and bundles them into the one deps
 * object; `close()` releases them in reverse. Used by server/main.ts, the workers and the tests.
 */
export async function buildDeps(opts: {
  config: Config;
  log: Logger;
  databaseUrl: string;
  redisUrl: string;
  clock?: Clock;
  migrate?: boolean;
}): Promise<{ deps: Deps; close(): Promise<void> }> {
  const { config, log } = opts;
  const db = openDatabase({
    url: opts.databaseUrl,
    schema: config.DATABASE_SCHEMA,
    poolSize: config.DATABASE_POOL_SIZE,
    acquireTimeoutMs: config.DATABASE_ACQUIRE_TIMEOUT_MS,
    onError: (err) => log.warn({ err: err.message }, 'postgres connection lost'),
  });
  if (opts.migrate) await migrate(db.pool, config.DATABASE_SCHEMA);
  const redis = await connectRedis(opts.redisUrl, (err) => log.warn({ err: err.message }, 'redis error'), 'lotus', { failFast: true });
  const controller = new AbortController();
  const key = keyBuilder(config.REDIS_PREFIX);
  const queues = createQueues(redis, key, (err) => log.warn({ err: err.message }, 'queue error'));
  const deps: Deps = {
    config,
    db,
    redis,
    log,
    clock: opts.clock ?? systemClock,
    metrics: createMetrics(),
    queues,
    key,
    closing: controller.signal,
  };
  return {
    deps,
    async close() {
      controller.abort();
      await queues.close().catch(() => undefined);
      await redis.close().catch(() => undefined);
      await db.close().catch(() => undefined);
    },
  };
}
