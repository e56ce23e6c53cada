import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/events.js';
import type { Session } from '../features/auth/index.js';

export interface SocketData {
  /** null for guests, who may watch but not write. */
  session: Session | null;
  ip: string;
}

export type LotusServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type LotusSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
