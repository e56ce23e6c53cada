import { UnrecoverableError } from 'bullmq';
import { ProposalJob, QueueName, ScoringJobName } from '../../contracts/jobs.js';
import { createProposalWorkers } from '../../server/features/proposals/index.js';
import { createModerationCore } from '../../server/features/moderation/index.js';
import { createRelayEmitter } from '../../server/realtime/relay.js';
import { users } from '../../server/db/schema.js';
import { eq } from 'drizzle-orm';
import type { Deps } from '../../server/deps.js';
import type { ProcessorSpec } from '../processor.js';

function build(deps: Deps) {
  return createProposalWorkers({
    ...deps,
    broadcast: createRelayEmitter(deps.redis, deps.key('relay')),
    moderation: createModerationCore(deps),
    userCreatedAt: async (id) => {
      const [row] = await deps.db.orm.select({ createdAt: users.createdAt }).from(users).where(eq(users.id, id));
      return row?.createdAt.getTime() ?? null;
    },
  });
}

const parse = (data: unknown) => {
  const parsed = ProposalJob.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`bad proposal job: ${parsed.error.issues[0]?.message}`);
  return parsed.data.proposalId;
};

/** Automatic moderation of each new proposal: terms, spam signals, near-duplicates. */
export const proposalModeration: ProcessorSpec = {
  queue: QueueName.proposalModeration,
  create: (deps) => {
    const processing = build(deps);
    return async (job) => processing.moderate(parse(job.data));
  },
};

/**
 * Scores after votes and decisions; moves a proposal into writers' review at its
 * franchise's threshold. Every five minutes, `rescore-active` sweeps the proposals
 * active in the last day and rescores those whose stored scores or status lag behind.
 */
export const proposalScoring: ProcessorSpec = {
  queue: QueueName.proposalScoring,
  schedules: [{ id: ScoringJobName.rescoreActive, everyMs: 5 * 60_000, data: {} }],
  create: (deps) => {
    const processing = build(deps);
    return async (job) => {
      switch (job.name) {
        case ScoringJobName.score:
          return processing.score(parse(job.data));
        case ScoringJobName.rescoreActive:
          return processing.rescoreActive();
        default:
          throw new UnrecoverableError(`unknown scoring job ${job.name}`);
      }
    };
  },
};
