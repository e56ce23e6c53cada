/**
 * Danmaku fan-out benchmark: one command starts the server (or several, --servers) and
 * the workers (core 0, --server-cores) on a fresh schema and Redis prefix, a load
 * generator (core 1, --load-cores) with N viewers in one live room, measures the merged fan-out and then the naive baseline, checks no accepted
 * danmaku was lost, writes JSON + SVG, and cleans up.
 *
 *   npx tsx bench/danmaku-fanout/run.ts [--clients 5000 --rate 500 --seconds 20 --naive-rate 8]
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseOptions, USAGE, type BenchOptions, type Mode } from './args.js';
import { provideServices, openStores, type Services, type Stores } from './infra.js';
import { adminToken, createLiveRoom, registerSenders } from './setup.js';
import { benchmarkCommand } from '../kit/command.js';
import { coreBusy, cores, freePort, pinning, readCoreTimes, spawnNode, stopChild, waitHealthy, waitQuiet } from '../kit/procs.js';
import { sampleProcess } from './system.js';
import type { GeneratorConfig, GeneratorResult, GeneratorToParent } from './protocol.js';
import { buildReport, placement, medianRound, printTable, roundLine, writeOutputs, type ModeRun, type RoundReport } from './report.js';

const DRAIN_S = 5;
const log = (s: string) => console.log(s);

let opts: BenchOptions;
try {
  opts = parseOptions(process.argv.slice(2));
} catch (err) {
  console.error(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}

const children = new Set<ChildProcess>();
let services: Services | null = null;
let stores: Stores | null = null;
// Never leave a server behind: on any exit, kill what is still running.
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
// A hard ceiling on the whole command, whatever hangs.
const deadlineS = opts.modes.length * (opts.clients / 25 + opts.warmup + opts.seconds + opts.quietWait + 240);
const command = benchmarkCommand({
  deadlineS,
  allowDiscard: opts.allowDiscard,
  async cleanup() {
    await Promise.all([...children].map((c) => stopChild(c, 5_000)));
    if (stores) {
      const { keysDeleted, schemaDropped } = await stores.cleanup();
      log(`cleanup: ${schemaDropped ? 'dropped schema' : 'schema NOT dropped'}, deleted ${keysDeleted} Redis keys`);
      await stores.close();
    }
    await services?.stop();
  },
});

function started(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Runs the generator and resolves with its result, bounded in time. */
function drive(gen: ChildProcess, config: GeneratorConfig, mode: Mode, onMark: (m: 'start' | 'end') => void): Promise<GeneratorResult> {
  const budgetMs = (config.clients / 25 + config.warmupS + config.seconds + config.drainS + 90) * 1000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`generator did not finish within ${Math.round(budgetMs / 1000)} s`)), budgetMs);
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    gen.on('message', (msg: GeneratorToParent) => {
      if (msg.type === 'progress') log(`  ${mode}: ${msg.text}`);
      else if (msg.type === 'measure-start') onMark('start');
      else if (msg.type === 'measure-end') onMark('end');
      else if (msg.type === 'result') finish(() => resolve(msg.result));
      else if (msg.type === 'fatal') finish(() => reject(new Error(`generator: ${msg.message}`)));
    });
    gen.once('exit', (code) => finish(() => reject(new Error(`generator exited (${code}) before reporting`))));
    gen.send({ type: 'start', config });
  });
}

