import os from 'node:os';
import { parseArgs } from 'node:util';

export type Mode = 'merged' | 'naive';

export interface BenchOptions {
  clients: number;
  /** Server processes behind the generator's round-robin (the architecture's scale-out). */
  servers: number;
  /** taskset CPU lists: servers + workers, and the load generator + probe. */
  serverCores: string;
  loadCores: string;
  rate: number;
  seconds: number;
  naiveRate: number;
  warmup: number;
  senders: number;
  userIntervalMs: number;
  sample: number;
  rampConcurrency: number;
  tickMs: number;
  capPerS: number;
  modes: Mode[];
  /** Merged + naive pairs run one after the other; the report is the median round. */
  rounds: number;
  nonce: boolean;
  allowDiscard: boolean;
  generatorCpuLimit: number;
  /** Seconds to wait for other processes to go quiet before each run. */
  quietWait: number;
  out: string;
  /** Directory for `node --cpu-prof` of the server process (side experiments; never commit profiles). */
  profileDir: string | null;
}

export const USAGE = `npm run bench:danmaku -- [options]

  --clients N          viewers in one room (5000)
  --servers N          server processes, connections spread round-robin as by a load balancer (1)
  --server-cores LIST  taskset CPU list for the servers and the workers (0)
  --load-cores LIST    taskset CPU list for the load generator and its probe (1); must not overlap
  --rate N             danmaku per second in, merged run (500)
  --naive-rate N       danmaku per second in, naive baseline run (8)
  --seconds N          measurement window per run (20)
  --warmup N           seconds of sending before measuring (5)
  --senders N          sender accounts, one connection each (250)
  --user-interval-ms N DANMAKU_USER_INTERVAL_MS; must stay below senders/rate seconds (250)
  --sample N           viewers whose frames are parsed for latency (200)
  --ramp N             connection attempts in flight while ramping (100)
  --tick-ms N          DANMAKU_TICK_MS (100)
  --cap N              DANMAKU_DISPLAY_CAP_PER_S (40)
  --only merged|naive  run one mode only (no ratio)
  --rounds N           repeat the pair N times and report the median round (3; 1 with --only or --profile)
  --no-nonce           send without a nonce (skips two Redis round trips per send)
  --generator-cpu N    discard a run whose generator passes N% of one core (70)
  --quiet-wait N       wait up to N s for other processes to go idle before each run (30)
  --allow-discard      exit 0 even when a run is discarded
  --out PATH           JSON path; the SVG goes beside it (bench/results/danmaku-fanout.json)
  --profile DIR        run the server under node --cpu-prof, profiles in DIR
`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      clients: { type: 'string' },
      servers: { type: 'string' },
      'server-cores': { type: 'string' },
      'load-cores': { type: 'string' },
      rate: { type: 'string' },
      'naive-rate': { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      senders: { type: 'string' },
      'user-interval-ms': { type: 'string' },
      sample: { type: 'string' },
      ramp: { type: 'string' },
      'tick-ms': { type: 'string' },
      cap: { type: 'string' },
      only: { type: 'string' },
      rounds: { type: 'string' },
      'no-nonce': { type: 'boolean' },
      'generator-cpu': { type: 'string' },
      'allow-discard': { type: 'boolean' },
      'quiet-wait': { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (name: string, v: string | undefined, def: number, min: number, max: number) => {
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in [${min}, ${max}]`);
    return n;
  };
  const only = values.only;
  if (only !== undefined && only !== 'merged' && only !== 'naive') throw new Error('--only must be merged or naive');
  const opts: BenchOptions = {
    clients: Math.round(num('clients', values.clients, 5000, 1, 15_000)),
    servers: Math.round(num('servers', values.servers, 1, 1, 16)),
    serverCores: values['server-cores'] ?? '0',
    loadCores: values['load-cores'] ?? '1',
    rate: num('rate', values.rate, 500, 0.1, 5_000),
    naiveRate: num('naive-rate', values['naive-rate'], 8, 0.1, 5_000),
    seconds: num('seconds', values.seconds, 20, 2, 600),
    warmup: num('warmup', values.warmup, 5, 1, 120),
    senders: Math.round(num('senders', values.senders, 250, 1, 5_000)),
    userIntervalMs: Math.round(num('user-interval-ms', values['user-interval-ms'], 250, 0, 600_000)),
    sample: Math.round(num('sample', values.sample, 200, 1, 15_000)),
    rampConcurrency: Math.round(num('ramp', values.ramp, 100, 1, 2_000)),
    tickMs: Math.round(num('tick-ms', values['tick-ms'], 100, 10, 100)),
    capPerS: Math.round(num('cap', values.cap, 40, 1, 1000)),
    modes: only ? [only] : ['merged', 'naive'],
    rounds: Math.round(num('rounds', values.rounds, only || values.profile ? 1 : 3, 1, 9)),
    nonce: !values['no-nonce'],
    allowDiscard: Boolean(values['allow-discard']),
    quietWait: num('quiet-wait', values['quiet-wait'], 30, 0, 600),
    generatorCpuLimit: num('generator-cpu', values['generator-cpu'], 70, 1, 100),
    out: values.out ?? 'bench/results/danmaku-fanout.json',
    profileDir: values.profile ?? null,
  };
  opts.sample = Math.min(opts.sample, opts.clients);
  const serverCpus = cpuList('server-cores', opts.serverCores);
  const loadCpus = cpuList('load-cores', opts.loadCores);
  const shared = serverCpus.filter((c) => loadCpus.includes(c));
  if (shared.length) throw new Error(`--server-cores and --load-cores share CPU ${shared.join(', ')}: the load would be measured as server CPU`);
  const gapMs = (opts.senders / Math.max(opts.rate, opts.naiveRate)) * 1000;
  if (opts.userIntervalMs > 0 && gapMs < opts.userIntervalMs * 1.5) {
    throw new Error(
      `each sender would send every ${gapMs.toFixed(0)} ms, under --user-interval-ms ${opts.userIntervalMs} (+50% margin for server-side jitter): ` +
        'add --senders or lower --user-interval-ms',
    );
  }
  return opts;
}

/** Parses a taskset CPU list ("0", "0,2", "2-3") into CPU numbers this machine has. */
export function cpuList(name: string, list: string): number[] {
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(list)) throw new Error(`--${name} must be a CPU list such as 0 or 2-3 or 0,2 (got ${JSON.stringify(list)})`);
  const cpus = new Set<number>();
  for (const part of list.split(',')) {
    const [a, b = a] = part.split('-').map(Number);
    if (b < a) throw new Error(`--${name}: ${part} is an empty range`);
    for (let c = a; c <= b; c++) cpus.add(c);
  }
  const have = os.availableParallelism();
  const missing = [...cpus].filter((c) => c >= have);
  // With one CPU nothing is pinned (the run is marked discarded), so the defaults must still parse.
  if (have >= 2 && missing.length) throw new Error(`--${name}: this machine has CPUs 0-${have - 1}, not ${missing.join(', ')}`);
  return [...cpus];
}
