import { io, type Socket } from 'socket.io-client';
import type { Danmaku } from '../../../contracts/danmaku.js';
import { createStore, type Store } from '../store.js';

/** `moderation:queue`: something entered the review queue (staff sockets only). */
export interface QueueEvent {
  targetType: 'danmaku' | 'proposal' | 'user';
  targetId: string;
  roomId?: string | null;
  kind: 'held' | 'reported';
}

export type LinkStatus = 'connecting' | 'connected' | 'reconnecting';

/** What a watched room reports to the live view. */
export interface RoomHandlers {
  /** After (re)joining: the recent comments the server sent with the ack. */
  joined(recent: Danmaku[], viewers: number): void;
  joinFailed(code: string): void;
  batch(items: Danmaku[]): void;
  retract(ids: string[]): void;
  viewers(count: number): void;
}

interface JoinAck {
  ok: boolean;
  viewers?: number;
  danmaku?: { items: Danmaku[]; seq: string | null };
  error?: { code: string };
}

/**
 * The console's one realtime link: Socket.IO on this origin, authenticated by the
 * httpOnly session cookie, so the server puts it in the staff channel. It carries
 * queue arrivals for the whole console and the danmaku of the room being watched,
 * re-joining that room (with the last `seq`) after a dropped connection.
 */
export class StaffLink {
  readonly status: Store<LinkStatus> = createStore<LinkStatus>('connecting');
  private socket: Socket | null = null;
  private readonly queueListeners = new Set<(event: QueueEvent) => void>();
  private watched: { roomId: string; handlers: RoomHandlers; seq: string | null } | null = null;
  private everConnected = false;

  start(): void {
    if (this.socket) return;
    const socket = io({ transports: ['websocket', 'polling'], tryAllTransports: true });
    this.socket = socket;
    socket.on('connect', () => {
      this.everConnected = true;
      this.status.set('connected');
      if (this.watched) void this.join(this.watched);
    });
    const down = () => this.status.set(this.everConnected ? 'reconnecting' : 'connecting');
    socket.on('disconnect', down);
    socket.on('connect_error', down);
    socket.on('moderation:queue', (event: QueueEvent) => {
      for (const listener of [...this.queueListeners]) listener(event);
    });
    socket.on('danmaku:batch', (p: { roomId: string; items: Danmaku[]; seq: string }) => {
      const w = this.watched;
      if (!w || p.roomId !== w.roomId) return;
      w.seq = p.seq;
      w.handlers.batch(p.items);
    });
    socket.on('danmaku:retract', (p: { roomId: string; ids: string[] }) => {
      if (this.watched?.roomId === p.roomId) this.watched.handlers.retract(p.ids);
    });
    socket.on('room:viewers', (p: { roomId: string; viewers: number }) => {
      if (this.watched?.roomId === p.roomId) this.watched.handlers.viewers(p.viewers);
    });
  }

  stop(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.watched = null;
  }

  /** Calls `listener` for every queue arrival until the returned function is called. */
  onQueue(listener: (event: QueueEvent) => void): () => void {
    this.queueListeners.add(listener);
    return () => this.queueListeners.delete(listener);
  }

  /** Joins a room's live stream (leaving the previous one); returns the function that leaves it. */
  watch(roomId: string, handlers: RoomHandlers): () => void {
    this.unwatch();
    const watched = { roomId, handlers, seq: null as string | null };
    this.watched = watched;
    if (this.socket?.connected) void this.join(watched);
    return () => {
      if (this.watched === watched) this.unwatch();
    };
  }

  private unwatch(): void {
    const previous = this.watched;
    this.watched = null;
    if (previous && this.socket?.connected) this.socket.emit('room:leave', { roomId: previous.roomId }, () => undefined);
  }

  private async join(watched: NonNullable<StaffLink['watched']>): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    const payload = watched.seq ? { roomId: watched.roomId, sinceSeq: watched.seq } : { roomId: watched.roomId };
    let ack: JoinAck;
    try {
      ack = (await socket.timeout(6_000).emitWithAck('room:join', payload)) as JoinAck;
    } catch {
      ack = { ok: false, error: { code: 'NETWORK' } };
    }
    if (this.watched !== watched) return;
    if (!ack?.ok) return watched.handlers.joinFailed(ack?.error?.code ?? 'UNKNOWN');
    if (ack.danmaku?.seq) watched.seq = ack.danmaku.seq;
    watched.handlers.joined(ack.danmaku?.items ?? [], ack.viewers ?? 0);
  }
}