async function runMode(mode: Mode, rate: number, baseEnv: NodeJS.ProcessEnv, ctx: { senderTokens: string[] | null; admin: { handle: string; password: string } }): Promise<ModeRun> {
  const ports = await Promise.all(Array.from({ length: opts.servers }, () => freePort()));
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const url = urls[0];
  const workersPort = await freePort();
  const env = { ...baseEnv, WORKERS_HEALTH_PORT: String(workersPort), DANMAKU_FANOUT: mode };
  const nodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}/${mode}`] : [];
  const servers: ChildProcess[] = [];
  let workers: ChildProcess | null = null;
  let gen: ChildProcess | null = null;
  try {
    log(`\n== ${mode}: ${opts.clients} viewers on ${opts.servers} server process${opts.servers > 1 ? 'es' : ''}, ${rate} danmaku/s in ==`);
    const busyBefore = await waitQuiet(opts.quietWait, 0.25, log);
    for (const [i, port] of ports.entries()) {
      const name = opts.servers > 1 ? `server ${i + 1} ${mode}` : `server ${mode}`;
      servers.push(started(spawnNode({ name, entry: 'server/main.ts', core: opts.serverCores, env: { ...env, PORT: String(port) }, nodeArgs })));
    }
    await Promise.all(servers.map((server, i) => waitHealthy(`${urls[i]}/healthz`, server)));
    workers = started(spawnNode({ name: `workers ${mode}`, entry: 'workers/main.ts', core: opts.serverCores, env }));
    await waitHealthy(`http://127.0.0.1:${workersPort}/healthz`, workers);
    const token = await adminToken(url, ctx.admin.handle, ctx.admin.password);
    const roomId = await createLiveRoom(url, token, `Benchmark premiere (${mode})`);
    if (!ctx.senderTokens) {
      log(`  registering ${opts.senders} sender accounts…`);
      ctx.senderTokens = await registerSenders(url, opts.senders, (n) => log(`  senders ${n}/${opts.senders}`));
    }
    const serverUse = sampleProcess(...servers.map((server) => server.pid!));
    const workersUse = sampleProcess(workers.pid!);
    gen = started(spawnNode({ name: `generator ${mode}`, entry: 'bench/danmaku-fanout/load.ts', core: opts.loadCores, env: { ...process.env, NODE_ENV: 'production' }, ipc: true }));
    type Mark = { s: ReturnType<typeof serverUse.mark>; w: ReturnType<typeof workersUse.mark>; c: ReturnType<typeof readCoreTimes> };
    const marks: Record<'start' | 'end', Mark | null> = { start: null, end: null };
    const result = await drive(
      gen,
      {
        urls,
        roomId,
        clients: opts.clients,
        sampleClients: opts.sample,
        rate,
        senderTokens: ctx.senderTokens,
        warmupS: opts.warmup,
        seconds: opts.seconds,
        rampConcurrency: opts.rampConcurrency,
        nonce: opts.nonce,
        minSenderGapMs: opts.userIntervalMs * 1.2,
        drainS: DRAIN_S,
      },
      mode,
      (m) => (marks[m] = { s: serverUse.mark(), w: workersUse.mark(), c: readCoreTimes() }),
    );
    const serverUsage = serverUse.window(marks.start?.s ?? null, marks.end?.s ?? null);
    const workersUsage = workersUse.window(marks.start?.w ?? null, marks.end?.w ?? null);
    const coresBusy = marks.start && marks.end ? coreBusy(marks.start.c, marks.end.c) : {};
    serverUse.stop();
    workersUse.stop();
    gen.send({ type: 'exit' });
    await stopChild(gen, 5_000);

    log(`  waiting for the persister to write ${result.ackedIds.length} acked danmaku…`);
    const persisted = await stores!.waitPersisted(60_000);
    const stored = await stores!.countStored(result.ackedIds);
    const { ackedIds, ...generator } = result;
    return {
      mode,
      rate,
      generator,
      server: serverUsage,
      workers: workersUsage,
      coresBusy,
      otherCoresBusyBefore: busyBefore,
      persistence: { acked: ackedIds.length, stored, lost: ackedIds.length - stored, persisterCaughtUp: persisted.ok, persisterWaitMs: persisted.waitedMs },
    };
  } finally {
    await Promise.all([stopChild(gen, 3_000), ...servers.map((server) => stopChild(server)), stopChild(workers)]);
  }
}

async function main() {
  const startedAt = new Date().toISOString();
  log(`danmaku fan-out benchmark: ${cores} cores, ${pinning ? placement(opts) : 'NO CPU pinning (needs taskset and 2 cores)'}`);
  services = await provideServices();
  const id = randomBytes(4).toString('hex');
  const schema = `bench_${id}`;
  const prefix = `bench_${id}`;
  stores = await openStores(services, schema, prefix);
  const admin = { handle: `bench-admin-${id}`, password: randomBytes(16).toString('base64url') };
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SECURE_COOKIES: 'false',
    HOST: '127.0.0.1',
    DATABASE_URL: services.databaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: prefix,
    LOTUS_JWT_SECRET: randomBytes(32).toString('base64url'),
    LOTUS_ADMIN_HANDLE: admin.handle,
    LOTUS_ADMIN_PASSWORD: admin.password,
    LOG_LEVEL: 'warn',
    DANMAKU_TICK_MS: String(opts.tickMs),
    DANMAKU_DISPLAY_CAP_PER_S: String(opts.capPerS),
    DANMAKU_USER_INTERVAL_MS: String(opts.userIntervalMs),
    DANMAKU_PER_IP_PER_10S: '100000',
    REGISTRATIONS_PER_HOUR: '100000',
    LOGIN_ATTEMPTS_PER_15MIN: '10000',
  };
  const ctx = { senderTokens: null as string[] | null, admin };
  // This machine is noisy: each round runs both modes back to back, and the report is the median round.
  const reports: RoundReport[] = [];
  for (let round = 1; round <= opts.rounds; round++) {
    if (opts.rounds > 1) log(`\n######## round ${round}/${opts.rounds} ########`);
    const runs: ModeRun[] = [];
    for (const mode of opts.modes) runs.push(await runMode(mode, mode === 'merged' ? opts.rate : opts.naiveRate, baseEnv, ctx));
    reports.push(buildReport(opts, runs, { startedAt, finishedAt: new Date().toISOString(), cores, pinning, infrastructure: services.kind }));
    if (opts.rounds > 1) log(`  round ${round}: ${roundLine(reports.at(-1)!)}`);
  }
  const report = medianRound(reports);
  printTable(report);
  const written = writeOutputs(report, opts.out);
  log(`\nwrote ${written.join(' and ')}`);
  return report;
}

command.run(main);
