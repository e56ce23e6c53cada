/**
 * Poll-votes benchmark: 5,000 clients vote within one second. One command starts the
 * server and workers (core 0) on a fresh schema and Redis prefix, seeds the fan
 * accounts, runs the load generator (core 1), checks that every ok ack is exactly one
 * counted vote, measures close -> `poll:closed` at every client, measures the vote SQL
 * straight against Postgres as a reference ceiling, writes JSON + SVG, and cleans up.
 *
 *   npm run bench:polls [-- --clients 5000 --spread-ms 1000 --double 0.05]
 */
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { openServices, type Services } from '../kit/services.js';
import { seedAccounts } from '../kit/accounts.js';
import { adminLogin, baseEnv, createLiveRoom, profileArgs, startServer, startWorkers, systemCommand, track } from '../kit/system.js';
import { coreBusy, cores, cpuByName, cpuByNameBetween, pinning, readCoreTimes, spawnNode, stopChild, waitQuiet, watchProcess, type ProcReading } from '../kit/procs.js';
import type { GenToParent, Mark, PollLoadConfig, PollLoadResult, RoundResult } from './protocol.js';
import { buildReport, printTable, writeOutputs, type DbCheck, type PhaseUsage } from './report.js';

const USAGE = `npm run bench:polls -- [options]

  --clients N        voting clients, one account and one socket each (5000)
  --spread-ms N      votes are spread evenly over this window after the poll opens (1000)
  --double X         share of clients that double-submit a second, different vote (0.05)
  --duration-ms N    poll duration; the bench closes it itself long before (60000)
  --ramp N           connection attempts in flight while connecting (100)
  --no-race          skip the second round, where staff closes the poll halfway through the votes
  --ceiling-votes N  votes for each direct-SQL reference run, 0 = skip (3000)
  --quiet-wait N     seconds to wait for the machine to go idle first (15)
  --seed N           seed for choices and order (7)
  --out DIR          where results go (bench/results)
  --profile DIR      write CPU profiles of the server and workers there (side experiments; never commit them)
  --allow-discard    exit 0 even when the run is discarded (generator over 70 % CPU, no pinning)
  --help`;

const log = (s: string) => console.log(s);

function options() {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '5000' },
      'spread-ms': { type: 'string', default: '1000' },
      double: { type: 'string', default: '0.05' },
      'duration-ms': { type: 'string', default: '60000' },
      ramp: { type: 'string', default: '100' },
      'ceiling-votes': { type: 'string', default: '3000' },
      'quiet-wait': { type: 'string', default: '15' },
      seed: { type: 'string', default: '7' },
      out: { type: 'string', default: 'bench/results' },
      'allow-discard': { type: 'boolean', default: false },
      profile: { type: 'string' },
      'no-race': { type: 'boolean', default: false },
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
    return v;
  };
  return {
    clients: Math.round(num('clients', 1, 15_000)),
    spreadMs: num('spread-ms', 1, 60_000),
    double: num('double', 0, 1),
    durationMs: Math.round(num('duration-ms', 10_000, 30 * 60_000)),
    ramp: Math.round(num('ramp', 1, 1_000)),
    ceilingVotes: Math.round(num('ceiling-votes', 0, 15_000)),
    quietWait: num('quiet-wait', 0, 300),
    seed: Math.round(num('seed', 0, 2 ** 31)),
    out: String(values.out),
    allowDiscard: Boolean(values['allow-discard']),
    profileDir: values.profile ? String(values.profile) : null,
    race: !values['no-race'],
  };
}

