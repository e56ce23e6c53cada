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
    async cleanup(): Promise<{ keysDeleted: number; schemaDropped: boolean }> {
      let keysDeleted = 0;
      try {
        for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1_000 })) {
          const keys = (Array.isArray(batch) ? batch : [batch]) as string[];
          if (keys.length) keysDeleted += await redis.unlink(keys);
        }
      } catch (err) {
        console.warn(`! could not delete Redis keys ${prefix}:*: ${(err as Error).message}`);
      }
      let schemaDropped = true;
      await pool.query(`drop schema if exists "${schema}" cascade`).catch((err: Error) => {
        schemaDropped = false;
        console.warn(`! could not drop schema ${schema}: ${err.message}`);
      });
      return { keysDeleted, schemaDropped };
    },
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
