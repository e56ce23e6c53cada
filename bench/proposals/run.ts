/**
 * Proposals benchmark: 10,000 proposals through moderation and scoring. One command
 * starts the server and the workers (core 0) on a fresh schema and Redis prefix,
 * installs a global term list, seeds the authors, and from a load generator (core 1):
 *
 *   baseline: the moderation pipeline draining a pre-filled queue with
 *      WORKERS_CONCURRENCY=1, then =8 (fresh franchises, same corpus mix);
 *   A. submits 10,000 varied proposals over HTTP while the workers (concurrency 8)
 *      moderate them: submit 202/s, moderation jobs/s, submit-to-decision latency,
 *      decisions by kind; moderation is cut off --drain-limit s after the last submit;
 *   B. casts 10,000 votes on the approved ones: vote 200/s, scoring jobs/s, time until
 *      every score matches its votes, and that no vote was lost.
 *
 *   npm run bench:proposals [-- --proposals 10000 --votes 10000 --baseline 500]
 */
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { openServices, type Services } from '../kit/services.js';
import { seedAccounts, type SeededAccount } from '../kit/accounts.js';
import { adminLogin, baseEnv, createLiveRoom, profileArgs, startServer, startWorkers, stopChild, systemCommand, track } from '../kit/system.js';
import { coreBusy, cores, cpuByName, cpuByNameBetween, pinning, readCoreTimes, sleep, spawnNode, waitQuiet, watchProcess, type ProcReading } from '../kit/procs.js';
import { api } from '../kit/http.js';
import { seeded, summarize } from '../kit/stats.js';
import { controversyScore, hotScore, wilsonLowerBound } from '../../server/features/proposals/scoring.js';
import { corpus, expectedStatus, termList, type Submission } from './texts.js';
import { queueBacklog, tailQueueEvents, type QueueTail } from './queue-events.js';
import type { BatchConfig, BatchResult, GenToParent, HttpItem } from './protocol.js';
import { buildReport, printTable, writeOutputs, type PhaseUsage } from './report.js';

const USAGE = `npm run bench:proposals -- [options]

  --proposals N      proposals submitted in phase A (10000)
  --authors N        author accounts (2500); regular authors submit at most 4 each
  --flooders N       authors among them who submit --flood-each each (50)
  --flood-each N     proposals per flooding author (24; PROPOSALS_PER_HOUR is set to fit)
  --franchises N     franchises (ips) the proposals spread over, Zipf-like (5)
  --votes N          votes in phase B, 4 per voting account (10000)
  --concurrency N    HTTP requests in flight from the generator (32)
  --budget N         seconds the generator may spend sending each of phase A and B (600); requests
                     left unsent when it runs out are reported as not sent, apart from refusals
  --baseline N       proposals per baseline drain (concurrency 1 vs 8), 0 = skip (500)
  --drain-limit N    seconds to let moderation drain after the last submit before cutting off (60)
  --quiet-wait N     seconds to wait for the machine to go idle first (15)
  --seed N           corpus seed (11)
  --out DIR          where results go (bench/results)
  --profile DIR      write CPU profiles of the server and workers there (side experiments; never commit them)
  --allow-discard    exit 0 even when the run is discarded
  --help`;

const log = (s: string) => console.log(s);

