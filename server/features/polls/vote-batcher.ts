import type { Logger } from 'pino';
import type { Poll } from '../../../contracts/polls.js';
import type { PollStore, VoteOutcome } from './store.js';

interface PendingVote {
  userId: string;
  optionIds: string[];
  at: Date;
  resolve(outcome: VoteOutcome): void;
  reject(err: unknown): void;
}

interface PollQueue {
  poll: Poll;
  pending: PendingVote[];
  timer: NodeJS.Timeout | null;
  flushing: boolean;
}

export interface VoteBatcherDeps {
  store: PollStore;
  now: () => number;
  log: Logger;
  /** How long the first vote of a batch waits for others (0: only what queued up behind the last write). */
  lingerMs: number;
  /** Most votes in one statement. */
  maxBatch: number;
  /** Called once per written batch with the choices that were inserted (for the live counters). */
  afterCommit(poll: Poll, inserted: string[][]): Promise<void>;
}

/**
 * Group commit for poll votes. A burst of thousands of votes would otherwise take one
 * pooled connection each and queue behind the pool; here votes on one poll that arrive
 * within `lingerMs`, or while the previous write of that poll is running, go into one
 * multi-row INSERT. Each voter still waits for its own row's commit and gets its own
 * answer, so an ok ack still means exactly one counted vote. One write per poll is in
 * flight at a time, so a burst holds at most one connection per poll.
 */
export function createVoteBatcher(deps: VoteBatcherDeps) {
  const queues = new Map<string, PollQueue>();

  async function flush(q: PollQueue): Promise<void> {
    q.timer = null;
    q.flushing = true;
    const batch = q.pending.splice(0, deps.maxBatch);
    try {
      await write(q.poll, batch);
    } finally {
      q.flushing = false;
      // Votes that came in during the write have waited long enough: write them at once.
      if (q.pending.length) void flush(q);
      else queues.delete(q.poll.id);
    }
  }

  async function write(poll: Poll, batch: PendingVote[]): Promise<void> {
    // One row per account per statement; a second submit of the same account in the
    // same batch is answered from the first one's outcome.
    const first = new Map<string, PendingVote>();
    for (const v of batch) if (!first.has(v.userId)) first.set(v.userId, v);
    let outcomes: Map<string, VoteOutcome>;
    try {
      outcomes = await deps.store.voteMany(poll.id, [...first.values()]);
    } catch (err) {
      for (const v of batch) v.reject(err);
      return;
    }
    const inserted = [...first.values()].filter((v) => outcomes.get(v.userId) === 'inserted').map((v) => v.optionIds);
    // The rows are committed: the live view is best effort and must not turn a counted vote into an error.
    if (inserted.length) await deps.afterCommit(poll, inserted).catch((err) => deps.log.warn({ err: (err as Error).message, pollId: poll.id }, 'live tallies not updated'));
    for (const v of batch) {
      const outcome = outcomes.get(v.userId) ?? 'closed';
      v.resolve(first.get(v.userId) === v ? outcome : outcome === 'closed' ? 'closed' : 'duplicate');
    }
  }

  return {
    /** Queues one account's vote; resolves once its batch is committed, with its own outcome. */
    submit(poll: Poll, userId: string, optionIds: string[]): Promise<VoteOutcome> {
      return new Promise<VoteOutcome>((resolve, reject) => {
        let q = queues.get(poll.id);
        if (!q) queues.set(poll.id, (q = { poll, pending: [], timer: null, flushing: false }));
        q.pending.push({ userId, optionIds, at: new Date(deps.now()), resolve, reject });
        if (q.flushing || q.timer) {
          if (!q.flushing && q.pending.length >= deps.maxBatch) {
            clearTimeout(q.timer!);
            void flush(q);
          }
          return;
        }
        const queue = q;
        if (deps.lingerMs === 0 || q.pending.length >= deps.maxBatch) void flush(queue);
        else q.timer = setTimeout(() => void flush(queue), deps.lingerMs);
      });
    },
  };
}

export type VoteBatcher = ReturnType<typeof createVoteBatcher>;
