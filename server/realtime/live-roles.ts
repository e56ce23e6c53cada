import type { Logger } from 'pino';
import type { Role, User } from '../../contracts/auth.js';
import { userChannel } from './channels.js';
import type { LotusServer, LotusSocket } from './types.js';

/**
 * Puts a socket in or takes it out of the staff-only channels one feature owns, for
 * this role. Runs when the socket connects and again whenever its account's role changes.
 */
export type StaffChannelRule = (socket: LotusSocket, role: Role) => void;

/** Joins `channel` when `member`, leaves it otherwise. */
export function toggleChannel(socket: LotusSocket, channel: string, member: boolean): void {
  if (member) socket.join(channel);
  else socket.leave(channel);
}

/**
 * Role changes reach live sockets on every server process: a fan promoted to moderator
 * sees the review queue without reconnecting, a demoted moderator stops at once. The
 * process that changed the role applies it to its own sockets, then asks every other
 * process through the adapter and waits for their answers, so once the role change
 * has answered no socket of that account is left in a channel its role no longer allows.
 */
export function createLiveRoles(deps: { io: LotusServer; rules: StaffChannelRule[]; log: Logger }) {
  const { io, rules, log } = deps;

  /** Applies the role to this process's sockets of the account; returns how many it moved. */
  function applyHere(user: User): number {
    const ids = io.of('/').adapter.rooms.get(userChannel(user.id)) ?? new Set<string>();
    let moved = 0;
    for (const id of ids) {
      const socket = io.of('/').sockets.get(id);
      const session = socket?.data.session;
      if (!socket || !session || session.user.id !== user.id) continue;
      // Later checks (room:join, event access, the staff flag on danmaku) read the session: keep it current.
      socket.data.session = { ...session, user: { ...session.user, role: user.role } };
      for (const rule of rules) rule(socket, user.role);
      moved++;
    }
    return moved;
  }

  io.on('session:role', (user, done) => done(applyHere(user)));

  return {
    /** Applies the connect-time channels of a new socket. */
    onConnect(socket: LotusSocket): void {
      if (socket.data.session) for (const rule of rules) rule(socket, socket.data.session.user.role);
    },

    /** After a role change is stored: every process moves the account's sockets before this resolves. */
    async roleChanged(user: User): Promise<void> {
      applyHere(user);
      try {
        await io.serverSideEmitWithAck('session:role', user);
      } catch (err) {
        // A process that does not answer (crashing, cut off from Redis) drops its sockets soon anyway;
        // their next handshake reads the new role.
        log.warn({ err: (err as Error).message, userId: user.id }, 'role change not confirmed by every server process');
      }
    },
  };
}

export type LiveRoles = ReturnType<typeof createLiveRoles>;
