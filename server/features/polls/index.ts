import type { Deps } from '../../deps.js';
import type { RoomBroadcaster } from '../../realtime/relay.js';
import type { RoomService, OnRoomJoin } from '../rooms/index.js';
import { roomChannel, staffChannel } from '../rooms/index.js';
import { createPollStore } from './store.js';
import { createLiveTallies } from './live-tallies.js';
import { createPollLifecycle } from './lifecycle.js';
import { createPollService } from './service.js';
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
export function createPolls(deps: Deps & { broadcast: RoomBroadcaster; rooms: RoomService }) {
  const core = createPollCore(deps);
  const service = createPollService({ ...core, rooms: deps.rooms, now: deps.clock.now, windowMs: POLL_PUSH_WINDOW_MS });
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