function options() {
  const { values } = parseArgs({
    options: {
      proposals: { type: 'string', default: '10000' },
      authors: { type: 'string', default: '2500' },
      flooders: { type: 'string', default: '50' },
      'flood-each': { type: 'string', default: '24' },
      franchises: { type: 'string', default: '5' },
      votes: { type: 'string', default: '10000' },
      concurrency: { type: 'string', default: '32' },
      budget: { type: 'string', default: '600' },
      baseline: { type: 'string', default: '500' },
      'drain-limit': { type: 'string', default: '60' },
      'quiet-wait': { type: 'string', default: '15' },
      seed: { type: 'string', default: '11' },
      out: { type: 'string', default: 'bench/results' },
      'allow-discard': { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    log(USAGE);
    process.exit(0);
  }
  const num = (k: keyof typeof values, min: number, max: number) => {
    const v = Number(values[k]);
    if (!Number.isFinite(v) || v < min || v > max) throw new Error(`--${String(k)} must be a number in ${min}..${max}`);
    return Math.round(v);
  };
  const o = {
    proposals: num('proposals', 10, 50_000),
    authors: num('authors', 2, 20_000),
    flooders: num('flooders', 0, 1_000),
    floodEach: num('flood-each', 1, 100),
    franchises: num('franchises', 1, 50),
    votes: num('votes', 0, 100_000),
    concurrency: num('concurrency', 1, 256),
    budgetS: num('budget', 10, 3_600),
    baseline: num('baseline', 0, 10_000),
    drainLimitS: num('drain-limit', 10, 1_800),
    quietWait: num('quiet-wait', 0, 300),
    seed: num('seed', 0, 2 ** 31),
    out: String(values.out),
    allowDiscard: Boolean(values['allow-discard']),
    profileDir: values.profile ? String(values.profile) : null,
  };
  if (o.flooders >= o.authors) throw new Error('--flooders must be fewer than --authors');
  if (o.flooders * o.floodEach > o.proposals) throw new Error('--flooders × --flood-each exceeds --proposals');
  return o;
}

let opts: ReturnType<typeof options>;
try {
  opts = options();
} catch (err) {
  console.error(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}

const VOTES_PER_VOTER = 4;
/** PROPOSAL_SUPPORT_THRESHOLD, left at its default. */
const SUPPORT_THRESHOLD = 100;
const NEW_ACCOUNT_SHARE = 0.2;
const PROPOSALS_PER_HOUR = Math.max(30, opts.floodEach + 6);

let services: Services | null = null;
// Room for both generator budgets (A and B) on top of the drains and the fixed steps.
const deadlineS = opts.quietWait + opts.drainLimitS * 3 + 2 * opts.budgetS + 240;
const command = systemCommand({ deadlineS, allowDiscard: opts.allowDiscard, services: () => services, log });

/** Sends one batch to the generator and waits for its result, bounded in time. */
function batch(gen: ChildProcess, config: BatchConfig): Promise<BatchResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(() => reject(new Error(`${config.label}: no result within ${config.budgetMs / 1000 + 90} s`))), config.budgetMs + 90_000);
    const onMessage = (msg: GenToParent) => {
      if (msg.type === 'progress') log(`  ${msg.text}`);
      else if (msg.type === 'done') done(() => resolve(msg.result));
      else if (msg.type === 'fatal') done(() => reject(new Error(`generator: ${msg.message}`)));
    };
    const onExit = (code: number | null) => done(() => reject(new Error(`generator exited (${code})`)));
    const done = (fn: () => void) => {
      clearTimeout(timer);
      gen.off('message', onMessage);
      gen.off('exit', onExit);
      fn();
    };
    gen.on('message', onMessage);
    gen.once('exit', onExit);
    gen.send({ type: 'batch', config });
  });
}

interface Snap {
  at: number;
  s: ProcReading | null;
  w: ProcReading | null;
  g: ProcReading | null;
  c: ReturnType<typeof readCoreTimes>;
  n: ReturnType<typeof cpuByName>;
}

