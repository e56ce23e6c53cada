import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { databaseFor, type isolation } from './app.js';

/** Runs `workers/main.ts` as a real process on a test isolation; resolves once it is ready. */
export async function spawnWorkers(iso: ReturnType<typeof isolation>, env: Record<string, string> = {}) {
  const db = await databaseFor(iso.DATABASE_SCHEMA);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: { PATH: process.env.PATH, DATABASE_URL: db.url, REDIS_URL: inject('redisUrl'), LOG_LEVEL: 'info', ...iso, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d;
      if (output.includes('workers ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`workers exited (${code}):\n${output.slice(-2000)}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    /** Kills the process without warning, as a crash or an OOM kill would. */
    async kill() {
      child.kill('SIGKILL');
      await exited;
      await db.release();
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await db.release();
    },
  };
}