let opts: ReturnType<typeof options>;
try {
  opts = options();
} catch (err) {
  console.error(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}

let services: Services | null = null;
// A hard ceiling on the whole command, whatever hangs.
const deadlineS = opts.quietWait + opts.clients / 20 + 200;
const command = systemCommand({ deadlineS, allowDiscard: opts.allowDiscard, services: () => services, log });

async function main() {
  const startedAt = new Date().toISOString();
  log(`poll-votes benchmark: ${opts.clients} clients, votes spread over ${opts.spreadMs} ms, ${cores} cores, ${pinning ? 'server+workers on core 0, generator on core 1' : 'NO CPU pinning (needs taskset and 2 cores)'}`);
  services = await openServices('polls');
  const svc = services;
  const { env, admin, jwtSecret } = baseEnv(svc, {});
  const busyBefore = await waitQuiet(opts.quietWait, 0.3, log);

  log('starting server and workers (core 0)…');
  const server = await startServer(env, profileArgs(opts.profileDir, 'server'));
  const workers = await startWorkers(env, 'workers', profileArgs(opts.profileDir, 'workers'));
  const adminSession = await adminLogin(server.url, admin);
  const roomId = await createLiveRoom(server.url, adminSession.token, 'Poll benchmark premiere');

  log(`seeding ${opts.clients} fan accounts straight into the bench schema and minting their tokens…`);
  const t0 = Date.now();
  const accounts = await seedAccounts({ pool: svc.pool, schema: svc.schema, count: opts.clients, jwtSecret, tag: 'pollfan' });
  log(`  ${accounts.length} accounts in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const serverW = watchProcess(server.child.pid);
  const workersW = watchProcess(workers.child.pid);
  const gen = track(spawnNode({ name: 'generator', entry: 'bench/poll-votes/load.ts', core: 1, env: { ...process.env, NODE_ENV: 'production' }, ipc: true }));
  const genW = watchProcess(gen.pid);
  type Snapshot = { s: ProcReading | null; w: ProcReading | null; g: ProcReading | null; c: ReturnType<typeof readCoreTimes>; n: ReturnType<typeof cpuByName>; at: number };
  const marks = new Map<Mark, Snapshot>();
  const live: { main: Record<string, string> | null; race: Record<string, string> | null } = { main: null, race: null };

  const config: PollLoadConfig = {
    url: server.url,
    roomId,
    adminToken: adminSession.token,
    accounts: accounts.map((a) => ({ id: a.id, token: a.token })),
    question: 'Who survives the finale?',
    options: ['Mei', 'Wen', 'An', 'Nobody'],
    weights: [0.4, 0.3, 0.2, 0.1],
    durationMs: opts.durationMs,
    spreadMs: opts.spreadMs,
    doubleShare: opts.double,
    rampConcurrency: opts.ramp,
    seed: opts.seed,
    openWaitMs: 15_000,
    ackTimeoutMs: 60_000,
    closedWaitMs: 30_000,
    race: opts.race,
    ceiling: { enabled: opts.ceilingVotes > 0, databaseUrl: svc.databaseUrl, schema: svc.schema, poolSize: 10, votes: opts.ceilingVotes },
  };
  const result = await drive(gen, config, (m, pollId) => {
    marks.set(m, { s: serverW.mark(), w: workersW.mark(), g: genW.mark(), c: readCoreTimes(), n: cpuByName(['postgres', 'redis-server']), at: Date.now() });
    // main: the live counters before the close overwrites them (they should equal the ok acks);
    // race: the live counters a second after the close (votes racing the close may add to them afterwards).
    if (m === 'vote-end' || m === 'race-end') {
      const which = m === 'vote-end' ? 'main' : 'race';
      void svc.redis.hGetAll(`${svc.prefix}:poll:${pollId}:tallies`).then((h) => (live[which] = h)).catch(() => undefined);
    }
  });
  await stopChild(gen, 3_000);

  const phase = (from: Mark, to: Mark): PhaseUsage | null => {
    const a = marks.get(from);
    const b = marks.get(to);
    if (!a || !b) return null;
    return {
      seconds: Math.round((b.at - a.at) / 100) / 10,
      server: serverW.between(a.s, b.s),
      workers: workersW.between(a.w, b.w),
      generator: genW.between(a.g, b.g),
      coresBusy: coreBusy(a.c, b.c),
      sharedServices: cpuByNameBetween(a.n, b.n, b.at - a.at),
    };
  };
  const usage = {
    connect: phase('connect-start', 'connect-end'),
    vote: phase('vote-start', 'vote-end'),
    close: phase('close-start', 'close-end'),
    race: phase('race-start', 'race-end'),
    ceiling: phase('ceiling-start', 'ceiling-end'),
  };
  const peaks = { serverRssMiB: serverW.peak(), workersRssMiB: workersW.peak() };
  serverW.stop();
  workersW.stop();
  genW.stop();

  await new Promise((r) => setTimeout(r, 200));
  const db = {
    main: await checkDatabase(svc, result.main, live.main),
    race: result.race ? await checkDatabase(svc, result.race, live.race) : null,
  };
  const report = buildReport({
    opts,
    result,
    usage,
    peaks,
    db,
    meta: { startedAt, finishedAt: new Date().toISOString(), cores, pinning, busyCoresBefore: busyBefore, postgres: svc.postgresVersion, databasePoolSize: 10 },
  });
  printTable(report);
  log(`\nwrote ${writeOutputs(report, opts.out).join(' and ')}`);
  return report;
}

/** Runs the generator to its result, bounded in time. */
function drive(gen: ChildProcess, config: PollLoadConfig, onMark: (m: Mark, pollId?: string) => void): Promise<PollLoadResult> {
  const budgetMs = (config.accounts.length / 20 + 180) * 1000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`generator did not finish within ${Math.round(budgetMs / 1000)} s`)), budgetMs);
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    gen.on('message', (msg: GenToParent) => {
      if (msg.type === 'progress') log(`  ${msg.text}`);
      else if (msg.type === 'mark') onMark(msg.mark, msg.pollId);
      else if (msg.type === 'result') finish(() => resolve(msg.result));
      else if (msg.type === 'fatal') finish(() => reject(new Error(`generator: ${msg.message}`)));
    });
    gen.once('exit', (code) => finish(() => reject(new Error(`generator exited (${code}) before reporting`))));
    gen.send({ type: 'start', config });
  });
}

/** What Postgres holds: every ok ack is one row, no row without an ok ack, tallies per option. */
async function checkDatabase(svc: Services, r: RoundResult, liveCounters: Record<string, string> | null): Promise<DbCheck> {
  const q = (sql: string, params: unknown[]) => svc.pool.query(sql.replaceAll('$S', `"${svc.schema}"`), params);
  const rows = (await q('select user_id::text as u, option_ids from $S.poll_votes where poll_id = $1', [r.pollId])).rows as Array<{ u: string; option_ids: string[] }>;
  const ok = new Set(r.okUserIds);
  const stored = new Set(rows.map((x) => x.u));
  const tallies: Record<string, number> = {};
  for (const x of rows) for (const o of x.option_ids) tallies[o] = (tallies[o] ?? 0) + 1;
  const poll = (await q('select status, final_tallies from $S.polls where id = $1', [r.pollId])).rows[0] as { status: string; final_tallies: Record<string, number> | null } | undefined;
  return {
    rows: rows.length,
    okAckedWithoutRow: [...ok].filter((u) => !stored.has(u)).length,
    rowsWithoutOkAck: [...stored].filter((u) => !ok.has(u)).length,
    talliesFromRows: tallies,
    pollStatus: poll?.status ?? null,
    finalTallies: poll?.final_tallies ?? null,
    liveCounters: liveCounters ? Object.fromEntries(Object.entries(liveCounters).map(([k, v]) => [k, Number(v)])) : null,
  };
}

command.run(main, (report) => report.verdict.allExact);
