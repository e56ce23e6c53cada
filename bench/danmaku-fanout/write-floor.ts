/**
 * The floor under any fan-out on this machine: what one TCP write to one viewer costs
 * the sending process, by frame size, with nothing else running. A writer (core 0)
 * accepts N loopback connections and writes one pre-built frame to each of them, R
 * rounds a second; a reader (core 1) drains them. It reports the writer's CPU per write
 * (user and system), so the fan-out benchmark's figures can be read against it: a batch
 * frame to 5,000 viewers cannot take less than 5,000 times this.
 *
 *   npm run bench:write-floor -- [--clients 5000 --rounds 10 --seconds 8 --sizes 300,1500,6000]
 */
import { fork, spawnSync } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cores, pinning, r1, r2, sleep } from '../kit/procs.js';

const self = fileURLToPath(import.meta.url);
const role = process.env.FLOOR_ROLE;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Each child pins itself (`taskset -p` on its own pid), since fork() has no taskset wrapper; threads started later inherit it. */
function pinSelf(core: number) {
  if (pinning) spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

type Msg = { kind: 'listening'; port: number } | { kind: 'connected' } | { kind: 'result'; cpuUserUs: number; cpuSysUs: number; writes: number; wallMs: number; loopLagP99Ms: number } | { kind: 'readerCpu'; cpuUs: number; wallMs: number; bytes: number };

async function writer() {
  pinSelf(0);
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    s.setNoDelay(true); // as ws does
    sockets.push(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  process.send!({ kind: 'listening', port: (server.address() as net.AddressInfo).port } satisfies Msg);
  process.on('message', async (m: { kind: 'run'; size: number; rounds: number; seconds: number; clients: number }) => {
    while (sockets.length < m.clients) await sleep(20);
    const frame = Buffer.alloc(m.size, 0x61);
    const periodMs = 1000 / m.rounds;
    const lags: number[] = [];
    let writes = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let next = t0;
    while (performance.now() - t0 < m.seconds * 1000) {
      const start = performance.now();
      lags.push(start - next);
      for (const s of sockets) {
        if (s.writableLength > 256 * 1024) continue;
        s.write(frame);
        writes++;
      }
      next += periodMs;
      const wait = next - performance.now();
      await sleep(Math.max(0, wait));
    }
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    lags.sort((a, b) => a - b);
    process.send!({ kind: 'result', cpuUserUs: cpu.user, cpuSysUs: cpu.system, writes, wallMs, loopLagP99Ms: lags[Math.floor(lags.length * 0.99)] ?? 0 } satisfies Msg);
  });
}

async function reader() {
  pinSelf(1);
  const port = Number(process.env.FLOOR_PORT);
  const clients = Number(process.env.FLOOR_CLIENTS);
  let bytes = 0;
  for (let i = 0; i < clients; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, clients - i) }, () => new Promise<void>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => resolve());
        s.on('data', (d) => (bytes += d.length));
        s.on('error', reject);
      })),
    );
  }
  process.send!({ kind: 'connected' } satisfies Msg);
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  process.on('message', (m: { kind: 'mark' | 'report' }) => {
    if (m.kind === 'mark') {
      cpu0 = process.cpuUsage();
      t0 = performance.now();
      bytes = 0;
    } else {
      const c = process.cpuUsage(cpu0);
      process.send!({ kind: 'readerCpu', cpuUs: c.user + c.system, wallMs: performance.now() - t0, bytes } satisfies Msg);
    }
  });
}

function next<T extends Msg['kind']>(child: ReturnType<typeof fork>, kind: T): Promise<Extract<Msg, { kind: T }>> {
  return new Promise((resolve) => {
    const on = (m: Msg) => {
      if (m.kind !== kind) return;
      child.off('message', on);
      resolve(m as Extract<Msg, { kind: T }>);
    };
    child.on('message', on);
  });
}

async function main() {
  const clients = Number(arg('clients', '5000'));
  const rounds = Number(arg('rounds', '10'));
  const seconds = Number(arg('seconds', '8'));
  const sizes = arg('sizes', '300,1500,6000').split(',').map(Number);
  console.log(`write floor: ${clients} loopback connections, ${rounds} rounds/s, ${seconds} s per size, sizes ${sizes.join(', ')} B; ${cores} cores, pinning ${pinning ? 'on' : 'off'}`);
  const rows: Array<Record<string, number>> = [];
  for (const size of sizes) {
    const w = fork(self, [], { env: { ...process.env, FLOOR_ROLE: 'writer' }, execArgv: ['--import', 'tsx'] });
    const { port } = await next(w, 'listening');
    const r = fork(self, [], { env: { ...process.env, FLOOR_ROLE: 'reader', FLOOR_PORT: String(port), FLOOR_CLIENTS: String(clients) }, execArgv: ['--import', 'tsx'] });
    await next(r, 'connected');
    await sleep(500);
    r.send({ kind: 'mark' });
    w.send({ kind: 'run', size, rounds, seconds, clients });
    const res = await next(w, 'result');
    r.send({ kind: 'report' });
    const rc = await next(r, 'readerCpu');
    w.kill();
    r.kill();
    const cpuUs = res.cpuUserUs + res.cpuSysUs;
    const row = {
      sizeBytes: size,
      writesPerS: Math.round((res.writes / res.wallMs) * 1000),
      usPerWrite: r2(cpuUs / res.writes),
      userUsPerWrite: r2(res.cpuUserUs / res.writes),
      sysUsPerWrite: r2(res.cpuSysUs / res.writes),
      writerCpuPercent: r1((cpuUs / 1000 / res.wallMs) * 100),
      readerCpuPercent: r1((rc.cpuUs / 1000 / rc.wallMs) * 100),
      roundMsFor5000: r1((cpuUs / res.writes) * 5000 / 1000),
      loopLagP99Ms: r1(res.loopLagP99Ms),
    };
    rows.push(row);
    console.log(`  ${String(size).padStart(6)} B: ${row.usPerWrite} µs per write (user ${row.userUsPerWrite}, system ${row.sysUsPerWrite}), ${row.writesPerS}/s at ${row.writerCpuPercent}% of a core; one round to 5,000 viewers ≈ ${row.roundMsFor5000} ms; reader ${row.readerCpuPercent}%`);
  }
  const dir = path.resolve(path.dirname(self), '../results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'write-floor.json');
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), clients, rounds, seconds, cores, pinning, rows }, null, 2));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

if (role === 'writer') void writer();
else if (role === 'reader') void reader();
else void main();
