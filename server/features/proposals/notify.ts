import type { Redis } from '../../redis/redis-client.js';
import type { RoomBroadcaster } from '../../realtime/relay.js';
import { MODERATION_CHANNEL, userChannel } from '../../realtime/channels.js';
import type { ProposalStore } from './store.js';
import { PUBLIC_STATUSES, toProposal } from './view.js';
import type { ProposalRow } from './store.js';

/** Room viewers get at most one update per proposal per second; the last state always goes out. */
const ROOM_WINDOW_MS = 1_000;

/**
 * Who hears about a proposal: its author, at once, on every status change (their
 * personal socket room); and the viewers of its room, throttled, when a public
 * proposal appears or its counts move.
 */
export function createProposalNotifier(deps: { broadcast: RoomBroadcaster; redis: Redis; key: (...p: string[]) => string; store: ProposalStore; channel: (roomId: string) => string }) {
  return {
    async toAuthor(row: ProposalRow): Promise<void> {
      await deps.broadcast.toRoom(userChannel(row.authorId), 'proposal:update', { proposal: toProposal(row) });
    },

    /** A proposal held for review: the staff queue grows live. */
    async toStaff(row: ProposalRow): Promise<void> {
      await deps.broadcast.toRoom(MODERATION_CHANNEL, 'moderation:queue', { targetType: 'proposal', targetId: row.id, roomId: row.roomId, kind: 'held' });
    },

    async toRoom(row: ProposalRow): Promise<void> {
      if (!row.roomId || !(PUBLIC_STATUSES as readonly string[]).includes(row.status)) return;
      const claimed = await deps.redis.set(deps.key('proposal', row.id, 'push'), '1', { condition: 'NX', expiration: { type: 'PX', value: ROOM_WINDOW_MS } });
      if (claimed !== 'OK') return;
      setTimeout(async () => {
        const latest = await deps.store.byId(row.id).catch(() => null);
        if (latest?.roomId) await deps.broadcast.toRoom(deps.channel(latest.roomId), 'proposal:update', { proposal: toProposal(latest) }).catch(() => undefined);
      }, ROOM_WINDOW_MS).unref();
    },
  };
}

export type ProposalNotifier = ReturnType<typeof createProposalNotifier>;
