import net from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';

/**
 * Postgres and Redis for a benchmark run: the local services (DATABASE_URL / REDIS_URL,
 * default the loopback ones). Each run gets its own schema and key prefix and removes
 * both at the end, so it can share the services with development and tests.
 * There is no embedded fallback here: PGlite is one connection inside one process and
 * would measure something else entirely.
 */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Whether a TCP service answers at the URL's host and port. */
export function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Deletes every Redis key under a run's prefix and drops its schema; says what could not be removed. */
export async function dropRun(run: { redis: ReturnType<typeof createClient>; pool: pg.Pool; prefix: string; schema: string }): Promise<{ keysDeleted: number; schemaDropped: boolean }> {
  let keysDeleted = 0;
  try {
    for await (const batch of run.redis.scanIterator({ MATCH: `${run.prefix}:*`, COUNT: 1_000 })) {
      const keys = (Array.isArray(batch) ? batch : [batch]) as string[];
      if (keys.length) keysDeleted += await run.redis.unlink(keys);
    }
  } catch (err) {
    console.warn(`! could not delete Redis keys ${run.prefix}:*: ${(err as Error).message}`);
  }
  let schemaDropped = true;
  await run.pool.query(`drop schema if exists "${run.schema}" cascade`).catch((err: Error) => {
    schemaDropped = false;
    console.warn(`! could not drop schema ${run.schema}: ${err.message}`);
  });
  return { keysDeleted, schemaDropped };
}

export async function openServices(tag: string) {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  for (const h of [new URL(databaseUrl).hostname, new URL(redisUrl).hostname]) {
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(h)) throw new Error('benchmarks only talk to services on loopback (127.0.0.1)');
  }
  const [pgUp, redisUp] = await Promise.all([reachable(databaseUrl, 5432), reachable(redisUrl, 6379)]);
  if (!pgUp || !redisUp) {
    throw new Error(
      `${pgUp ? '' : 'PostgreSQL (127.0.0.1:5432) '}${redisUp ? '' : 'Redis (127.0.0.1:6379) '}not reachable: start them, or set DATABASE_URL / REDIS_URL to loopback services`,
    );
  }
  const id = randomBytes(4).toString('hex');
  const schema = `bench_${tag}_${id}`;
  const prefix = `bench_${tag}_${id}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3, application_name: `lotus-bench-${tag}` });
  pool.on('error', () => undefined);
  const redis = createClient({ url: redisUrl });
  redis.on('error', () => undefined);
  await redis.connect();
  const serverVersion = (await pool.query('show server_version')).rows[0].server_version as string;

  return {
    databaseUrl,
    redisUrl,
    schema,
    prefix,
    pool,
    redis,
    postgresVersion: serverVersion,
    /** Deletes every key under the prefix and drops the schema. */
    cleanup: () => dropRun({ redis, pool, prefix, schema }),
    async close() {
      await pool.end().catch(() => undefined);
      redis.destroy();
    },
  };
}

export type Services = Awaited<ReturnType<typeof openServices>>;

/** Drops the run's schema and Redis keys, says so, and closes the connections. */
export async function closeServices(services: Services | null, log: (line: string) => void): Promise<void> {
  if (!services) return;
  const { keysDeleted, schemaDropped } = await services.cleanup();
  log(`cleanup: ${schemaDropped ? 'dropped schema' : 'schema NOT dropped'}, deleted ${keysDeleted} Redis keys`);
  await services.close();
}
