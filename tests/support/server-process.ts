import { spawn } from 'node:child_process';
import { inject } from 'vitest';
import supertest from 'supertest';
import { databaseFor, type isolation } from './app.js';

export interface ServerProcess {
  url: string;
  http: ReturnType<typeof supertest>;
  stop(): Promise<void>;
}

/**
 * Starts `server/main.ts` as a real separate process on port 0, sharing the given
 * isolation (schema and Redis prefix) with other apps: a second server process behind
 * the same load balancer.
 */
export async function spawnServer(iso: ReturnType<typeof isolation>, env: Record<string, string> = {}): Promise<ServerProcess> {
  const db = await databaseFor(iso.DATABASE_SCHEMA);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: db.url,
      REDIS_URL: inject('redisUrl'),
      LOTUS_JWT_SECRET: 'test-secret-test-secret-test-secret-42',
      REGISTRATIONS_PER_HOUR: '10000',
      LOGIN_ATTEMPTS_PER_15MIN: '1000',
      ...iso,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (d) => (output += d));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d;
      const m = /"port":(\d+),"msg":"lotus listening"/.exec(output);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output.slice(-2000)}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    http: supertest(url),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await db.release();
    },
  };
}
