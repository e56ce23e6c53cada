import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema.js';

export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  /** drizzle over the pool, for typed queries. */
  orm: Db;
  /** The raw pool, for the few statements drizzle does not express well. */
  pool: pg.Pool;
  schema: string;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens a pool whose connections all see `schemaName` first on their search_path. */
export function openDatabase(opts: { url: string; schema: string; poolSize: number; acquireTimeoutMs?: number; onError?: (err: Error) => void }): Database {
  const pool = new pg.Pool({
    // PGlite's wire server ignores startup options, so the path is set again on each new
    // connection, before the pool hands it out.
    onConnect: (async (client: pg.ClientBase) => {
      await client.query(`set search_path to "${opts.schema}"`);
    }) as unknown as (client: pg.ClientBase) => void, // the typings lag: pg-pool awaits a returned promise
    connectionString: opts.url,
    max: opts.poolSize,
    options: `-c search_path=${opts.schema}`,
    // Covers both waiting for a free pooled connection and opening a new one.
    connectionTimeoutMillis: opts.acquireTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'lotus',
  });
  // A client losing its connection must not crash the process, idle or checked out (a
  // transaction between two statements, a query in flight). pg-pool listens only while a
  // client is idle, and an 'error' with no listener is an uncaught exception
  // (node-postgres#2439), so every client gets a listener of its own, which reports it.
  // The query in flight fails by itself, and the pool replaces the client.
  pool.on('connect', (client) => client.on('error', (err) => opts.onError?.(err)));
  pool.on('error', () => undefined); // the same error, already reported by the client's listener
  return {
    orm: drizzle(pool, { schema }),
    pool,
    schema: opts.schema,
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await pool.end();
    },
  };
}
