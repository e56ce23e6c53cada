import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/db/embedded-postgres.js';

// The embedded PGlite is one Postgres session shared by every wire connection: these
// check that connections still behave as separate sessions would for the app's purposes.
let embedded: EmbeddedPostgres;
let pool: pg.Pool;
const clients: pg.Client[] = [];

async function client() {
  const c = new pg.Client({ connectionString: embedded.url });
  await c.connect();
  clients.push(c);
  return c;
}

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ idleHoldMs: 1_500 });
  pool = new pg.Pool({ connectionString: embedded.url, max: 8 });
  await pool.query('create table counters (id int primary key, n int not null)');
  await pool.query('create table rows (id serial primary key, owner text not null)');
});
afterAll(async () => {
  for (const c of clients) await c.end().catch(() => undefined);
  await pool?.end();
  await embedded?.stop();
});

describe('embedded PGlite over the wire', () => {
  it('answers each connection its own parameterized queries when many run at once', async () => {
    const results = await Promise.all(
      // A different statement text each: a Bind that reached another connection's unnamed statement would show.
      Array.from({ length: 300 }, (_, i) => pool.query(`select $1::int as n, 'q${i}' as s`, [i]).then((r) => r.rows)),
    );
    results.forEach((rows, i) => expect(rows).toEqual([{ n: i, s: `q${i}` }]));
  });

  it('keeps a batch whole when its messages arrive in several network reads', async () => {
    // A big parameter splits Parse and Bind across reads; another connection's batch must
    // not run in between and leave the first one bound to the wrong statement.
    const big = 'x'.repeat(2_000_000);
    const [bigRows, ...small] = await Promise.all([
      pool.query(`select length($1::text) as n, 'big' as who`, [big]).then((r) => r.rows),
      ...Array.from({ length: 50 }, (_, i) => pool.query(`select $1::int as n, 'small${i}' as who`, [i]).then((r) => r.rows)),
    ]);
    expect(bigRows).toEqual([{ n: big.length, who: 'big' }]);
    small.forEach((rows, i) => expect(rows).toEqual([{ n: i, who: `small${i}` }]));
  });

  it('keeps a transaction to its connection: nobody sees or interleaves with it until it ends', async () => {
    const a = await client();
    const b = await client();
    await a.query('begin');
    await a.query('insert into rows (owner) values ($1)', ['a']);
    let bDone = false;
    const bCount = b.query(`select count(*)::int as n from rows where owner = 'a'`).then((r) => ((bDone = true), r.rows[0].n));
    await a.query('insert into rows (owner) values ($1)', ['a']);
    await new Promise((r) => setTimeout(r, 100));
    expect(bDone).toBe(false); // waits for the session, instead of running inside a's transaction
    await a.query('rollback');
    expect(await bCount).toBe(0);
  });

  it('serializes concurrent read-modify-write transactions from a pool exactly', async () => {
    await pool.query('insert into counters values (1, 0)');
    await Promise.all(
      Array.from({ length: 40 }, async () => {
        const c = await pool.connect();
        try {
          await c.query('begin');
          const { rows } = await c.query('select n from counters where id = $1 for update', [1]);
          await c.query('update counters set n = $1 where id = $2', [rows[0].n + 1, 1]);
          await c.query('commit');
        } finally {
          c.release();
        }
      }),
    );
    expect((await pool.query('select n from counters where id = 1')).rows[0].n).toBe(40);
  });

  it('a failed statement in one connection does not disturb the others', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => pool.query(i % 3 ? 'select $1::int as n' : 'select $1::int / 0 as n', [i])),
    );
    results.forEach((r, i) => {
      if (i % 3) expect(r.status === 'fulfilled' && r.value.rows[0].n).toBe(i);
      else expect(r.status === 'rejected' && String(r.reason.message)).toMatch(/division by zero/);
    });
  });

  it('rolls back the transaction of a connection that goes away, and frees the session', async () => {
    const a = await client();
    await a.query('begin');
    await a.query('insert into rows (owner) values ($1)', ['gone']);
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    a.on('error', () => undefined);
    const { rows } = await pool.query(`select count(*)::int as n from rows where owner = 'gone'`);
    expect(rows[0].n).toBe(0);
  });

  it('closes a connection that holds a transaction open and idle, so the others go on', async () => {
    const a = await client();
    const lost = new Promise((resolve) => a.once('error', resolve));
    await a.query('begin');
    await a.query('insert into rows (owner) values ($1)', ['idle']);
    const started = Date.now();
    const { rows } = await pool.query(`select count(*)::int as n from rows where owner = 'idle'`);
    expect(rows[0].n).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    await lost;
  });
});
