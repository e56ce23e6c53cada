import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { PGliteSessionScheduler } from './pglite-session.js';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs PGlite (Postgres compiled to WASM) behind the Postgres wire protocol, so the
 * app speaks to it with the same `pg` driver it uses for a real server.
 * `dataDir` undefined keeps everything in memory (tests where no server runs).
 *
 * PGlite is one session inside: @electric-sql/pglite-socket's connection handler frames
 * each client's messages, and PGliteSessionScheduler gives the session to one client's
 * batch or transaction at a time (see there for why its own queue is not used).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir?: string;
  host?: string;
  port?: number;
  maxConnections?: number;
  /** Closes a client that keeps a transaction open without sending anything this long. */
  idleHoldMs?: number;
}): Promise<EmbeddedPostgres> {
  if (opts.dataDir) await fs.mkdir(path.dirname(opts.dataDir), { recursive: true });
  const db = await PGlite.create(opts.dataDir ?? 'memory://');
  const handlers = new Map<number, PGLiteSocketHandler>();
  const scheduler = new PGliteSessionScheduler(db, {
    idleHoldMs: opts.idleHoldMs ?? 60_000,
    onIdleHolder: (id) => void handlers.get(id)?.detach(true),
  });
  const server = net.createServer((socket) => {
    // The handler only calls enqueue, clearQueueForHandler and clearTransactionIfNeeded on its queue.
    const handler = new PGLiteSocketHandler({ queryQueue: scheduler as never, closeOnDetach: true });
    handlers.set(handler.handlerId, handler);
    socket.once('close', () => handlers.delete(handler.handlerId));
    void handler.attach(socket);
  });
  server.maxConnections = opts.maxConnections ?? 64;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  return {
    url: `postgres://postgres@${address.address}:${address.port}/postgres?sslmode=disable`,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...handlers.values()].map((h) => h.detach(true)));
      await closed;
      await db.close();
    },
  };
}
