import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/events.js';
import type { User } from '../../contracts/auth.js';
import type { Session } from '../features/auth/index.js';

export interface SocketData {
  /** null for guests, who may watch but not write. */
  session: Session | null;
  ip: string;
}

/** Between server processes, through the Socket.IO adapter. */
export interface InterServerEvents {
  /** An account's role changed: move its sockets on this process in or out of staff channels, then answer. */
  'session:role': (user: User, done: (applied: number) => void) => void;
  /** A user's sanctions changed: drop this process's reading of them, then answer. */
  'sanctions:changed': (userId: string, done: (ok: boolean) => void) => void;
}

export type LotusServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type LotusSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
