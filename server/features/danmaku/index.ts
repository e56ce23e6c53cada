import type { Deps } from '../../deps.js';
import type { LotusServer } from '../../realtime/types.js';
import type { RoomService, OnRoomJoin } from '../rooms/index.js';
import { roomChannel } from '../rooms/index.js';
import { MODERATION_CHANNEL } from '../../realtime/channels.js';
import type { ModerationCore } from '../moderation/index.js';
import type { Limiter } from '../../rate-limit.js';
import { createDanmakuStreams } from './stream.js';
import { createDanmakuStore } from './store.js';
import { createDanmakuSender } from './service.js';
import { createFanout } from './fanout.js';
import { createDanmakuModeration } from './moderate.js';
import { createDanmakuReactions } from './reactions.js';
import { danmakuEvents } from './events.js';
import { createDanmakuRoutes } from './routes.js';
import { registerDanmakuGauges } from './metrics.js';
import { createRefusedDanmaku, createRefusedRoutes } from './refused.js';

export type { DanmakuModeration } from './moderate.js';
export { createDanmakuStore, type PersistItem } from './store.js';
export { holdAuditEntries } from './automod.js';
export { createDanmakuStreams, parseEntry } from './stream.js';

/** Recent comments a joining viewer gets at once, so a late joiner never sees an empty screen. */
const RECENT_ON_JOIN = 50;
const MISSED_ON_REJOIN = 1_000;

/** Builds the danmaku feature: sending, fan-out, likes and reports, replay and density. */
export function createDanmaku(deps: Deps & { io: LotusServer; rooms: RoomService; moderation: ModerationCore; reportLimit: Limiter }) {
  const { config } = deps;
  const streams = createDanmakuStreams({ redis: deps.redis, key: deps.key });
  const store = createDanmakuStore(deps.db.orm);
  const sender = createDanmakuSender({
    rooms: deps.rooms,
    sanctions: deps.moderation.sanctions,
    rules: deps.moderation.rules,
    streams,
    redis: deps.redis,
    key: deps.key,
    now: deps.clock.now,
    userIntervalMs: config.DANMAKU_USER_INTERVAL_MS,
    perIpPer10s: config.DANMAKU_PER_IP_PER_10S,
  });
  const moderation = createDanmakuModeration({ store, streams, io: deps.io, channel: roomChannel });
  const reactions = createDanmakuReactions({ store, moderation, reports: deps.moderation.reports, audit: deps.moderation.audit, reportsToHide: config.DANMAKU_REPORTS_TO_HIDE });
  const fanout = createFanout({
    io: deps.io,
    redis: deps.redis,
    roomKey: streams.roomKey,
    channel: roomChannel,
    log: deps.log,
    now: deps.clock.now,
    options: { tickMs: config.DANMAKU_TICK_MS, capPerSecond: config.DANMAKU_DISPLAY_CAP_PER_S },
  });
  registerDanmakuGauges(deps.metrics, deps.redis, streams, fanout);

  /** On room:join: start tailing the room here and hand the viewer what it missed (or the latest few). */
  const onJoin: OnRoomJoin = async ({ room, input, ctx }) => {
    // A process that does not tail this room yet starts at the stream's own end, read
    // before the joiner's catch-up (a comment in both reaches the joiner twice, and the
    // client drops the second). Never at the joiner's seq: one past the end would silence
    // the room for everyone here, one far back would replay the stream to all of them.
    const tailFrom = config.DANMAKU_FANOUT === 'merged' && !fanout.isWatching(room.id) ? await streams.lastId(room.id) : null;
    const { items, seq } = await streams.recent(room.id, input.sinceSeq, input.sinceSeq ? MISSED_ON_REJOIN : RECENT_ON_JOIN);
    const states = await streams.statesOf(items.map((d) => d.id));
    if (tailFrom !== null) fanout.watch(room.id, tailFrom);
    // The viewer's own comments still waiting for review survive a reload.
    const mine = ctx.session ? await store.heldBy(room.id, ctx.session.user.id) : [];
    return { danmaku: { items: items.filter((_, i) => !states[i] || states[i] === 'visible'), seq, held: mine } };
  };

  return {
    store,
    streams,
    moderation,
    reactions,
    fanout,
    onJoin,
    routes: createDanmakuRoutes({ rooms: deps.rooms, store }),
    /** Admins' tool for what the persister set aside in the refused stream. */
    refusedRoutes: createRefusedRoutes({ refused: createRefusedDanmaku({ redis: deps.redis, streams, db: deps.db.orm, audit: deps.moderation.audit }) }),
    events: danmakuEvents({
      sender,
      reactions,
      reportLimit: deps.reportLimit,
      // The benchmark's baseline: every accepted danmaku broadcast on its own, across processes.
      onAccepted:
        config.DANMAKU_FANOUT === 'naive'
          ? (d, seq) => deps.io.to(roomChannel(d.roomId)).emit('danmaku:batch', { roomId: d.roomId, items: [d], seq })
          : undefined,
      onHeld: (d) => deps.io.to(MODERATION_CHANNEL).emit('moderation:queue', { targetType: 'danmaku', targetId: d.id, roomId: d.roomId, kind: 'held' }),
      onReported: (id) => deps.io.to(MODERATION_CHANNEL).emit('moderation:queue', { targetType: 'danmaku', targetId: id, kind: 'reported' }),
    }),
  };
}
