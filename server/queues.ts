import { Queue } from 'bullmq';
import { QueueName, ScoringJobName } from '../contracts/jobs.js';
import type { Redis } from './redis/redis-client.js';

/**
 * Producers for the workers' queues, shared by the server and the workers (who
 * schedule follow-up jobs). Job ids make scheduling idempotent: the same close
 * scheduled twice is one job.
 */
export function createQueues(redis: Redis, key: (...p: string[]) => string, onError: (err: Error) => void) {
  const prefix = key('bull');
  const polls = new Queue(QueueName.polls, {
    connection: redis,
    prefix,
    defaultJobOptions: { attempts: 10, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: 1000, removeOnFail: 5000 },
  });
  const proposalModeration = new Queue(QueueName.proposalModeration, {
    connection: redis,
    prefix,
    defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: 1000, removeOnFail: false },
  });
  // Scoring jobs are debounced by job id; completed ones are removed so the id frees up for the next vote.
  const proposalScoring = new Queue(QueueName.proposalScoring, {
    connection: redis,
    prefix,
    defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: true, removeOnFail: false },
  });
  for (const q of [polls, proposalModeration, proposalScoring]) q.on('error', onError);
  return {
    prefix,
    polls,
    proposalModeration,
    proposalScoring,
    /**
     * Schedules a score recompute after the current `windowMs` window ends: every vote in
     * one window shares a job (the job id names the window), and the job runs after the
     * window, so it reads every vote made in it. At most 1000 / windowMs jobs a second
     * per proposal, and never a vote left unscored.
     */
    async scoreSoon(proposalId: string, windowMs = 250) {
      const now = Date.now();
      const windowEnd = (Math.floor(now / windowMs) + 1) * windowMs;
      await proposalScoring.add(ScoringJobName.score, { proposalId }, { jobId: `score-${proposalId}-${windowEnd}`, delay: windowEnd - now + 20 });
    },
    async close() {
      await Promise.all([polls.close(), proposalModeration.close(), proposalScoring.close()]);
    },
  };
}

export type Queues = ReturnType<typeof createQueues>;
