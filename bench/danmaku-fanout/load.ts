/**
 * The load generator, started by run.ts (pinned to its own core) with an IPC channel.
 * It opens N viewer connections in one room, connects the sender accounts, sends
 * danmaku at the target rate, and measures deliveries. `sample` of the viewers live in
 * the latency probe (probe.ts, a process of its own on the same core), spread over the
 * join order, and decode frames for latency; the rest count packets and `"id":`
 * occurrences in raw bytes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import * as hdr from 'hdr-histogram-js';
import { EioClient } from '../kit/eio.js';
import { countItems, isBatch } from './frames.js';
import { newLatencyHistogram as newHistogram, probeNow as now, type FromProbe, type ProbeStats, type ToProbe } from './probe.js';
import type { GeneratorConfig, GeneratorResult, GeneratorToParent, LatencySummary, ParentToGenerator } from './protocol.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CJK = ['弹幕', '前方高能', '名场面', '泪目', '好耶', '来了来了', '哈哈哈', '神回'];

function tell(msg: GeneratorToParent) {
  process.send?.(msg);
}

/** The latency probe (probe.ts), forked onto this process's core; requests are answered in order. */
function startProbe() {
  const child: ChildProcess = fork(fileURLToPath(new URL('./probe.ts', import.meta.url)), [], {
    execArgv: process.execArgv,
    env: { ...process.env, DANMAKU_BENCH_PROBE: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting: Array<(m: FromProbe) => void> = [];
  child.on('message', (m: FromProbe) => waiting.shift()?.(m));
  const ask = (m: ToProbe) => new Promise<FromProbe>((resolve) => {
    waiting.push(resolve);
    child.send(m);
  });
  return {
    async connect(url: string, roomId: string) {
      const r = await ask({ type: 'connect', url, roomId });
      if (r.type === 'joined' && !r.ok) throw new Error(r.error);
    },
    measure: (on: boolean) => child.send({ type: 'measure', on } satisfies ToProbe),
    async collect(): Promise<ProbeStats> {
      const r = await ask({ type: 'collect' });
      if (r.type !== 'stats') throw new Error('the probe answered out of turn');
      return r.stats;
    },
    stop: () => child.kill(),
  };
}

/** Histogram of microseconds -> summary in ms. */
function summarize(h: hdr.Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us / 10) / 100;
  if (h.totalCount === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}

async function run(cfg: GeneratorConfig): Promise<GeneratorResult> {
  let measuring = false;
  let frames = 0;
  let items = 0;
  const probe = startProbe();
  const ackLatency = newHistogram();
  let held = 0;
  let joined = 0;
  let connectFailures = 0;
  let disconnects = 0;
  const firstErrors = new Map<string, number>();

  // --- ramp: viewers, `rampConcurrency` attempts in flight ---
  const rampStart = now();
  const viewers: EioClient[] = [];
  let next = 0;
  let lastReport = 0;
  const attachViewer = (c: EioClient) => {
    c.onRawEvent = (data) => {
      if (!isBatch(data)) return false;
      if (!measuring) return true;
      frames++;
      items += countItems(data);
      return true;
    };
    c.onClose = () => {
      held--;
      disconnects++;
    };
  };
  // Connections are spread over the server processes round-robin, as a load balancer would.
  const serverFor = (k: number) => cfg.urls[k % cfg.urls.length];
  // Every stride-th join is a probe viewer, so the sample spans the room's join order.
  const stride = Math.max(1, Math.floor(cfg.clients / cfg.sampleClients));
  let probed = 0;
  const rampWorker = async () => {
    while (next < cfg.clients) {
      const index = next++;
      try {
        if (index % stride === 0 && probed < cfg.sampleClients) {
          // The probe's viewers take turns over the servers on their own count, so a
          // stride that is a multiple of the server count cannot put them all on one.
          await probe.connect(serverFor(probed++), cfg.roomId);
          joined++;
          held++;
          continue;
        }
        const c = await EioClient.connect(serverFor(index), null, 15_000, true);
        attachViewer(c);
        held++;
        const { payload: ack } = await c.emitWithAck('room:join', { roomId: cfg.roomId });
        if (!ack.ok) throw new Error(`room:join ${ack.error?.code}`);
        viewers.push(c);
        joined++;
      } catch (err) {
        connectFailures++;
        const why = (err as Error).message.slice(0, 80);
        firstErrors.set(why, (firstErrors.get(why) ?? 0) + 1);
      }
      const done = joined + connectFailures;
      if (done - lastReport >= 500 || done === cfg.clients) {
        lastReport = done;
        tell({ type: 'progress', text: `connecting ${done}/${cfg.clients} (joined ${joined}, failed ${connectFailures})` });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(cfg.rampConcurrency, cfg.clients) }, rampWorker));
  const rampSeconds = (now() - rampStart) / 1000;
  if (firstErrors.size) tell({ type: 'progress', text: `connect errors: ${JSON.stringify(Object.fromEntries(firstErrors))}` });

  // --- senders: one authenticated connection per account; they send but do not watch ---
  const senders: EioClient[] = [];
  for (let i = 0; i < cfg.senderTokens.length; i += 50) {
    const batch = cfg.senderTokens.slice(i, i + 50).map((token, j) => EioClient.connect(serverFor(i + j), { token }, 15_000, true).catch(() => null));
    for (const s of await Promise.all(batch)) if (s) senders.push(s);
  }
  tell({ type: 'progress', text: `viewers joined ${joined}/${cfg.clients} in ${rampSeconds.toFixed(1)} s; senders connected ${senders.length}/${cfg.senderTokens.length}` });
  if (!senders.length || !joined) throw new Error('no senders or no viewers connected: nothing to measure');

  // --- sending: a 10 ms ticker sends what is due, round-robin over the senders. A sender
  // whose last send is under `minSenderGapMs` ago is not used yet (as a real client
  // would wait), so a generator stall turns into a short backlog, not RATE_LIMITED acks;
  // a backlog over one second's worth is dropped and counted as `skipped`. ---
  let sent = 0;
  let skipped = 0;
  let acceptedOk = 0;
  const failedByCode: Record<string, number> = {};
  const ackedIds: string[] = [];
  let inFlight = 0;
  let sendCount = 0;
  let rr = 0;
  const lastSentAt = new Float64Array(senders.length);
  const sendOne = (t: number) => {
    const i = rr++ % senders.length;
    const sender = senders[i];
    lastSentAt[i] = t;
    const counted = measuring;
    const text = `b:${t.toFixed(3)} ${CJK[sendCount++ % CJK.length]}`;
    const payload: Record<string, string> = { roomId: cfg.roomId, text };
    if (cfg.nonce) payload.nonce = randomBytes(12).toString('base64url');
    if (counted) sent++;
    inFlight++;
    void sender.emitWithAck<{ danmaku?: { id: string } }>('danmaku:send', payload).then(({ payload: ack }) => {
      inFlight--;
      if (ack.ok && ack.danmaku) ackedIds.push(ack.danmaku.id);
      if (!counted) return;
      ackLatency.recordValue(Math.max(1, Math.round((now() - t) * 1000)));
      if (ack.ok) acceptedOk++;
      else failedByCode[ack.error?.code ?? 'UNKNOWN'] = (failedByCode[ack.error?.code ?? 'UNKNOWN'] ?? 0) + 1;
    });
  };
  const sendStart = now();
  let scheduled = 0;
  let backlog = 0;
  const ticker = setInterval(() => {
    const t = now();
    const due = Math.floor(((t - sendStart) / 1000) * cfg.rate) - scheduled;
    scheduled += due;
    backlog += due;
    if (backlog > cfg.rate) {
      if (measuring) skipped += backlog - Math.ceil(cfg.rate);
      backlog = Math.ceil(cfg.rate);
    }
    while (backlog > 0 && t - lastSentAt[rr % senders.length] >= cfg.minSenderGapMs) {
      sendOne(t);
      backlog--;
    }
  }, 10);

  tell({ type: 'progress', text: `warming up ${cfg.warmupS} s at ${cfg.rate}/s` });
  await sleep(cfg.warmupS * 1000);

  // --- measurement window ---
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let heldMin = held;
  const heldTimer = setInterval(() => (heldMin = Math.min(heldMin, held)), 500);
  const disconnectsBefore = disconnects;
  const cpu0 = process.cpuUsage();
  const t0 = now();
  measuring = true;
  probe.measure(true);
  tell({ type: 'measure-start', at: Date.now() });
  for (let s = 5; s < cfg.seconds; s += 5) {
    await sleep(5_000 - ((now() - t0) % 5_000));
    tell({ type: 'progress', text: `measuring ${s}/${cfg.seconds} s: ${(frames / ((now() - t0) / 1000)).toFixed(0)} frames/s, held ${held}` });
  }
  await sleep(Math.max(0, cfg.seconds * 1000 - (now() - t0)));
  measuring = false;
  probe.measure(false);
  const wall = now() - t0;
  const cpu = process.cpuUsage(cpu0);
  tell({ type: 'measure-end', at: Date.now() });
  clearInterval(heldTimer);
  clearInterval(ticker);
  loop.disable();
  const heldAtEnd = held;

  // --- drain: wait for outstanding acks ---
  const drainUntil = now() + cfg.drainS * 1000;
  while (inFlight > 0 && now() < drainUntil) await sleep(100);

  const sampled = await probe.collect();
  probe.stop();
  const perSample = [...sampled.itemsPerViewer].sort((a, b) => a - b);
  const latency = hdr.decodeFromCompressedBase64(sampled.latencyHistogram);
  return {
    clientsTarget: cfg.clients,
    clientsJoined: joined,
    clientsHeldAtEnd: heldAtEnd - sampled.closed,
    clientsHeldMin: Math.min(heldMin, heldAtEnd) - sampled.closed,
    connectFailures,
    disconnectsDuringRun: disconnects - disconnectsBefore,
    sendersConnected: senders.length,
    rampSeconds: Math.round(rampSeconds * 10) / 10,
    measuredSeconds: Math.round(wall) / 1000,
    sent,
    skipped,
    acceptedOk,
    failedByCode,
    acksOutstanding: inFlight,
    frames: frames + sampled.frames,
    items: items + sampled.items,
    latencyMs: summarize(latency),
    probe: { viewers: sampled.viewers, closed: sampled.closed, cpuPercent: sampled.cpuPercent, eventLoopDelayP99Ms: sampled.eventLoopDelayP99Ms },
    ackLatencyMs: summarize(ackLatency),
    itemsPerSampledClient: {
      min: perSample[0] ?? 0,
      median: perSample[Math.floor(perSample.length / 2)] ?? 0,
      max: perSample[perSample.length - 1] ?? 0,
    },
    cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 1000) / 10,
    eventLoopDelayMaxMs: Math.round(loop.max / 1e4) / 100,
    eventLoopDelayP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
    ackedIds,
  };
}

if (!process.send) {
  console.error('load.ts is the load generator of the danmaku fan-out benchmark: run `npm run bench:danmaku` instead.');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0)); // the orchestrator went away
process.on('message', (msg: ParentToGenerator) => {
  if (msg.type === 'exit') process.exit(0);
  if (msg.type === 'start') {
    run(msg.config).then(
      (result) => tell({ type: 'result', result }),
      (err: Error) => tell({ type: 'fatal', message: err.message }),
    );
  }
});
