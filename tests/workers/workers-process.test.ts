import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { QueueEvents, Queue } from 'bullmq';
import { createClient } from 'redis';
import { databaseFor, isolation, startTestApp, type TestApp } from '../support/app.js';
import { freePort } from '../../server/redis/private-redis-server.js';
import { startWorkers, type WorkerRuntime } from '../../workers/runtime.js';
import { processors } from '../../workers/processors/index.js';

describe('workers runtime', () => {
  let app: TestApp;
  let runtime: WorkerRuntime;
  beforeAll(async () => {
    app = await startTestApp();
    runtime = await startWorkers(app.deps, processors, inject('redisUrl'));
  });
  afterAll(async () => {
    await runtime?.close();
    await app?.stop();
  });

  it('reports healthy with every queue running', async () => {
    expect(await runtime.healthy()).toEqual({ ok: true, redis: 'up', queues: { maintenance: 'running', polls: 'running', 'proposal-moderation': 'running', 'proposal-scoring': 'running', 'danmaku-persister': 'running' } });
  });

  it('sweep-presence removes viewers of a server process that died, and keeps live ones', async () => {
    const key = app.deps.key('presence', 'room-x');
    const now = Date.now();
    await app.deps.redis.zAdd(key, [
      { score: now - 10 * 60_000, value: 'dead-socket' },
      { score: now, value: 'live-socket' },
    ]);
    const prefix = app.deps.key('bull');
    const queue = new Queue('maintenance', { connection: app.deps.redis, prefix });
    const events = new QueueEvents('maintenance', { connection: createClient({ url: inject('redisUrl') }), prefix });
    await events.waitUntilReady();
    try {
      const job = await queue.add('sweep-presence', { name: 'sweep-presence' });
      const result = await job.waitUntilFinished(events, 10_000);
      // The repeating sweep may have run first and taken the dead socket itself; either way it is gone.
      expect(result.removed).toBeTypeOf('number');
      expect(await app.deps.redis.zRange(key, 0, -1)).toEqual(['live-socket']);
    } finally {
      await events.close();
      await queue.close();
    }
  });

  it('a malformed job fails at once without retries', async () => {
    const prefix = app.deps.key('bull');
    const queue = new Queue('maintenance', { connection: app.deps.redis, prefix });
    const events = new QueueEvents('maintenance', { connection: createClient({ url: inject('redisUrl') }), prefix });
    await events.waitUntilReady();
    try {
      const job = await queue.add('bogus', { name: 'drop-tables' }, { attempts: 5 });
      await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/bad maintenance job/);
      const failed = await queue.getJob(job.id!);
      expect(failed?.attemptsMade).toBe(1);
    } finally {
      await events.close();
      await queue.close();
    }
  });
});

describe('workers process', () => {
  it('starts, answers /healthz, and exits cleanly on SIGTERM', async () => {
    const iso = isolation('workers');
    const db = await databaseFor(iso.DATABASE_SCHEMA);
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.url,
        REDIS_URL: inject('redisUrl'),
        ...iso,
        WORKERS_HEALTH_PORT: String(port),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const onData = () => output.includes('workers ready') && resolve();
        child.stdout.on('data', onData);
        child.once('exit', () => reject(new Error(`workers exited early:\n${output}`)));
      });
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, redis: 'up' });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('workers stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.release();
    }
  });

  it('refuses to start with a bad setting and lists every problem', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      env: { PATH: process.env.PATH, WORKERS_CONCURRENCY: 'lots', REDIS_URL: 'http://nope', LOG_LEVEL: 'loud' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('WORKERS_CONCURRENCY');
    expect(stderr).toContain('REDIS_URL');
    expect(stderr).toContain('LOG_LEVEL');
  });
});
