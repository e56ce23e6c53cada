import type { Deps } from '../../deps.js';
import type { RoomBroadcaster } from '../../realtime/relay.js';
import type { RoomService, OnRoomJoin } from '../rooms/index.js';
import type { Sanctions } from '../moderation/index.js';
import { roomChannel, staffChannel } from '../rooms/index.js';
import { createPollStore } from './store.js';
import { createLiveTallies } from './live-tallies.js';
import { createPollLifecycle } from './lifecycle.js';
import { createPollService } from './service.js';
import { createVoteBatcher } from './vote-batcher.js';
import { createProfileStore } from './profiles.js';
import { createPollRoutes } from './routes.js';
import { pollEvents } from './events.js';

export type { PollService } from './service.js';

/** At most four live tally pushes a second per poll. */
export const POLL_PUSH_WINDOW_MS = 250;

/** The parts both the server and the workers need: store, live counters and the lifecycle. */
export function createPollCore(deps: Deps & { broadcast: RoomBroadcaster }) {
  const store = createPollStore(deps.db.orm);
  const live = createLiveTallies({ redis: deps.redis, key: deps.key, windowMs: POLL_PUSH_WINDOW_MS });
  const lifecycle = createPollLifecycle({
    store,
    live,
    queues: deps.queues,
    broadcast: deps.broadcast,
    channel: roomChannel,
    staffChannel,
    now: deps.clock.now,
    log: deps.log,
  });
  return { store, live, lifecycle };
}

/** Builds the polls feature for a server process. */
export function createPolls(deps: Deps & { broadcast: RoomBroadcaster; rooms: RoomService; sanctions: Pick<Sanctions, 'assertNotBanned'> }) {
  const core = createPollCore(deps);
  const batcher = createVoteBatcher({
    store: core.store,
    now: deps.clock.now,
    log: deps.log,
    lingerMs: deps.config.POLL_VOTE_BATCH_MS,
    maxBatch: deps.config.POLL_VOTE_BATCH_MAX,
    // Counted after the rows commit; whoever takes the window's push lock publishes at its end.
    async afterCommit(poll, inserted) {
      await core.live.add(poll.id, inserted);
      if (await core.live.claimPush(poll.id)) {
        setTimeout(() => void core.lifecycle.pushUpdate(poll.id).catch((err) => deps.log.warn({ err: err.message, pollId: poll.id }, 'poll update not pushed')), POLL_PUSH_WINDOW_MS).unref();
      }
    },
  });
  const service = createPollService({ ...core, batcher, rooms: deps.rooms, sanctions: deps.sanctions, now: deps.clock.now });
  const profiles = createProfileStore(deps.db.orm, deps.clock.now);

  /** On room:join the viewer gets the room's polls (open, and closed ones for the replay). */
  const onJoin: OnRoomJoin = async ({ room, ctx }) => ({ polls: await service.listByRoom(room.id, ctx.session?.user ?? null) });

  return {
    service,
    onJoin,
    routes: createPollRoutes({ polls: service, profiles, db: deps.db.orm, now: deps.clock.now }),
    events: pollEvents(service),
  };
}
