import type pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import * as schema from './schema.js';
import type { Db } from './database.js';

/** A drizzle instance per pooled connection: building one costs ~0.2 ms, and connections live long. */
const onClient = new WeakMap<pg.PoolClient, Db>();
function dbOn(client: pg.PoolClient): Db {
  let db = onClient.get(client);
  if (!db) onClient.set(client, (db = drizzle(client, { schema }) as unknown as Db));
  return db;
}

/**
 * Runs `work` in one transaction on a client of `db`'s pool (the app's db, not a
 * transaction's), and always gives the client back. Use it instead of `db.transaction`:
 * drizzle 0.45 sends BEGIN before the try/finally that releases the client, so a BEGIN
 * on a connection that just died (a Postgres restart, a failover) leaks the client for
 * good — a few of those and the pool is empty and every query waits (drizzle-orm#6023,
 * #6241). Here BEGIN is inside the guard, and a client whose ROLLBACK failed is handed
 * back as broken, so the pool closes it instead of lending it out again.
 */
export async function transaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  const client = await (db as unknown as { $client: pg.Pool }).$client.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await work(dbOn(client));
    await client.query('commit');
    return result;
  } catch (err) {
    // Outside a transaction (BEGIN failed) a ROLLBACK is only a warning.
    await client.query('rollback').catch((rollbackErr: Error) => (broken = rollbackErr));
    throw err;
  } finally {
    client.release(broken);
  }
}
