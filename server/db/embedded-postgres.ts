import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs PGlite (Postgres compiled to WASM) behind the Postgres wire protocol, so the
 * app speaks to it with the same `pg` driver it uses for a real server.
 * `dataDir` undefined keeps everything in memory (tests where no server runs).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir?: string;
  host?: string;
  port?: number;
  maxConnections?: number;
}): Promise<EmbeddedPostgres> {
  if (opts.dataDir) await fs.mkdir(path.dirname(opts.dataDir), { recursive: true });
  const db = await PGlite.create(opts.dataDir ?? 'memory://');
  const server = new PGLiteSocketServer({
    db,
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    // PGlite is one connection inside; the socket server multiplexes client connections onto it.
    maxConnections: opts.maxConnections ?? 64,
  });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
