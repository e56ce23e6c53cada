import net from 'node:net';
import type { TestProject } from 'vitest/node';
import { startPrivateRedis } from '../../server/redis/private-redis-server.js';

export const EMBEDDED = 'embedded:pglite';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.setTimeout(500);
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('error', () => (sock.destroy(), resolve(false)));
    sock.once('timeout', () => (sock.destroy(), resolve(false)));
  });
}

/**
 * One Postgres and one Redis for the whole run: the ones named by TEST_DATABASE_URL /
 * TEST_REDIS_URL, else the machine's own on their standard ports, else an embedded
 * PGlite and a private redis-server (LOTUS_TEST_EMBEDDED=1 forces those). Each test
 * file then isolates itself with its own schema and Redis key prefix.
 */
export default async function setup(project: TestProject) {
  const env = process.env;
  const forceEmbedded = env.LOTUS_TEST_EMBEDDED === '1';
  const stops: Array<() => Promise<void>> = [];

  let databaseUrl = env.TEST_DATABASE_URL;
  if (!databaseUrl && !forceEmbedded && (await reachable(5432))) databaseUrl = 'postgres://postgres@127.0.0.1:5432/test';
  // Embedded PGlite is one session inside, so schemas cannot isolate parallel files:
  // each app (or pair of apps sharing an isolation) then gets its own in-memory PGlite.
  if (!databaseUrl) databaseUrl = EMBEDDED;

  let redisUrl = env.TEST_REDIS_URL;
  if (!redisUrl && !forceEmbedded && (await reachable(6379))) redisUrl = 'redis://127.0.0.1:6379';
  if (!redisUrl) {
    const redis = await startPrivateRedis({});
    stops.push(redis.stop);
    redisUrl = redis.url;
  }

  console.log(`tests use postgres ${databaseUrl === EMBEDDED ? 'embedded (PGlite, one per app)' : databaseUrl}, redis ${redisUrl}`);
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  return async () => {
    for (const stop of stops) await stop();
  };
}
