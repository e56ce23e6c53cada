/**
 * HTTP load generator for the proposals benchmark, started by run.ts pinned to core 1.
 * It runs batches of requests (submits, votes) with a fixed number in flight and
 * reports every answer's status and arrival time.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { summarize } from '../kit/stats.js';
import type { BatchConfig, BatchResult, GenToParent, ParentToGen } from './protocol.js';

const tell = (msg: GenToParent) => process.send?.(msg);
const epoch = () => performance.timeOrigin + performance.now();

async function runBatch(cfg: BatchConfig): Promise<BatchResult> {
  const n = cfg.items.length;
  const status = new Array<number>(n).fill(0);
  const proposalId = new Array<string | null>(n).fill(null);
  const answeredAt = new Array<number>(n).fill(0);
  const latency: number[] = [];
  const errorsByCode: Record<string, number> = {};
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const startedAt = epoch();
  const stopAt = startedAt + cfg.budgetMs;
  let next = 0;
  let done = 0;
  const ticker = setInterval(() => tell({ type: 'progress', text: `${cfg.label}: ${done}/${n} answered (${Math.round(done / ((epoch() - startedAt) / 1000))}/s)` }), 3_000);
  const worker = async () => {
    while (next < n && epoch() < stopAt) {
      const i = next++;
      const it = cfg.items[i];
      const t0 = epoch();
      try {
        const res = await fetch(`${cfg.url}/api${it.path}`, {
          method: it.method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${it.token}` },
          body: JSON.stringify(it.body),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await res.text();
        const t1 = epoch();
        status[i] = res.status;
        answeredAt[i] = t1;
        latency.push(t1 - t0);
        let body: any = null;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        if (res.status >= 200 && res.status < 300) proposalId[i] = body?.proposal?.id ?? null;
        else {
          const code = `${res.status} ${body?.error?.code ?? 'ERROR'}`;
          errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
        }
      } catch (err) {
        const code = `network ${(err as Error).name}`;
        errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
      }
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(cfg.concurrency, n) }, worker));
  clearInterval(ticker);
  const finishedAt = epoch();
  const u = process.cpuUsage(cpu0);
  loop.disable();
  return {
    label: cfg.label,
    issued: next,
    status,
    proposalId,
    answeredAt,
    errorsByCode,
    latencyMs: summarize(latency),
    startedAt,
    finishedAt,
    cpuPercent: Math.round(((u.user + u.system) / 1000 / (finishedAt - startedAt)) * 1000) / 10,
    eventLoopDelayP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
  };
}

process.on('message', (msg: ParentToGen) => {
  if (msg.type === 'exit') process.exit(0);
  if (msg.type === 'batch') {
    runBatch(msg.config)
      .then((result) => tell({ type: 'done', result }))
      .catch((err: Error) => tell({ type: 'fatal', message: err.stack ?? err.message }));
  }
});
process.on('disconnect', () => process.exit(0));
