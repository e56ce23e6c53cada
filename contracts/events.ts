import { z } from 'zod';
import type { Ack } from './errors.js';
import type { Room } from './rooms.js';
import type { User } from './auth.js';
import { StreamId, type DanmakuBatch } from './danmaku.js';
import type { Poll, Tallies } from './polls.js';
import type { Proposal } from './proposals.js';

/** Payload schemas of client -> server events, validated at the edge. */
export const ClockPingInput = z.strictObject({ t0: z.number().finite() });
export const RoomJoinInput = z.strictObject({
  roomId: z.uuid(),
  /** The last danmaku batch `seq` this client saw: the ack then carries what it missed (after a reconnect). */
  sinceSeq: StreamId.optional(),
});
export const RoomLeaveInput = z.strictObject({ roomId: z.uuid() });

export interface ClientToServerEvents {
  'session:whoami': (payload: unknown, ack: (res: Ack<{ user: User | null }>) => void) => void;
  'clock:ping': (payload: { t0: number }, ack: (res: Ack<{ t0: number; serverTime: number }>) => void) => void;
  'room:join': (
    payload: { roomId: string },
    ack: (res: Ack<{ room: Room; serverTime: number; positionMs: number; viewers: number }>) => void,
  ) => void;
  'room:leave': (payload: { roomId: string }, ack: (res: Ack) => void) => void;
}

export interface ServerToClientEvents {
  'room:viewers': (payload: { roomId: string; viewers: number }) => void;
  /** Merged danmaku of one tick; `seq` is the room-stream id of the last item, for resuming. */
  'danmaku:batch': (payload: DanmakuBatch & { seq: string }) => void;
  /** Comments hidden by staff or reports: remove them from the screen and the local replay. */
  'danmaku:retract': (payload: { roomId: string; ids: string[] }) => void;
  // Every poll event carries `version` (contracts/polls.ts pollVersion): clients drop one older than what they have.
  /** Staff only (their staff room): a draft was created, by hand or scheduled for a moment of the premiere. */
  'poll:created': (payload: { poll: Poll; version: number }) => void;
  /** With the current results: `tallies` for live-results polls, and for staff (in their staff room) always. */
  'poll:opened': (payload: { poll: Poll; tallies?: Tallies; total: number; version: number }) => void;
  /** At most four a second per poll; `tallies` is absent for fans while results are hidden until close. */
  'poll:update': (payload: { poll: Poll; tallies?: Tallies; total: number; version: number }) => void;
  'poll:closed': (payload: { poll: Poll; tallies: Tallies; total: number; version: number }) => void;
  /** To the author (any status change) and to the room's viewers (public proposals, throttled). */
  'proposal:update': (payload: { proposal: Proposal }) => void;
  /** Staff only: something entered the review queue. */
  'moderation:queue': (payload: { targetType: 'danmaku' | 'proposal' | 'user'; targetId: string; roomId?: string | null; kind: 'held' | 'reported' }) => void;
  /** To the appellant: a moderator answered. */
  'appeal:update': (payload: { appeal: { id: string; status: string; reply: string | null } }) => void;
}
