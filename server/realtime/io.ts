import type http from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Deps } from '../deps.js';
import type { AuthService } from '../features/auth/index.js';
import { tokenFrom } from '../features/auth/index.js';
import { clientIp } from '../http/client-ip.js';
import type { LotusServer } from './types.js';

/**
 * Socket.IO on the app's HTTP server. Rooms are shared between server processes
 * through a Redis Stream (ordered, and it resumes after a Redis drop without losing
 * packets); connection-state recovery replays what a briefly-offline client missed.
 */
export async function createIo(httpServer: http.Server, deps: Deps & { auth: AuthService; allowedOrigins: string[] }): Promise<{ io: LotusServer; close(): Promise<void> }> {
  const { config } = deps;
  // The adapter keeps its own client with the offline queue on: broadcasts made while
  // Redis is briefly away are sent when it returns instead of failing.
  const adapterRedis = deps.redis.duplicate({ disableOfflineQueue: false });
  adapterRedis.on('error', (err: Error) => deps.log.warn({ err: err.message }, 'socket adapter redis error'));
  await adapterRedis.connect();
  const io: LotusServer = new Server(httpServer, {
    maxHttpBufferSize: config.SOCKET_MAX_BUFFER_BYTES,
    connectionStateRecovery: { maxDisconnectionDuration: config.SOCKET_RECOVERY_MS, skipMiddlewares: false },
    cors: { origin: deps.allowedOrigins.length ? deps.allowedOrigins : false, credentials: true },
    adapter: createAdapter(adapterRedis, {
      streamName: deps.key('sio'),
      channelPrefix: deps.key('sio'),
      sessionKeyPrefix: deps.key('sio', 'session', ''),
      onlyPlaintext: true,
    }),
    // Origin check (OWASP): browsers from other sites may not open sockets with our cookie.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      if (!origin) return callback(null, true); // non-browser clients
      const host = req.headers.host;
      const sameOrigin = host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
      callback(null, sameOrigin || deps.allowedOrigins.includes(origin));
    },
  });

  // Handshake: a good token makes an account session, no token a guest; a bad token is refused.
  io.use(async (socket, next) => {
    try {
      const explicit = socket.handshake.auth?.token;
      const token = tokenFrom({ explicit, authorization: socket.handshake.headers.authorization, cookie: socket.handshake.headers.cookie });
      const session = await deps.auth.authenticate(token);
      if (token && !session && explicit !== undefined) {
        const err = new Error('UNAUTHENTICATED') as Error & { data?: unknown };
        err.data = { code: 'UNAUTHENTICATED', message: 'the session token is invalid or expired' };
        return next(err);
      }
      socket.data.session = session;
      socket.data.ip = clientIp(socket.request, config.TRUST_PROXY);
      next();
    } catch (err) {
      deps.log.error({ err }, 'socket handshake failed');
      const e = new Error('UNAVAILABLE') as Error & { data?: unknown };
      e.data = { code: 'UNAVAILABLE', message: 'try again shortly' };
      next(e);
    }
  });

  io.on('connection', (socket) => {
    deps.metrics.socketsConnected.inc();
    socket.on('disconnect', () => deps.metrics.socketsConnected.dec());
  });

  return {
    io,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await adapterRedis.close().catch(() => undefined);
    },
  };
}
