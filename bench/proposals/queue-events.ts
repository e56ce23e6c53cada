import type { Services } from '../kit/services.js';

/**
 * Follows a BullMQ queue's event stream (`<prefix>:bull:<queue>:events`) and keeps
 * every completed / failed / duplicated event with its time, which the stream id
 * carries (ms). The stream is trimmed to ~10,000 entries on add, so it is read every
 * 200 ms, well before anything is trimmed away. Read-only: it never touches the jobs.
 */
export interface QueueEvent {
  t: number;
  jobId: string;
}

export function tailQueueEvents(redis: Services['redis'], key: string) {
  let last = '0-0';
  let busy = false;
  const completed: QueueEvent[] = [];
  const active: QueueEvent[] = [];
  const failed: Array<QueueEvent & { reason: string }> = [];
  const counts: Record<string, number> = {};
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      for (let round = 0; round < 50; round++) {
        const entries = await redis.xRange(key, `(${last}`, '+', { COUNT: 5_000 });
        for (const e of entries) {
          last = e.id;
          const t = Number(e.id.split('-')[0]);
          const m = e.message as Record<string, string>;
          counts[m.event] = (counts[m.event] ?? 0) + 1;
          if (m.event === 'completed') completed.push({ t, jobId: m.jobId });
          else if (m.event === 'active') active.push({ t, jobId: m.jobId });
          else if (m.event === 'failed') failed.push({ t, jobId: m.jobId, reason: String(m.failedReason ?? '').slice(0, 200) });
        }
        if (entries.length < 5_000) break;
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll().catch(() => undefined), 200);
  timer.unref();
  return {
    completed,
    active,
    failed,
    counts,
    /** Reads what is left, then stops. */
    async flush() {
      while (busy) await new Promise((r) => setTimeout(r, 20));
      await poll().catch(() => undefined);
    },
    stop() {
      clearInterval(timer);
    },
    /** Completed events with t in [from, to]. */
    completedBetween(from: number, to: number) {
      return completed.filter((e) => e.t >= from && e.t <= to);
    },
  };
}

export type QueueTail = ReturnType<typeof tailQueueEvents>;

/** Jobs still waiting, delayed, prioritized or running in a queue (raw keys, read-only). */
export async function queueBacklog(redis: Services['redis'], prefix: string, queue: string): Promise<number> {
  const k = (s: string) => `${prefix}:bull:${queue}:${s}`;
  const [wait, active, delayed, prioritized, paused] = await Promise.all([
    redis.lLen(k('wait')),
    redis.lLen(k('active')),
    // A job scheduler (the `rescore-active` sweep) always keeps its next run delayed: that is not backlog.
    redis.zRange(k('delayed'), 0, -1).then((ids) => ids.filter((id) => !id.startsWith('repeat:')).length),
    redis.zCard(k('prioritized')),
    redis.lLen(k('paused')),
  ]);
  return wait + active + delayed + prioritized + paused;
}
