/**
 * Poll-votes load generator, started by run.ts pinned to core 1 with an IPC channel.
 * It connects N authenticated light clients into one live room and runs two rounds:
 *
 *   main: staff (HTTP) creates and opens a poll; every client votes once within
 *         `spreadMs` (some twice, on purpose); after the last ack staff closes it at T
 *         and `poll:closed` is timed at every client; the poll is read back.
 *   race: the same, but staff closes the poll halfway through the votes, so the close
 *         races votes in flight: every ok ack must still be exactly one counted vote.
 *
 * Then, with the clients gone, it measures the vote SQL straight against Postgres.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { EioClient, eventData } from '../kit/eio.js';
import { call } from '../kit/http.js';
import { seeded, summarize } from '../kit/stats.js';
import type { CeilingRun, GenToParent, Mark, ParentToGen, PollLoadConfig, PollLoadResult, RoundResult } from './protocol.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const now = () => performance.now();
const tell = (msg: GenToParent) => process.send?.(msg);
const progress = (text: string) => tell({ type: 'progress', text });
const mark = (m: Mark, pollId?: string) => tell({ type: 'mark', mark: m, pollId });

function cpuMeter() {
  let last = process.cpuUsage();
  let lastAt = now();
  return () => {
    const u = process.cpuUsage(last);
    const dt = now() - lastAt;
    last = process.cpuUsage();
    lastAt = now();
    return dt > 0 ? Math.round(((u.user + u.system) / 1000 / dt) * 1000) / 10 : 0;
  };
}

/** Per-poll state at every client. */
interface Round {
  pollId: string;
  openedAt: Float64Array;
  closedAt: Float64Array;
  updates: Uint32Array;
  /** poll:update packets for this poll that arrived after this client's poll:closed. */
  lateUpdates: Uint32Array;
  closedPayloads: Map<string, number>;
}

const ID_TAG = '"id":"';
/** The poll id of a poll:* packet (`42["poll:x",{"poll":{"id":"…"`), without JSON.parse. */
function pollIdOf(raw: string): string {
  const at = raw.indexOf(ID_TAG);
  return at === -1 ? '' : raw.slice(at + ID_TAG.length, at + ID_TAG.length + 36);
}

