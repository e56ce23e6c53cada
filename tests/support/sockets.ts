import { io, type Socket } from 'socket.io-client';
import { allowance } from './allowance.js';

export type ClientSocket = Socket;

/**
 * Connects a real Socket.IO client (websocket transport unless told) and resolves once connected,
 * or rejects with the server's connect_error.
 */
export function connectSocket(
  url: string,
  opts: { token?: string; cookie?: string; headers?: Record<string, string>; localAddress?: string; transports?: Array<'websocket' | 'polling'> } = {},
): Promise<ClientSocket> {
  const headers = { ...opts.headers, ...(opts.cookie ? { cookie: opts.cookie } : {}) };
  const socket = io(url, {
    transports: opts.transports ?? ['websocket'],
    auth: opts.token ? { token: opts.token } : {},
    extraHeaders: Object.keys(headers).length ? headers : undefined,
    // Passed on to ws in Node (engine.io-client picks it), though not in the client's types.
    ...(opts.localAddress ? ({ localAddress: opts.localAddress } as object) : {}),
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Emits with an ack and resolves with the ack, failing after 5 s (allowance) instead of hanging. */
export function emitAck<T = any>(socket: ClientSocket, event: string, ...args: unknown[]): Promise<T> {
  return socket.timeout(allowance(5_000)).emitWithAck(event, ...args) as Promise<T>;
}

/** Resolves with the next `event` payload that satisfies `match`; `timeoutMs` grows on embedded PGlite (allowance). */
export function nextEvent<T = any>(socket: ClientSocket, event: string, match: (payload: T) => boolean = () => true, timeoutMs = 5_000): Promise<T> {
  timeoutMs = allowance(timeoutMs);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

/** The sockets a test file opens, closed together in its afterAll; `url` is read at each open (the app starts in beforeAll). */
export function socketPool(url: () => string) {
  const opened: ClientSocket[] = [];
  return {
    async open(token?: string): Promise<ClientSocket> {
      const s = await connectSocket(url(), { token });
      opened.push(s);
      return s;
    },
    closeAll(): void {
      for (const s of opened.splice(0)) s.close();
    },
  };
}