async function main() {
  const startedAt = new Date().toISOString();
  log(`proposals benchmark: ${opts.proposals} proposals, ${opts.votes} votes, ${cores} cores, ${pinning ? 'server+workers on core 0, generator on core 1' : 'NO CPU pinning (needs taskset and 2 cores)'}`);
  services = await openServices('props');
  const svc = services;
  const { env, admin, jwtSecret } = baseEnv(svc, { PROPOSALS_PER_HOUR: String(PROPOSALS_PER_HOUR) });
  const busyBefore = await waitQuiet(opts.quietWait, 0.3, log);

  log('starting the server (core 0)…');
  const server = await startServer(env, profileArgs(opts.profileDir, 'server'));
  const adminSession = await adminLogin(server.url, admin);
  const roomId = await createLiveRoom(server.url, adminSession.token, 'Proposals benchmark premiere');
  const terms = termList(opts.seed);
  await api(server.url, 'PUT', '/moderation/terms', { token: adminSession.token, body: { terms } });

  const baselineAuthorsEach = Math.ceil(opts.baseline / 4);
  const totalAccounts = opts.authors + 2 * baselineAuthorsEach;
  log(`seeding ${totalAccounts} accounts (${Math.round(NEW_ACCOUNT_SHARE * 100)} % under a week old) straight into the bench schema…`);
  const ageRnd = seeded(opts.seed ^ 0xa9e);
  const isNew = Array.from({ length: totalAccounts }, () => ageRnd() < NEW_ACCOUNT_SHARE);
  const accounts = await seedAccounts({
    pool: svc.pool,
    schema: svc.schema,
    count: totalAccounts,
    jwtSecret,
    tag: 'author',
    ageMs: (i) => (isNew[i] ? 2 * 86_400_000 : (30 + (i % 300)) * 86_400_000),
    displayName: (i) => `作者${i}`,
  });

  const franchises = Array.from({ length: opts.franchises }, (_, i) => `Franchise ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? i : ''}`);
  const rawShares = franchises.map((_, i) => 1 / (i + 1));
  const shares = rawShares.map((x) => x / rawShares.reduce((a, b) => a + b, 0));
  const subs = corpus({ count: opts.proposals, authors: opts.authors, flooders: opts.flooders, floodEach: opts.floodEach, franchises, franchiseShares: shares, seed: opts.seed });
  const toItem = (s: Submission, acct: SeededAccount, key: string): HttpItem => ({
    method: 'POST',
    path: '/proposals',
    token: acct.token,
    body: { ip: s.ip, title: s.title, body: s.body, tags: s.tags, ...(s.withRoom ? { roomId } : {}), idempotencyKey: `bench-${key}` },
  });

  const gen = track(spawnNode({ name: 'generator', entry: 'bench/proposals/load.ts', core: 1, env: { ...process.env, NODE_ENV: 'production' }, ipc: true }));
  const serverW = watchProcess(server.child.pid);
  let workers: { child: ChildProcess } | null = null;
  let workersW = watchProcess(undefined);
  const genW = watchProcess(gen.pid);
  const snap = (): Snap => ({ at: Date.now(), s: serverW.mark(), w: workersW.mark(), g: genW.mark(), c: readCoreTimes(), n: cpuByName(['postgres', 'redis-server']) });
  const usage = (a: Snap, b: Snap): PhaseUsage => ({
    seconds: Math.round((b.at - a.at) / 100) / 10,
    server: serverW.between(a.s, b.s),
    workers: workersW.between(a.w, b.w),
    generator: genW.between(a.g, b.g),
    coresBusy: coreBusy(a.c, b.c),
    sharedServices: cpuByNameBetween(a.n, b.n, b.at - a.at),
  });
  const launchWorkers = async (concurrency: number) => {
    if (workers) await stopChild(workers.child, 30_000);
    workers = await startWorkers({ ...env, WORKERS_CONCURRENCY: String(concurrency) }, `workers c${concurrency}`, profileArgs(opts.profileDir, `workers-c${concurrency}`));
    workersW.stop();
    workersW = watchProcess(workers.child.pid);
  };
  const bull = `${svc.prefix}:bull`;
  const moderationTail = tailQueueEvents(svc.redis, `${bull}:proposal-moderation:events`);
  const scoringTail = tailQueueEvents(svc.redis, `${bull}:proposal-scoring:events`);
  const q = <T = any>(sql: string, params: unknown[] = []) => svc.pool.query(sql.replaceAll('$S.', `"${svc.schema}".`), params).then((r) => r.rows as T[]);

  const pendingOf = async (ids: string[]) => Number((await q<{ n: number }>(`select count(*)::int as n from $S.proposals where id = any($1::uuid[]) and status = 'pending'`, [ids]))[0].n);
  /** Waits until none of `ids` is pending (or the limit); progress every 5 s. */
  const waitDecided = async (label: string, ids: string[], limitS: number) => {
    const start = Date.now();
    let left = ids.length;
    let lastSaid = 0;
    while (Date.now() - start < limitS * 1000) {
      left = await pendingOf(ids);
      if (left === 0) break;
      if (Date.now() - lastSaid >= 5_000) {
        lastSaid = Date.now();
        log(`  ${label}: ${ids.length - left}/${ids.length} decided, ${left} pending`);
      }
      await sleep(500);
    }
    return { left, waitedS: Math.round((Date.now() - start) / 100) / 10 };
  };

  // ---------- C (first, on an empty queue): a pre-filled moderation queue drained at concurrency 1 and 8 ----------
  const baselines: Array<Awaited<ReturnType<typeof drainRun>>> = [];
  async function drainRun(concurrency: number, k: number) {
    log(`\n== baseline: ${opts.baseline} proposals queued while no workers run, then drained with WORKERS_CONCURRENCY=${concurrency} ==`);
    if (workers) await stopChild(workers.child, 30_000);
    const own = franchises.map((f) => `${f} (baseline ${k + 1})`);
    const firstAuthor = opts.authors + k * baselineAuthorsEach;
    const bsubs = corpus({ count: opts.baseline, authors: baselineAuthorsEach, flooders: 0, floodEach: 1, franchises: own, franchiseShares: shares, seed: opts.seed + 1 });
    const res = await batch(gen, {
      label: `baseline c${concurrency}: queueing`,
      url: server.url,
      items: bsubs.map((s, i) => toItem(s, accounts[firstAuthor + s.author], `b${k}-${i}`)),
      concurrency: opts.concurrency,
      budgetMs: 120_000,
    });
    const bids = res.proposalId.filter((x): x is string => !!x);
    const completedBefore = moderationTail.completed.length;
    const scoredBefore = scoringTail.completed.length;
    const t0 = Date.now();
    await launchWorkers(concurrency);
    const c0 = snap();
    const drained = await waitDecided(`baseline c${concurrency}`, bids, opts.drainLimitS);
    await moderationTail.flush();
    await scoringTail.flush();
    const c1 = snap();
    const done = moderationTail.completed.slice(completedBefore);
    const first = done.length ? Math.min(...done.map((e) => e.t)) : 0;
    const last = done.length ? Math.max(...done.map((e) => e.t)) : 0;
    return {
      concurrency,
      queued: bids.length,
      decided: bids.length - drained.left,
      jobsCompleted: done.length,
      workersStartS: Math.round((c0.at - t0) / 100) / 10,
      drainSeconds: Math.round((last - first) / 100) / 10,
      jobsPerS: last > first ? Math.round(((done.length - 1) / ((last - first) / 1000)) * 10) / 10 : null,
      jobMs: jobDurations(moderationTail, done),
      scoringJobsCompleted: scoringTail.completed.length - scoredBefore,
      usage: usage(c0, c1),
    };
  }
  if (opts.baseline > 0) {
    baselines.push(await drainRun(1, 0));
    baselines.push(await drainRun(8, 1));
  } else {
    await launchWorkers(8);
  }

  // ---------- A. submit 10,000 while the workers (concurrency 8) moderate ----------
  log(`\n== A: ${subs.length} proposals over ${franchises.length} franchises, ${opts.concurrency} requests in flight; workers concurrency 8 ==`);
  const a0 = snap();
  const submitted = await batch(gen, { label: 'submit', url: server.url, items: subs.map((s, i) => toItem(s, accounts[s.author], `a-${i}`)), concurrency: opts.concurrency, budgetMs: opts.budgetS * 1000 });
  const a1 = snap();
  const ids = submitted.proposalId.filter((x): x is string => !!x);
  log(
    `  submitted: ${ids.length} accepted (${submitted.status.filter((s) => s === 202).length} × 202) in ${((submitted.finishedAt - submitted.startedAt) / 1000).toFixed(1)} s; ` +
      `not sent (the ${opts.budgetS} s budget ran out): ${submitted.status.length - submitted.issued}; refused by code ${JSON.stringify(submitted.errorsByCode)}`,
  );
  const drainA = await waitDecided('A moderation', ids, opts.drainLimitS);
  await moderationTail.flush();
  await scoringTail.flush();
  const a2 = snap();
  // Whatever is still queued waits while the votes are measured (Queue.pause, as an admin would in Bull Board).
  const moderationQueue = new Queue('proposal-moderation', { connection: svc.redis as never, prefix: bull });
  const backlogAtCutoff = await queueBacklog(svc.redis, svc.prefix, 'proposal-moderation');
  if (backlogAtCutoff > 0) {
    await moderationQueue.pause();
    log(`  moderation cut off after ${opts.drainLimitS} s of draining: ${drainA.left} proposals still pending; the moderation queue is paused for phase B`);
  }
  const decisions = await q<{ id: string; status: string; reasons: string[]; ms: number | null; autos: number }>(
    `select p.id::text as id, p.status, p.reasons,
       (select extract(epoch from (min(a.at) - p.created_at)) * 1000 from $S.audit_log a
         where a.target_type = 'proposal' and a.target_id = p.id::text and a.actor_id is null and a.action in ('approve', 'hold', 'reject')) as ms,
       (select count(*)::int from $S.audit_log a
         where a.target_type = 'proposal' and a.target_id = p.id::text and a.actor_id is null and a.action in ('approve', 'hold', 'reject')) as autos
     from $S.proposals p where p.id = any($1::uuid[])`,
    [ids],
  );
  const pendingAges = await q<{ ms: number }>(`select extract(epoch from (now() - created_at)) * 1000 as ms from $S.proposals where id = any($1::uuid[]) and status = 'pending'`, [ids]);
  const franchiseSizes = await q<{ ip: string; n: number; signatures: number }>(
    `select ip, count(*)::int as n, count(minhash)::int as signatures from $S.proposals where ip = any($1::text[]) group by ip order by n desc`,
    [franchises],
  );
  const moderationDoneA = moderationTail.completed.filter((e) => e.t >= a0.at && e.t <= a2.at);
  const sortedA = [...moderationDoneA].sort((x, y) => x.t - y.t);
  const fifth = Math.floor(sortedA.length / 5);
  const phaseA = {
    submitted,
    drain: drainA,
    backlogAtCutoff,
    pendingAtCutoffMinAgeMs: pendingAges.length ? Math.min(...pendingAges.map((r) => Number(r.ms))) : null,
    decisions,
    franchiseSizes,
    jobMsFirstFifth: jobDurations(moderationTail, sortedA.slice(0, fifth)),
    jobMsLastFifth: jobDurations(moderationTail, sortedA.slice(-fifth)),
    usageSubmit: usage(a0, a1),
    usageDrainAfterSubmit: usage(a1, a2),
    usageWhole: usage(a0, a2),
    start: a0.at,
    submitEnd: a1.at,
    end: a2.at,
  };

  // ---------- B. votes on the approved proposals ----------
  let phaseB: Awaited<ReturnType<typeof votePhase>> | null = null;
  if (opts.votes > 0) phaseB = await votePhase();

  async function votePhase() {
    const approved = decisions.filter((d) => d.status === 'approved').map((d) => d.id);
    const voters = Math.min(opts.authors, Math.ceil(opts.votes / VOTES_PER_VOTER));
    log(`\n== B: ${opts.votes} votes from ${voters} accounts on ${approved.length} approved proposals (Zipf popularity) ==`);
    if (approved.length < VOTES_PER_VOTER) throw new Error('too few approved proposals to vote on');
    const rnd = seeded(opts.seed ^ 0xb0b);
    for (let k = approved.length - 1; k > 0; k--) {
      const j = Math.floor(rnd() * (k + 1));
      [approved[k], approved[j]] = [approved[j], approved[k]];
    }
    // Zipf(1) over the shuffled approved list: a few proposals get hundreds of votes.
    const cum: number[] = [];
    approved.reduce((a, _, i) => (cum[i] = a + 1 / (i + 1)), 0);
    const total = cum[cum.length - 1];
    const draw = () => {
      const x = rnd() * total;
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const perVoter: Array<Array<{ voter: number; proposal: string; value: 1 | -1 }>> = [];
    let planned = 0;
    for (let v = 0; v < voters && planned < opts.votes; v++) {
      const chosen = new Set<number>();
      for (let guard = 0; chosen.size < VOTES_PER_VOTER && guard < 200; guard++) chosen.add(draw());
      const mine = [...chosen].slice(0, opts.votes - planned).map((p) => ({ voter: v, proposal: approved[p], value: (rnd() < 0.85 ? 1 : -1) as 1 | -1 }));
      planned += mine.length;
      perVoter.push(mine);
    }
    // Interleave: round k sends every voter's k-th vote, so one account's votes are spread out.
    const ordered: Array<{ voter: number; proposal: string; value: 1 | -1 }> = [];
    for (let k = 0; k < VOTES_PER_VOTER; k++) for (const mine of perVoter) if (mine[k]) ordered.push(mine[k]);
    const scoringBefore = scoringTail.completed.length;
    const b0 = snap();
    const voted = await batch(gen, {
      label: 'vote',
      url: server.url,
      items: ordered.map((p) => ({ method: 'POST', path: `/proposals/${p.proposal}/vote`, token: accounts[p.voter].token, body: { value: p.value } })),
      concurrency: opts.concurrency,
      budgetMs: opts.budgetS * 1000,
    });
    const b1 = snap();
    log(
      `  votes: ${voted.status.filter((s) => s === 200).length} ok in ${((voted.finishedAt - voted.startedAt) / 1000).toFixed(1)} s; ` +
        `not sent (budget): ${voted.status.length - voted.issued}; refused by code ${JSON.stringify(voted.errorsByCode)}`,
    );

    // Expected counts from the ok answers (each account votes once per proposal).
    const expected = new Map<string, { up: number; down: number }>();
    ordered.forEach((p, i) => {
      if (voted.status[i] !== 200) return;
      const e = expected.get(p.proposal) ?? { up: 0, down: 0 };
      if (p.value === 1) e.up++;
      else e.down++;
      expected.set(p.proposal, e);
    });
    const votedIds = [...expected.keys()];
    // Settled: no scoring job left, and every voted proposal's stored scores match its counts.
    const settleStart = Date.now();
    let settled = false;
    let mismatches = { counts: 0, scores: 0, stuckApproved: 0 };
    let lastSaid = 0;
    let backlog = 0;
    while (Date.now() - settleStart < 60_000) {
      backlog = await queueBacklog(svc.redis, svc.prefix, 'proposal-scoring');
      const rows = await q<{ id: string; status: string; supporters: number; opponents: number; score_top: number; score_hot: number; score_controversy: number; created_at: Date }>(
        `select id::text as id, status, supporters, opponents, score_top, score_hot, score_controversy, created_at from $S.proposals where id = any($1::uuid[])`,
        [votedIds],
      );
      mismatches = { counts: 0, scores: 0, stuckApproved: 0 };
      for (const r of rows) {
        const e = expected.get(r.id)!;
        if (r.supporters !== e.up || r.opponents !== e.down) mismatches.counts++;
        const top = wilsonLowerBound(r.supporters, r.opponents);
        const hot = hotScore(r.supporters, r.opponents, new Date(r.created_at).getTime());
        const con = controversyScore(r.supporters, r.opponents);
        if (Math.abs(r.score_top - top) > 1e-9 || Math.abs(r.score_hot - hot) > 1e-6 || Math.abs(r.score_controversy - con) > 1e-9) mismatches.scores++;
        if (r.status === 'approved' && r.supporters >= SUPPORT_THRESHOLD) mismatches.stuckApproved++;
      }
      if (backlog === 0 && mismatches.scores === 0 && mismatches.stuckApproved === 0) {
        settled = true;
        break;
      }
      if (Date.now() - lastSaid >= 3_000) {
        lastSaid = Date.now();
        log(`  scoring: backlog ${backlog}, proposals whose scores do not match their votes yet: ${mismatches.scores}`);
      }
      await sleep(250);
    }
    const settledAt = Date.now();
    await scoringTail.flush();
    const b2 = snap();
    const lastVoteAnswer = Math.max(...voted.answeredAt);
    const scoringInPhase = scoringTail.completed.slice(scoringBefore);
    const rowsTotal = Number((await q<{ n: number }>(`select count(*)::int as n from $S.proposal_votes where proposal_id = any($1::uuid[])`, [votedIds]))[0].n);
    const statusCounts = await q<{ status: string; n: number }>(`select status, count(*)::int as n from $S.proposals where id = any($1::uuid[]) group by status`, [votedIds]);
    const flagged = await q<{ n: number }>(`select count(*)::int as n from $S.proposals where id = any($1::uuid[]) and flags ? 'vote_burst'`, [votedIds]);
    return {
      voted,
      plan: { votes: ordered.length, voters, proposals: votedIds.length, maxVotesOnOne: Math.max(...[...expected.values()].map((e) => e.up + e.down)) },
      okVotes: voted.status.filter((s) => s === 200).length,
      voteRows: rowsTotal,
      settled,
      settleMs: settled ? Math.round(Math.max(0, settledAt - lastVoteAnswer)) : null,
      backlogAtEnd: backlog,
      mismatches,
      scoringJobs: scoringInPhase,
      scoringJobMs: jobDurations(scoringTail, scoringInPhase),
      statusAfter: Object.fromEntries(statusCounts.map((r) => [r.status, r.n])),
      voteBurstFlags: flagged[0].n,
      usageVotes: usage(b0, b1),
      usageWhole: usage(b0, b2),
      start: b0.at,
      votesEnd: b1.at,
      end: b2.at,
    };
  }

  await moderationQueue.close().catch(() => undefined);
  await moderationTail.flush();
  await scoringTail.flush();
  moderationTail.stop();
  scoringTail.stop();
  const failedJobs = { moderation: moderationTail.failed, scoring: scoringTail.failed };
  const eventCounts = { moderation: moderationTail.counts, scoring: scoringTail.counts };
  const peaks = { serverRssMiB: serverW.peak(), workersRssMiB: workersW.peak() };
  serverW.stop();
  workersW.stop();
  genW.stop();
  gen.send({ type: 'exit' });
  await stopChild(gen, 3_000);

  const report = buildReport({
    opts: { ...opts, proposalsPerHour: PROPOSALS_PER_HOUR, franchises, shares, terms: terms.length, newAccountShare: NEW_ACCOUNT_SHARE },
    subs,
    accountIsNew: (author: number) => isNew[author],
    expectedStatus,
    phaseA,
    phaseB,
    baselines,
    moderationCompleted: moderationTail.completed,
    scoringCompleted: scoringTail.completed,
    failedJobs,
    eventCounts,
    peaks,
    meta: { startedAt, finishedAt: new Date().toISOString(), cores, pinning, busyCoresBefore: busyBefore, postgres: svc.postgresVersion },
  });
  printTable(report);
  log(`\nwrote ${writeOutputs(report, opts.out).join(' and ')}`);
  return report;
}

/** active -> completed time per job (ms), for the completed events given. */
function jobDurations(tail: QueueTail, done: Array<{ t: number; jobId: string }>) {
  const started = new Map<string, number>();
  for (const e of tail.active) started.set(e.jobId, e.t);
  return summarize(done.map((e) => e.t - (started.get(e.jobId) ?? NaN)).filter((v) => Number.isFinite(v) && v >= 0));
}

command.run(main);