async function run(cfg: PollLoadConfig): Promise<PollLoadResult> {
  const n = cfg.accounts.length;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu = cpuMeter();
  const clients: Array<EioClient | null> = new Array(n).fill(null);
  const rounds = new Map<string, Round>();
  let disconnects = 0;

  const attach = (c: EioClient, i: number) => {
    c.onEvent = (name, raw, at) => {
      if (!name.startsWith('poll:')) return;
      const r = rounds.get(pollIdOf(raw));
      if (!r) return;
      if (name === 'poll:update') {
        r.updates[i]++;
        if (r.closedAt[i]) r.lateUpdates[i]++;
      } else if (name === 'poll:opened') {
        if (!r.openedAt[i]) r.openedAt[i] = at;
      } else if (name === 'poll:closed') {
        if (r.closedAt[i]) return;
        r.closedAt[i] = at;
        const data = eventData<{ tallies: Record<string, number>; total: number }>(raw);
        const key = JSON.stringify({ total: data.total, tallies: data.tallies });
        r.closedPayloads.set(key, (r.closedPayloads.get(key) ?? 0) + 1);
      }
    };
    c.onClose = () => disconnects++;
  };

  // --- connect and join, `rampConcurrency` in flight ---
  mark('connect-start');
  const connectStart = now();
  const connectLatency: number[] = [];
  const connectFailures: Record<string, number> = {};
  let next = 0;
  let joined = 0;
  let failed = 0;
  let lastReport = 0;
  const ramp = async () => {
    while (next < n) {
      const i = next++;
      const t0 = now();
      try {
        const c = await EioClient.connect(cfg.url, { token: cfg.accounts[i].token });
        attach(c, i);
        const ack = await c.emitWithAck('room:join', { roomId: cfg.roomId }, 30_000);
        if (!ack.payload.ok) {
          c.close();
          throw new Error(`room:join ${ack.payload.error?.code}`);
        }
        clients[i] = c;
        joined++;
        connectLatency.push(now() - t0);
      } catch (err) {
        failed++;
        const why = (err as Error).message.slice(0, 80);
        connectFailures[why] = (connectFailures[why] ?? 0) + 1;
      }
      if (joined + failed - lastReport >= 500 || joined + failed === n) {
        lastReport = joined + failed;
        progress(`connected and joined ${joined}/${n}${failed ? ` (failed ${failed})` : ''}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(cfg.rampConcurrency, n) }, ramp));
  const connectSeconds = (now() - connectStart) / 1000;
  const cpuConnect = cpu();
  mark('connect-end');
  if (joined === 0) throw new Error(`no client could connect: ${JSON.stringify(connectFailures)}`);
  await sleep(1_000);

  const rng = seeded(cfg.seed);
  const cumulative = cfg.weights.map((_, k) => cfg.weights.slice(0, k + 1).reduce((a, b) => a + b, 0));

  /** One poll: create, open, votes spread over spreadMs, close (after the last ack, or at closeAfterMs into the votes). */
  async function round(label: 'main' | 'race', closeAfterMs: number | null): Promise<RoundResult & { cpu: { vote: number; close: number } }> {
    const created = await call(cfg.url, 'POST', `/rooms/${cfg.roomId}/polls`, {
      token: cfg.adminToken,
      body: { question: `${cfg.question}${label === 'race' ? ' (again)' : ''}`, options: cfg.options, durationMs: cfg.durationMs, resultsVisibility: 'live' },
    });
    if (created.status !== 201) throw new Error(`create poll: ${created.status} ${JSON.stringify(created.body).slice(0, 200)}`);
    const pollId: string = created.body.poll.id;
    const optionIds: string[] = created.body.poll.options.map((o: { id: string }) => o.id);
    const r: Round = { pollId, openedAt: new Float64Array(n), closedAt: new Float64Array(n), updates: new Uint32Array(n), lateUpdates: new Uint32Array(n), closedPayloads: new Map() };
    rounds.set(pollId, r);
    const openT = now();
    const opened = await call(cfg.url, 'POST', `/polls/${pollId}/open`, { token: cfg.adminToken });
    if (opened.status !== 200) throw new Error(`open poll: ${opened.status} ${JSON.stringify(opened.body).slice(0, 200)}`);
    const openDeadline = now() + cfg.openWaitMs;
    const openedCount = () => r.openedAt.reduce((a, t) => a + (t ? 1 : 0), 0);
    while (openedCount() < joined && now() < openDeadline) await sleep(20);
    const openFanout = Array.from(r.openedAt).filter((t) => t > 0).map((t) => t - openT);
    progress(`${label}: poll opened; poll:opened reached ${openedCount()}/${joined} clients (p99 ${summarize(openFanout).p99} ms after the open request)`);

    // Every joined client votes once, in a random order spread evenly over spreadMs; doubleShare twice.
    const choose = () => {
      const x = rng();
      const k = cumulative.findIndex((c) => x < c);
      return k === -1 ? optionIds.length - 1 : k;
    };
    const voters = clients.map((c, i) => (c ? i : -1)).filter((i) => i >= 0);
    for (let k = voters.length - 1; k > 0; k--) {
      const j = Math.floor(rng() * (k + 1));
      [voters[k], voters[j]] = [voters[j], voters[k]];
    }
    const plan = voters.map((i) => ({ i, choice: choose(), double: rng() < cfg.doubleShare }));
    const okCount = new Uint8Array(n);
    const okOption = new Array<string | null>(n).fill(null);
    const errorsByCode: Record<string, number> = {};
    const ackLatency: number[] = [];
    const ackLatencyByCode: Record<string, number[]> = {};
    const okAckTimes: number[] = [];
    let votesSent = 0;
    let okAcks = 0;
    let lastAckAt = 0;
    const pending: Array<Promise<void>> = [];
    const send = (i: number, option: string) => {
      const t0 = now();
      votesSent++;
      pending.push(
        clients[i]!.emitWithAck<{ optionIds: string[] }>('poll:vote', { pollId, optionIds: [option] }, cfg.ackTimeoutMs).then(({ payload, at }) => {
          lastAckAt = Math.max(lastAckAt, at);
          ackLatency.push(at - t0);
          (ackLatencyByCode[payload.ok ? 'ok' : (payload.error?.code ?? 'UNKNOWN')] ??= []).push(at - t0);
          if (payload.ok) {
            okAcks++;
            okAckTimes.push(at);
            okCount[i]++;
            okOption[i] = payload.optionIds[0];
          } else {
            const code = payload.error?.code ?? 'UNKNOWN';
            errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
          }
        }),
      );
    };
    let closeT = 0;
    let closeDoneAt = 0;
    let closeCall: Promise<Awaited<ReturnType<typeof call<any>>>> | null = null;
    const closeNow = () => {
      if (label === 'main') mark('close-start');
      closeT = now();
      closeCall = call(cfg.url, 'POST', `/polls/${pollId}/close`, { token: cfg.adminToken, timeoutMs: 60_000 }).then((res) => {
        closeDoneAt = now();
        return res;
      });
    };

    await sleep(300);
    cpu();
    mark(label === 'main' ? 'vote-start' : 'race-start');
    const voteStart = now();
    let cursor = 0;
    while (cursor < plan.length || (closeAfterMs !== null && !closeCall)) {
      const elapsed = now() - voteStart;
      if (closeAfterMs !== null && !closeCall && elapsed >= closeAfterMs) closeNow();
      const due = (elapsed / cfg.spreadMs) * plan.length;
      while (cursor < plan.length && cursor <= due) {
        const p = plan[cursor++];
        send(p.i, optionIds[p.choice]);
        if (p.double) send(p.i, optionIds[(p.choice + 1) % optionIds.length]);
      }
      if (elapsed > cfg.spreadMs * 10 + (closeAfterMs ?? 0)) throw new Error('the generator fell far behind its send schedule');
      await sleep(1);
    }
    const sendWindowMs = now() - voteStart;
    progress(`${label}: sent ${votesSent} votes from ${plan.length} clients in ${Math.round(sendWindowMs)} ms; waiting for acks…`);
    const ackProgress = setInterval(() => progress(`${label}: acks ${ackLatency.length}/${votesSent} (ok ${okAcks})`), 2_000);
    await Promise.all(pending);
    clearInterval(ackProgress);
    const voteWindowMs = lastAckAt - voteStart;
    const cpuVote = cpu();
    if (label === 'main') mark('vote-end', pollId);
    progress(`${label}: all ${ackLatency.length} acks ${Math.round(voteWindowMs)} ms after the first vote: ok ${okAcks}, errors ${JSON.stringify(errorsByCode)}`);

    if (!closeCall) {
      await sleep(1_000);
      cpu();
      closeNow();
    }
    const closed = await closeCall!;
    const closeHttpMs = closeDoneAt - closeT;
    const closedDeadline = now() + cfg.closedWaitMs;
    const stillOpen = () => clients.filter((c, i) => c && !r.closedAt[i]).length;
    while (stillOpen() > 0 && now() < closedDeadline) await sleep(10);
    const cpuClose = cpu();
    if (label === 'main') mark('close-end');
    // Late live pushes (a vote's 250 ms push timer firing after the close) would arrive now.
    await sleep(1_000);
    if (label === 'race') mark('race-end', pollId);
    const closedLatency = Array.from(r.closedAt).filter((t) => t > 0).map((t) => t - closeT);
    progress(`${label}: poll closed (HTTP ${closed.status} in ${Math.round(closeHttpMs)} ms); poll:closed reached ${closedLatency.length}/${joined} clients, p99 ${summarize(closedLatency).p99} ms after the close request`);
    const got = await call(cfg.url, 'GET', `/polls/${pollId}`, { token: cfg.adminToken });

    const okByOption: Record<string, number> = Object.fromEntries(optionIds.map((o) => [o, 0]));
    for (const o of okOption) if (o) okByOption[o] = (okByOption[o] ?? 0) + 1;
    const acksPer100ms: number[] = [];
    for (const t of okAckTimes) {
      const b = Math.floor((t - voteStart) / 100);
      while (acksPer100ms.length <= b) acksPer100ms.push(0);
      acksPer100ms[b]++;
    }
    const liveClients = (i: number) => clients[i] !== null;
    return {
      pollId,
      openedReceived: openFanout.length,
      openFanoutMs: summarize(openFanout),
      votesSent,
      voters: plan.length,
      doubleSubmitters: plan.filter((p) => p.double).length,
      okAcks,
      errorsByCode,
      voteWindowMs: Math.round(voteWindowMs),
      sendWindowMs: Math.round(sendWindowMs),
      closeAfterMs,
      ackLatencyMs: summarize(ackLatency),
      ackLatencyMsByOutcome: Object.fromEntries(Object.entries(ackLatencyByCode).map(([k, v]) => [k, summarize(v)])),
      acksPer100ms,
      accountsWithTwoOkAcks: Array.from(okCount).filter((k) => k > 1).length,
      okByOption,
      okUserIds: okOption.map((o, i) => (o ? cfg.accounts[i].id : null)).filter((x): x is string => x !== null),
      updatesPerClient: summarize(Array.from(r.updates).filter((_, i) => liveClients(i))),
      lateUpdates: { clients: Array.from(r.lateUpdates).filter((k) => k > 0).length, packets: r.lateUpdates.reduce((a, b) => a + b, 0) },
      close: { httpMs: Math.round(closeHttpMs), status: closed.status, total: closed.body?.total ?? null, tallies: closed.body?.tallies ?? null },
      closedReceived: closedLatency.length,
      closedLatencyMs: summarize(closedLatency),
      closedPayloadVariants: [...r.closedPayloads].map(([k, seen]) => ({ ...(JSON.parse(k) as { total: number; tallies: Record<string, number> }), clients: seen })),
      get: { total: got.body?.total ?? null, tallies: got.body?.tallies ?? null },
      cpu: { vote: cpuVote, close: cpuClose },
    };
  }

  const main = await round('main', null);
  const race = cfg.race ? await round('race', cfg.spreadMs / 2) : null;
  for (const c of clients) c?.close();
  loop.disable();

  const ceiling: CeilingRun[] = [];
  if (cfg.ceiling.enabled) {
    await sleep(500);
    mark('ceiling-start');
    ceiling.push(await sqlCeiling(cfg, 'server-sql', false));
    ceiling.push(await sqlCeiling(cfg, 'naive-count', true));
    mark('ceiling-end');
  }

  const { cpu: mainCpu, ...mainRound } = main;
  return {
    clientsTarget: n,
    clientsJoined: joined,
    connectFailures,
    connectSeconds: Math.round(connectSeconds * 10) / 10,
    connectLatencyMs: summarize(connectLatency),
    disconnects,
    main: mainRound,
    race: race ? (({ cpu: _cpu, ...rest }) => rest)(race) : null,
    generatorCpuPercent: { connect: cpuConnect, vote: mainCpu.vote, close: mainCpu.close },
    eventLoopDelayP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
    eventLoopDelayMaxMs: Math.round(loop.max / 1e4) / 100,
    ceiling,
  };
}

/**
 * The vote path's SQL without the server: per vote the poll read and the guarded
 * insert the server issues (same statements), from `poolSize` connections like the
 * server's pool, into a fresh open poll. `naive` adds the COUNT the live tallies would
 * need without the Redis counters (the tally queries the close runs), once per vote.
 */
async function sqlCeiling(cfg: PollLoadConfig, name: string, naive: boolean): Promise<CeilingRun> {
  const created = await call(cfg.url, 'POST', `/rooms/${cfg.roomId}/polls`, {
    token: cfg.adminToken,
    body: { question: `${cfg.question} (${name})`, options: cfg.options, durationMs: cfg.durationMs },
  });
  const id = created.body.poll.id as string;
  const opened = await call(cfg.url, 'POST', `/polls/${id}/open`, { token: cfg.adminToken });
  if (opened.status !== 200) throw new Error(`ceiling poll did not open: ${opened.status}`);
  const pool = new pg.Pool({ connectionString: cfg.ceiling.databaseUrl, max: cfg.ceiling.poolSize, options: `-c search_path=${cfg.ceiling.schema}`, application_name: 'lotus-bench-ceiling' });
  pool.on('error', () => undefined);
  const votes = Math.min(cfg.ceiling.votes, cfg.accounts.length);
  const latency: number[] = [];
  let inserted = 0;
  let next = 0;
  try {
    // Open every connection first so connecting is not timed.
    await Promise.all(Array.from({ length: cfg.ceiling.poolSize }, () => pool.query('select 1')));
    const start = now();
    const worker = async () => {
      while (next < votes) {
        const i = next++;
        const t0 = now();
        await pool.query('select * from polls where id = $1', [id]);
        const r = await pool.query(
          `insert into poll_votes (poll_id, user_id, option_ids)
           select $1, $2, $3::jsonb
           where exists (select 1 from polls where id = $1 and status = 'open' and closes_at > $4::timestamptz for share)
           on conflict do nothing
           returning poll_id`,
          [id, cfg.accounts[i].id, JSON.stringify([`o${(i % cfg.options.length) + 1}`]), new Date().toISOString()],
        );
        inserted += r.rowCount ?? 0;
        if (naive) {
          await pool.query(`select opt, count(*)::int as n from poll_votes, jsonb_array_elements_text(option_ids) as opt where poll_id = $1 group by opt`, [id]);
          await pool.query(`select count(*)::int as voters from poll_votes where poll_id = $1`, [id]);
        }
        latency.push(now() - t0);
      }
    };
    await Promise.all(Array.from({ length: cfg.ceiling.poolSize }, worker));
    const seconds = (now() - start) / 1000;
    progress(`SQL ceiling ${name}: ${votes} votes in ${seconds.toFixed(2)} s = ${Math.round(votes / seconds)}/s`);
    return {
      name,
      what: naive ? 'poll read + guarded insert + COUNT tallies per vote' : 'poll read + guarded insert per vote (the server statements)',
      votes,
      inserted,
      seconds: Math.round(seconds * 1000) / 1000,
      perS: Math.round(votes / seconds),
      latencyMs: summarize(latency),
    };
  } finally {
    await pool.end().catch(() => undefined);
    await call(cfg.url, 'POST', `/polls/${id}/close`, { token: cfg.adminToken }).catch(() => undefined);
  }
}

process.on('message', (msg: ParentToGen) => {
  if (msg.type === 'exit') process.exit(0);
  if (msg.type === 'start') {
    run(msg.config)
      .then((result) => tell({ type: 'result', result }))
      .catch((err: Error) => tell({ type: 'fatal', message: err.stack ?? err.message }));
  }
});
process.on('disconnect', () => process.exit(0));
