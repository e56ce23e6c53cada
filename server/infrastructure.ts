import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { startEmbeddedPostgres } from './db/embedded-postgres.js';
import { startPrivateRedis } from './redis/private-redis-server.js';

export interface Infrastructure {
  databaseUrl: string;
  redisUrl: string;
  /** Stops what this process started (nothing when both URLs were given). */
  stop(): Promise<void>;
}

/**
 * Uses DATABASE_URL and REDIS_URL when set; otherwise starts an embedded PGlite and a
 * private redis-server with their data under LOTUS_DATA_DIR, so `npm run demo` needs
 * no services installed beyond Debian's redis-server.
 */
export async function provideInfrastructure(config: Config, log: Logger, need = { redis: true }): Promise<Infrastructure> {
  const stops: Array<() => Promise<void>> = [];
  let databaseUrl = config.DATABASE_URL;
  let redisUrl = config.REDIS_URL;
  try {
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'pglite') });
      stops.push(pg.stop);
      databaseUrl = pg.url;
      log.info({ dataDir: path.join(config.LOTUS_DATA_DIR, 'pglite') }, 'no DATABASE_URL: started embedded PGlite');
    }
    if (!redisUrl && need.redis) {
      const redis = await startPrivateRedis({ dataDir: path.join(config.dataDir, 'redis') });
      stops.push(redis.stop);
      redisUrl = redis.url;
      log.info({ dataDir: path.join(config.LOTUS_DATA_DIR, 'redis') }, 'no REDIS_URL: started a private redis-server');
    }
  } catch (err) {
    await Promise.allSettled(stops.map((s) => s()));
    throw err;
  }
  return {
    databaseUrl,
    redisUrl: redisUrl ?? '',
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}

/** LOTUS_JWT_SECRET, or outside production one generated once and kept in the data folder. */
export async function resolveJwtSecret(config: Config): Promise<string> {
  if (config.LOTUS_JWT_SECRET) return config.LOTUS_JWT_SECRET;
  const file = path.join(config.dataDir, 'jwt-secret');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    await fs.mkdir(config.dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    await fs.writeFile(file, secret, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await fs.readFile(file, 'utf8')).trim();
  }
}
