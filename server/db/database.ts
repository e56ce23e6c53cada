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
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (err) => opts.onError?.(err));
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
