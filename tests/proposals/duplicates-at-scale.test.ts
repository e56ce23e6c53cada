import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import { signatureOf } from '../../server/features/proposals/automod.js';
import { bandBuckets, BANDS } from '../../server/features/proposals/lsh.js';
import { createProposalStore } from '../../server/features/proposals/store.js';

let app: TestApp;
let workers: WorkerRuntime;
const IP = 'Crowded Saga';
const SEEDED = 300;

// Texts from one small vocabulary, so unrelated proposals still share some shingles, as real ones do.
const VOCAB = (
  'the a her his their old new lotus pond temple ice river mountain village city night morning storm map sword letter mother father ' +
  'sister brother teacher emperor general spy monk healer thief season finale episode scene returns hides finds loses breaks opens ' +
  'betrays saves remembers forgets crosses burns builds steals writes reads sings fights flees waits under behind across beyond ' +
  'before after during secret hidden broken golden silent frozen ancient last first only true false lost found'
).split(' ');
function text(seed: number, words = 28): string {
  // mulberry32: a small seeded generator, so every run sees the same corpus.
  let a = seed + 0x9e3779b9;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: words }, () => VOCAB[Math.floor(next() * VOCAB.length)]).join(' ');
}
const titleOf = (i: number) => `Idea ${i}`;

beforeAll(async () => {
  app = await startTestApp({ env: { PROPOSALS_PER_HOUR: '1000' } });
  // A crowded franchise: proposals decided earlier, with their signatures and band buckets, as moderation leaves them.
  const author = await createAccount(app);
  const store = createProposalStore(app.deps.db.orm);
  for (let i = 0; i < SEEDED; i++) {
    const id = randomUUID();
    const plain = text(i);
    await store.insert({ id, ip: IP, title: titleOf(i), body: `<p>${plain}</p>`, plain, tags: [], authorId: author.user.id, authorName: 'seed' });
    const signature = signatureOf(titleOf(i), plain);
    await store.transitionAudited(id, ['pending'], { status: 'approved', minhash: signature }, { actorId: null, action: 'approve', reason: 'seeded' }, bandBuckets(signature));
  }
  workers = await startTestWorkers(app);
});
afterAll(async () => {
  await workers?.close();
  await app?.stop();
});

async function submitAndDecide(title: string, plain: string) {
  const author = await createAccount(app);
  const res = await app.http.post('/api/proposals').set('Authorization', author.bearer).send({ ip: IP, title, body: `<p>${plain}</p>` });
  expect(res.status).toBe(202);
  return eventually(async () => {
    const p = (await app.http.get(`/api/proposals/${res.body.proposal.id}`).set('Authorization', author.bearer)).body.proposal;
    return p?.status !== 'pending' && p;
  });
}

describe('near-duplicates in a crowded franchise (LSH band index)', () => {
  it('finds a near-duplicate among hundreds of proposals and does not flag an unrelated one', async () => {
    const { rows } = await app.deps.db.pool.query('select id, plain from proposals where ip = $1 and title = $2', [IP, titleOf(150)]);
    const original = rows[0];
    const words = original.plain.split(' ');
    words[3] = 'dragon';
    words[20] = 'lantern';
    const copy = await submitAndDecide('Idea 150, again', words.join(' '));
    expect(copy.status).toBe('held');
    expect(copy.duplicateOf).toBe(original.id);
    expect(copy.reasons.find((r: string) => r.startsWith('duplicate:'))).toMatch(new RegExp(`^duplicate:${original.id}:0\\.[5-9]\\d$`));

    const fresh = await submitAndDecide('Something else entirely', text(9_999));
    expect(fresh.reasons).toEqual([]);
    expect(fresh.status).toBe('approved');
    expect(fresh.duplicateOf).toBeNull();
    expect(fresh.reasons).toEqual([]);
  });

  it('a moderation job reads only the proposals that share a band bucket, not the whole franchise', async () => {
    const store = createProposalStore(app.deps.db.orm);
    const signature = signatureOf('Idea 77 once more', text(77));
    const candidates = await store.duplicateCandidates(IP, randomUUID(), bandBuckets(signature));
    const { rows } = await app.deps.db.pool.query('select id from proposals where ip = $1 and title = $2', [IP, titleOf(77)]);
    expect(candidates.map((c) => c.id)).toContain(rows[0].id);
    expect(candidates.length).toBeLessThan(SEEDED / 10);
    const { rows: indexed } = await app.deps.db.pool.query('select count(*)::int as n from proposal_lsh_buckets where proposal_id = $1', [rows[0].id]);
    expect(indexed[0].n).toBe(BANDS);
  });

  it("migration 0005's backfill computes the same buckets as the workers", async () => {
    const { rows } = await app.deps.db.pool.query('select id, minhash from proposals where ip = $1 and title = $2', [IP, titleOf(5)]);
    await app.deps.db.pool.query('delete from proposal_lsh_buckets where proposal_id = $1', [rows[0].id]);
    const migration = await fs.readFile(path.join(import.meta.dirname, '../../server/db/migrations/0005_lsh_band_index.sql'), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').find((s) => /INSERT INTO "proposal_lsh_buckets"/.test(s))!;
    await app.deps.db.pool.query(backfill.replaceAll('"public".', ''));
    const { rows: buckets } = await app.deps.db.pool.query('select band, bucket from proposal_lsh_buckets where proposal_id = $1 order by band', [rows[0].id]);
    expect(buckets).toEqual(bandBuckets(rows[0].minhash));
  });
});
