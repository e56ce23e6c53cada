import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import supertest from 'supertest';
import { loadConfig, type Config } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { buildDeps } from '../../server/build-deps.js';
import { startLotus } from '../../server/lotus.js';
import type { Clock, Deps } from '../../server/deps.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/db/embedded-postgres.js';
import { EMBEDDED } from './global-setup.js';

const embedded = new Map<string, { pg: Promise<EmbeddedPostgres>; users: number }>();

/** The database URL for an isolation: the run's server, or a PGlite of its own. */
export async function databaseFor(schema: string): Promise<{ url: string; release(): Promise<void> }> {
  const url = inject('databaseUrl');
  if (url !== EMBEDDED) return { url, release: async () => undefined };
  let entry = embedded.get(schema);
  if (!entry) embedded.set(schema, (entry = { pg: startEmbeddedPostgres({}), users: 0 }));
  entry.users++;
  const pg = await entry.pg;
  return {
    url: pg.url,
    // Kept until the test file's process ends: a restart test stops its app and starts
    // another on the same data, so the database must outlive the first app.
    async release() {
      entry.users--;
    },
  };
}

export const ADMIN = { handle: 'root_admin', password: 'admin-password-1' };

export interface TestApp {
  url: string;
  deps: Deps;
  config: Config;
  http: ReturnType<typeof supertest>;
  stop(): Promise<void>;
}

/** A fresh schema and Redis prefix for one test file (or one app inside it). */
export function isolation(label = 'app') {
  const id = randomUUID().replaceAll('-', '').slice(0, 12);
  return { DATABASE_SCHEMA: `t_${label.replace(/[^a-z0-9_]/g, '_')}_${id}`, REDIS_PREFIX: `test-${label}-${id}` };
}

/**
 * Starts the real Lotus on port 0 against the run's Postgres and Redis, in its own
 * schema and key prefix. `env` overrides settings; pass the same isolation to two
 * apps to get two server processes' worth of Lotus sharing one database and Redis.
 */
export async function startTestApp(
  opts: { env?: Record<string, string>; clock?: Clock; shared?: ReturnType<typeof isolation>; databaseUrl?: string; redisUrl?: string } = {},
): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: process.env.LOTUS_TEST_LOG ?? 'silent',
    LOTUS_JWT_SECRET: 'test-secret-test-secret-test-secret-42',
    LOTUS_ADMIN_HANDLE: ADMIN.handle,
    LOTUS_ADMIN_PASSWORD: ADMIN.password,
    DATABASE_POOL_SIZE: '5',
    REGISTRATIONS_PER_HOUR: '10000',
    LOGIN_ATTEMPTS_PER_15MIN: '1000',
    ...(opts.shared ?? isolation()),
    ...opts.env,
  });
  const database = opts.databaseUrl ? { url: opts.databaseUrl, release: async () => undefined } : await databaseFor(config.DATABASE_SCHEMA);
  const log = createLogger({ level: config.LOG_LEVEL, name: 'lotus-test' });
  const built = await buildDeps({
    config,
    log,
    databaseUrl: database.url,
    redisUrl: opts.redisUrl ?? inject('redisUrl'),
    clock: opts.clock,
    migrate: true,
  });
  const lotus = await startLotus({ ...built.deps, jwtSecret: config.LOTUS_JWT_SECRET! });
  return {
    url: lotus.url,
    deps: built.deps,
    config,
    http: supertest(lotus.url),
    async stop() {
      await lotus.close();
      await built.close();
      await database.release();
    },
  };
}
