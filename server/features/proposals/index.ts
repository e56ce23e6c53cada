import type { Deps } from '../../deps.js';
import type { RoomBroadcaster } from '../../realtime/relay.js';
import { createLimiter } from '../../rate-limit.js';
import { roomChannel } from '../rooms/index.js';
import type { ModerationCore } from '../moderation/index.js';
import type { PollService } from '../polls/index.js';
import { createProposalStore } from './store.js';
import { createProposalNotifier } from './notify.js';
import { createProposalService } from './service.js';
import { createProposalProcessing } from './processing.js';
import { createProposalRoutes } from './routes.js';
import { createWritersRoutes } from './writers-room.js';

export type { ProposalService } from './service.js';

/** What both the server and the workers need: the store and the notifier. */
export function createProposalCore(deps: Deps & { broadcast: RoomBroadcaster }) {
  const store = createProposalStore(deps.db.orm);
  const notify = createProposalNotifier({ broadcast: deps.broadcast, redis: deps.redis, key: deps.key, store, channel: roomChannel });
  return { store, notify };
}

/** The workers' side: moderation and scoring of proposals. */
export function createProposalWorkers(deps: Deps & { broadcast: RoomBroadcaster; moderation: ModerationCore; userCreatedAt: (id: string) => Promise<number | null> }) {
  const core = createProposalCore(deps);
  return createProposalProcessing({
    ...core,
    rules: deps.moderation.rules,
    audit: deps.moderation.audit,
    queues: deps.queues,
    userCreatedAt: deps.userCreatedAt,
    threshold: deps.config.PROPOSAL_SUPPORT_THRESHOLD,
    now: deps.clock.now,
    log: deps.log,
  });
}

/** Builds the proposals feature for a server process. */
export function createProposals(deps: Deps & { broadcast: RoomBroadcaster; moderation: ModerationCore; polls: PollService }) {
  const { config } = deps;
  const core = createProposalCore(deps);
  const limiter = (name: string, points: number, durationS: number, message: string) =>
    createLimiter({ redis: deps.redis, prefix: config.REDIS_PREFIX, name, points, durationS, message });
  const service = createProposalService({
    ...core,
    queues: deps.queues,
    audit: deps.moderation.audit,
    sanctions: deps.moderation.sanctions,
    now: deps.clock.now,
    submitLimit: limiter('proposal-submit', config.PROPOSALS_PER_HOUR, 3600, 'you have submitted many proposals this hour; try again later'),
    voteLimit: limiter('proposal-vote', config.PROPOSAL_VOTES_PER_MIN, 60, 'you are voting too fast'),
  });
  return {
    service,
    routes: createProposalRoutes(service),
    writersRoutes: createWritersRoutes({ proposals: service, store: core.store, polls: deps.polls, db: deps.db.orm, now: deps.clock.now }),
  };
}
