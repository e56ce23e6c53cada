import pg from 'pg';
import { createClient } from 'redis';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, dropRun, reachable } from '../kit/services.js';

/**
 * Postgres and Redis for a run: the local services when they answer, otherwise the
 * project's embedded PGlite and a private redis-server (figures then say so: PGlite
 * is one connection and runs inside this process, so they are not comparable).
 * Every run uses its own schema and key prefix and removes them at the end.
 */
export interface Services {
  databaseUrl: string;
  redisUrl: string;
  kind: 'local-services' | 'embedded-fallback';
  stop(): Promise<void>;
}

export async function provideServices(): Promise<Services> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const [pgUp, redisUp] = await Promise.all([reachable(databaseUrl, 5432), reachable(redisUrl, 6379)]);
  if (pgUp && redisUp) return { databaseUrl, redisUrl, kind: 'local-services', stop: async () => undefined };

  console.warn(
    `! ${pgUp ? '' : 'PostgreSQL'}${!pgUp && !redisUp ? ' and ' : ''}${redisUp ? '' : 'Redis'} not reachable on loopback ` +
      '(set DATABASE_URL / REDIS_URL to point elsewhere). Falling back to embedded PGlite / a private redis-server: ' +
      'figures from such a run are not comparable with the targets.',
  );
  const stops: Array<() => Promise<void>> = [];
  try {
    let db = databaseUrl;
    let redis = redisUrl;
    if (!pgUp) {
      const { startEmbeddedPostgres } = await import('../../server/db/embedded-postgres.js');
      const embedded = await startEmbeddedPostgres({});
      stops.push(embedded.stop);
      db = embedded.url;
    }
    if (!redisUp) {
      const { startPrivateRedis } = await import('../../server/redis/private-redis-server.js');
      const privateRedis = await startPrivateRedis({});
      stops.push(privateRedis.stop);
      redis = privateRedis.url;
    }
    return {
      databaseUrl: db,
      redisUrl: redis,
      kind: 'embedded-fallback',
      async stop() {
        for (const s of stops.reverse()) await s().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    throw new Error(
      `no PostgreSQL/Redis to benchmark against, and the embedded fallback failed (${(err as Error).message}). ` +
        'Start PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379, or set DATABASE_URL and REDIS_URL.',
    );
  }
}

/** Redis and Postgres access of the orchestrator: persister progress, the loss check, cleanup. */
export async function openStores(services: Services, schema: string, prefix: string) {
  const redis = createClient({ url: services.redisUrl });
  redis.on('error', () => undefined);
  await redis.connect();
  const pool = new pg.Pool({ connectionString: services.databaseUrl, max: 2 });
  const persistKey = `${prefix}:dm:persist`;

  return {
    /** Waits until the workers wrote and removed every persist-stream entry. */
    async waitPersisted(timeoutMs: number): Promise<{ ok: boolean; waitedMs: number; left: number }> {
      const start = Date.now();
      let left = 0;
      while (Date.now() - start < timeoutMs) {
        left = await redis.xLen(persistKey);
        if (left === 0) return { ok: true, waitedMs: Date.now() - start, left };
        await new Promise((r) => setTimeout(r, 250));
      }
      return { ok: false, waitedMs: Date.now() - start, left };
    },

    /** How many of these danmaku ids are stored in Postgres. */
    async countStored(ids: string[]): Promise<number> {
      let found = 0;
      for (let i = 0; i < ids.length; i += 5_000) {
        const res = await pool.query(`select count(*)::int as n from "${schema}".danmaku where id = any($1::uuid[])`, [ids.slice(i, i + 5_000)]);
        found += res.rows[0].n as number;
      }
      return found;
    },

    /** Deletes every key under the prefix and drops the schema. */
    cleanup: () => dropRun({ redis, pool, prefix, schema }),

    async close() {
      await pool.end().catch(() => undefined);
      redis.destroy();
    },
  };
}

export type Stores = Awaited<ReturnType<typeof openStores>>;
