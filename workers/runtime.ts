import { Queue, Worker } from 'bullmq';
import { connectRedis, pingRedis } from '../server/redis/redis-client.js';
import type { Deps } from '../server/deps.js';
import type { ProcessorSpec } from './processor.js';
import { createDanmakuPersister } from './consumers/danmaku-persister.js';

export interface WorkerRuntime {
  /** True when Redis answers and every worker is running. */
  healthy(): Promise<{ ok: boolean; redis: 'up' | 'down'; queues: Record<string, 'running' | 'stopped'> }>;
  close(): Promise<void>;
}

/**
 * Starts one BullMQ Worker per processor on its own Redis connection (BullMQ blocks
 * on it), with error handlers that log and keep going, and upserts each queue's
 * schedules. `close()` lets running jobs finish: call it on SIGTERM.
 */
export async function startWorkers(deps: Deps, specs: ProcessorSpec[], redisUrl: string): Promise<WorkerRuntime> {
  const prefix = deps.key('bull');
  const workers: Worker[] = [];
  const queues: Queue[] = [];
  const connections: Array<{ close(): Promise<unknown> }> = [];
  const onRedisError = (err: Error) => deps.log.warn({ err: err.message }, 'worker redis error');

  for (const spec of specs) {
    const workerConn = await connectRedis(redisUrl, onRedisError, `lotus-worker-${spec.queue}`);
    connections.push(workerConn);
    const worker = new Worker(spec.queue, spec.create(deps), {
      connection: workerConn,
      prefix,
      concurrency: deps.config.WORKERS_CONCURRENCY,
      lockDuration: deps.config.WORKERS_LOCK_MS,
      stalledInterval: deps.config.WORKERS_LOCK_MS,
    });
    worker.on('error', (err) => deps.log.error({ err, queue: spec.queue }, 'worker error'));
    worker.on('failed', (job, err) =>
      deps.log.warn({ queue: spec.queue, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
    );
    workers.push(worker);

    if (spec.schedules?.length) {
      const queue = new Queue(spec.queue, { connection: deps.redis, prefix });
      queue.on('error', (err) => deps.log.warn({ err: err.message, queue: spec.queue }, 'queue error'));
      queues.push(queue);
      for (const s of spec.schedules) {
        await queue.upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.id, data: s.data, opts: { removeOnComplete: 100, removeOnFail: 1000 } });
      }
    }
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  // Stream consumers: work that arrives as a Redis Stream rather than as BullMQ jobs.
  const consumers = [createDanmakuPersister(deps)];
  for (const c of consumers) await c.start();
  deps.log.info({ queues: specs.map((s) => s.queue) }, 'workers running');

  return {
    async healthy() {
      const redisUp = await pingRedis(deps.redis);
      const state = Object.fromEntries([
        ...workers.map((w) => [w.name, w.isRunning() ? 'running' : 'stopped']),
        ...consumers.map((c) => [c.name, c.isRunning() ? 'running' : 'stopped']),
      ]) as Record<string, 'running' | 'stopped'>;
      return { ok: redisUp && Object.values(state).every((s) => s === 'running'), redis: redisUp ? 'up' : 'down', queues: state };
    },
    async close() {
      await Promise.all(consumers.map((c) => c.stop()));
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(queues.map((q) => q.close()));
      await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
    },
  };
}
