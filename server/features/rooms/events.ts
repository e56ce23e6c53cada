import { z } from 'zod';
import { ClockPingInput, RoomJoinInput, RoomLeaveInput } from '../../../contracts/events.js';
import type { Room } from '../../../contracts/rooms.js';
import type { Role } from '../../../contracts/auth.js';
import type { EventSpec, HandlerContext } from '../../realtime/handle.js';
import type { LotusSocket } from '../../realtime/types.js';
import type { Clock } from '../../deps.js';
import type { RoomService } from './service.js';
import type { Presence } from './presence.js';
import type { RoomViews } from './views.js';

/** Socket room name of a premiere; kept in one place so every feature broadcasts to the same one. */
export const roomChannel = (roomId: string) => `room:${roomId}`;
/** Staff-only socket room of a premiere: results hidden from fans, the moderation queue. Fans are never in it. */
export const staffChannel = (roomId: string) => `staff:${roomId}`;
const STAFF = new Set(['moderator', 'admin', 'writer']);
const ROOM_PREFIX = roomChannel('');

/**
 * Keeps a socket's staff rooms in step with its role: for every premiere it watches, in
 * the staff room when the role sees hidden results, out of it otherwise. Called when an
 * account's role changes while its sockets are connected.
 */
export function syncStaffRooms(socket: LotusSocket, role: Role): void {
  for (const channel of [...socket.rooms]) {
    if (!channel.startsWith(ROOM_PREFIX)) continue;
    const staffRoom = staffChannel(channel.slice(ROOM_PREFIX.length));
    if (STAFF.has(role)) socket.join(staffRoom);
    else socket.leave(staffRoom);
  }
}

/**
 * Runs after a socket joins a room; what it returns is merged into the join ack.
 * Other features (danmaku: recent comments; polls: the open poll) hook in here.
 */
export type OnRoomJoin = (payload: { room: Room; input: z.infer<typeof RoomJoinInput>; ctx: HandlerContext }) => Promise<object>;

/** Socket events of the rooms feature: the premiere clock and joining a room. */
export function roomEvents(deps: { rooms: RoomService; presence: Presence; views: RoomViews; clock: Clock; onJoin: OnRoomJoin[] }): Record<string, EventSpec<z.ZodType>> {
  const { rooms, presence, clock } = deps;
  return {
    'clock:ping': {
      schema: ClockPingInput,
      access: 'anyone',
      run: (input: z.infer<typeof ClockPingInput>) => ({ t0: input.t0, serverTime: clock.now() }),
    },
    'room:join': {
      schema: RoomJoinInput,
      access: 'anyone',
      async run(input: z.infer<typeof RoomJoinInput>, ctx) {
        const room = await rooms.get(input.roomId);
        const channel = roomChannel(room.id);
        if (!ctx.socket.rooms.has(channel)) {
          ctx.socket.join(channel);
          if (ctx.session && STAFF.has(ctx.session.user.role)) ctx.socket.join(staffChannel(room.id));
          await presence.enter(room.id, ctx.socket.id);
          if (ctx.session) await deps.views.record(room.id, ctx.session.user.id);
        }
        const extras = await Promise.all(deps.onJoin.map((hook) => hook({ room, input, ctx })));
        const viewers = await presence.count(room.id);
        const serverTime = clock.now(); // one reading: the position is the one at serverTime
        return Object.assign(
          { room, serverTime, positionMs: rooms.positionOf(room, serverTime), viewers },
          ...extras,
        );
      },
    },
    'room:leave': {
      schema: RoomLeaveInput,
      access: 'anyone',
      async run(input: z.infer<typeof RoomLeaveInput>, { socket }) {
        const channel = roomChannel(input.roomId);
        if (socket.rooms.has(channel)) {
          socket.leave(channel);
          socket.leave(staffChannel(input.roomId));
          await presence.leave(input.roomId, socket.id);
        }
        return {};
      },
    },
  };
}
