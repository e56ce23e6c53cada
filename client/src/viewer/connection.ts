import { io, type Socket } from 'socket.io-client';
import type { Danmaku, DanmakuMode } from '../../../contracts/danmaku.js';
import type { Room } from '../../../contracts/rooms.js';
import type { ClientErrorCode } from '../api.js';
import type { PollView } from '../polls/api.js';
import { ServerClock } from './clock.js';

/** The link's state, shown to the viewer so a quiet room is never mistaken for a broken one. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting';

/** What room:join answers. */
export interface JoinResult {
  room: Room;
  serverTime: number;
  positionMs: number;
  viewers: number;
  danmaku?: { items: Danmaku[]; seq: string | null };
  /** Every poll of the room, with this viewer's vote and the tallies they may see. */
  polls?: PollView[];
}

/** A refused or failed socket request: the server's stable code, or NETWORK when no answer came. */
export interface SocketError {
  code: ClientErrorCode;
  message: string;
  details?: unknown;
}

/** A socket ack: `{ok:true, ...}` or `{ok:false, error}`. */
export type Outcome<T> = ({ ok: true } & T) | { ok: false; error: SocketError };

/** What the connection reports to its owner (the viewer controller). */
export interface ConnectionHandlers {
  status(status: ConnectionStatus): void;
  /** After every (re)join; `rejoin` is true after a dropped connection came back. */
  joined(result: JoinResult, rejoin: boolean): void;
  joinFailed(error: SocketError): void;
  batch(items: Danmaku[]): void;
  retract(ids: string[]): void;
  viewers(count: number): void;
}

/** One comment to send (the room and the nonce are added by the connection). */
export interface SendInput {
  text: string;
  mode: DanmakuMode;
  color: string;
  /** Only for replays: while live the server decides the moment. */
  offsetMs?: number;
}

const CLOCK_RESYNC_MS = 30_000;
const ACK_TIMEOUT_MS = 6_000;
const SEND_ATTEMPTS = 3;

/** A send id the server uses to drop double submits; works on plain http too (no randomUUID there). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const timeoutError = (): SocketError => ({ code: 'NETWORK', message: 'no answer from the server' });

/**
 * One viewer's realtime link to one room: Socket.IO on this origin (the httpOnly
 * session cookie rides along, so guests simply connect read-only), the server
 * clock, joining and re-joining after drops with the last seen `seq` so missed
 * comments arrive, and sends that are safe to retry.
 */
export class RoomConnection {
  readonly clock = new ServerClock();
  private socket: Socket | null = null;
  private lastSeq: string | null = null;
  private joins = 0;
  private clockTimer: ReturnType<typeof setInterval> | null = null;
  /** Listeners added from outside (polls), kept across start() so none is lost. */
  private listeners: Array<[string, (payload: unknown) => void]> = [];

  constructor(
    private readonly roomId: string,
    private readonly handlers: ConnectionHandlers,
  ) {}

  start(): void {
    // WebSocket first; long-polling only when a proxy or network refuses WebSockets.
    const socket = io({ transports: ['websocket', 'polling'], tryAllTransports: true });
    this.socket = socket;
    this.handlers.status('connecting');
    socket.on('connect', () => void this.onConnect(socket));
    socket.on('disconnect', () => this.handlers.status(this.joins ? 'reconnecting' : 'connecting'));
    socket.on('connect_error', () => this.handlers.status(this.joins ? 'reconnecting' : 'connecting'));
    socket.on('danmaku:batch', (p: { roomId: string; items: Danmaku[]; seq: string }) => {
      if (p.roomId !== this.roomId) return;
      this.lastSeq = p.seq;
      this.handlers.batch(p.items);
    });
    socket.on('danmaku:retract', (p: { roomId: string; ids: string[] }) => {
      if (p.roomId === this.roomId) this.handlers.retract(p.ids);
    });
    socket.on('room:viewers', (p: { roomId: string; viewers: number }) => {
      if (p.roomId === this.roomId) this.handlers.viewers(p.viewers);
    });
    for (const [event, fn] of this.listeners) socket.on(event, fn);
    this.clockTimer = setInterval(() => {
      if (socket.connected) void this.clock.sync(socket);
    }, CLOCK_RESYNC_MS);
  }

  stop(): void {
    if (this.clockTimer) clearInterval(this.clockTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }

  /** Sends one comment, retrying a timed-out send with the same nonce so it can't post twice. */
  async send(input: SendInput): Promise<Outcome<{ danmaku: Danmaku }>> {
    const payload = { ...input, roomId: this.roomId, nonce: newNonce() };
    let last: SocketError = timeoutError();
    for (let attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
      const res = await this.request<{ danmaku: Danmaku; seq: string | null }>('danmaku:send', payload);
      // CONFLICT on a retry: the first attempt is still being processed; ask again shortly.
      const retry = !res.ok && (res.error.code === 'NETWORK' || (attempt > 0 && res.error.code === 'CONFLICT'));
      if (!retry) return res;
      last = res.ok ? last : res.error;
      await new Promise((r) => setTimeout(r, 400 * (attempt + 1)));
    }
    return { ok: false, error: last };
  }

  like(id: string): Promise<Outcome<{ id: string; likes: number }>> {
    return this.request('danmaku:like', { id });
  }

  report(id: string, reason: string): Promise<Outcome<{ id: string; hidden: boolean }>> {
    return this.request('danmaku:report', { id, reason });
  }

  /** Listens to a server event on this room's socket (before or after start); returns the undo. */
  listen<T>(event: string, handler: (payload: T) => void): () => void {
    const fn = handler as (payload: unknown) => void;
    const entry: [string, (payload: unknown) => void] = [event, fn];
    this.listeners.push(entry);
    this.socket?.on(event, fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== entry);
      this.socket?.off(event, fn);
    };
  }

  /** One request with an ack; NETWORK when no answer came in time. */
  async request<T extends object>(event: string, payload: object): Promise<Outcome<T>> {
    const socket = this.socket;
    if (!socket) return { ok: false, error: timeoutError() };
    try {
      const ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload)) as Outcome<T> | undefined;
      if (!ack || typeof ack !== 'object') return { ok: false, error: { code: 'UNKNOWN', message: 'bad answer' } };
      return ack;
    } catch {
      return { ok: false, error: timeoutError() };
    }
  }

  private async onConnect(socket: Socket): Promise<void> {
    // One quick ping first so the live position is roughly right the moment the join lands;
    // the full multi-ping sync refines it right after, without keeping the viewer waiting.
    if (!this.clock.ready) await this.clock.sync(socket, 1);
    const rejoin = this.joins > 0;
    const payload = this.lastSeq ? { roomId: this.roomId, sinceSeq: this.lastSeq } : { roomId: this.roomId };
    const res = await this.request<Omit<JoinResult, 'ok'>>('room:join', payload);
    if (socket !== this.socket) return;
    if (!res.ok) {
      // A timeout: the socket is still up, so try again rather than leaving the viewer stuck.
      if (res.error.code === 'NETWORK' && socket.connected) return void setTimeout(() => void this.onConnect(socket), 1_000);
      this.handlers.joinFailed(res.error);
      return;
    }
    this.clock.roughly(res.serverTime);
    if (res.danmaku?.seq) this.lastSeq = res.danmaku.seq;
    this.joins += 1;
    this.handlers.status('connected');
    this.handlers.joined(res, rejoin);
    void this.clock.sync(socket);
  }
}
