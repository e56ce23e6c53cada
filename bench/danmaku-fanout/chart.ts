/** Hand-written SVG of a benchmark report: efficiency bars (left) and latency percentiles (right). */

interface ChartRun {
  rate: number;
  generator: { clientsHeldMin: number; cpuPercent: number; latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number } };
  server: { cpuPercent: number; rssMiBPeak: number } | null;
  derived: { messagesPerServerCpuS: number; framesPerServerCpuS: number; acceptedPerS: number; messagesPerS: number };
}

interface ChartReport {
  startedAt: string;
  machine: { cores: number; node: string };
  config: { clients: number; seconds: number; tickMs: number; capPerS: number };
  runs: { merged?: ChartRun; naive?: ChartRun };
  comparison: { messagesPerServerCpuS: number | null };
  warnings: string[];
  discarded: boolean;
  discardReasons: string[];
  /** With several rounds: which one this is, and every round's ratio. */
  roundsRun?: number;
  medianRoundIndex?: number;
  rounds?: Array<{ ratio: number | null }>;
}

const COLORS = { merged: '#2f6fdf', naive: '#e0863a', light: 0.45 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : `${Math.round(n * 10) / 10}`);

/** An axis maximum at or above `v` whose quarters are round numbers. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 1.2, 2, 4, 6, 8, 10].find((m) => m * p >= v) ?? 10) * p;
}

function text(x: number, y: number, s: string, opts: { size?: number; anchor?: string; weight?: string; fill?: string } = {}) {
  return `<text x="${x}" y="${y}" font-size="${opts.size ?? 12}" text-anchor="${opts.anchor ?? 'start'}" font-weight="${opts.weight ?? 'normal'}" fill="${opts.fill ?? '#222'}">${esc(s)}</text>`;
}

/** A bar panel: groups of bars along x, a y axis with gridlines, an optional dashed target line. */
function panel(o: {
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  groups: Array<{ label: string; bars: Array<{ value: number; color: string; opacity?: number }> }>;
  target?: { value: number; label: string };
}): string {
  const parts: string[] = [text(o.x, o.y - 14, o.title, { size: 14, weight: 'bold' })];
  const values = o.groups.flatMap((g) => g.bars.map((b) => b.value));
  const max = niceMax(Math.max(...values, o.target?.value ?? 0) * 1.08);
  const sy = (v: number) => o.y + o.h - (Math.min(v, max) / max) * o.h;
  for (let i = 0; i <= 4; i++) {
    const v = (max / 4) * i;
    parts.push(`<line x1="${o.x}" y1="${sy(v)}" x2="${o.x + o.w}" y2="${sy(v)}" stroke="#ddd"/>`, text(o.x - 6, sy(v) + 4, fmt(v), { size: 10, anchor: 'end', fill: '#666' }));
  }
  const gw = o.w / Math.max(1, o.groups.length);
  o.groups.forEach((g, gi) => {
    const bw = Math.min(56, (gw * 0.75) / Math.max(1, g.bars.length));
    const start = o.x + gi * gw + (gw - bw * g.bars.length) / 2;
    g.bars.forEach((b, bi) => {
      const bx = start + bi * bw;
      const top = sy(b.value);
      parts.push(
        `<rect x="${bx + 2}" y="${top}" width="${bw - 4}" height="${o.y + o.h - top}" fill="${b.color}" fill-opacity="${b.opacity ?? 1}"/>`,
        text(bx + bw / 2, top - 4, fmt(b.value), { size: 10, anchor: 'middle' }),
      );
    });
    parts.push(text(o.x + gi * gw + gw / 2, o.y + o.h + 16, g.label, { size: 12, anchor: 'middle' }));
  });
  if (o.target) {
    const ty = sy(o.target.value);
    parts.push(`<line x1="${o.x}" y1="${ty}" x2="${o.x + o.w}" y2="${ty}" stroke="#c62828" stroke-dasharray="6 4"/>`, text(o.x + o.w, ty - 4, o.target.label, { size: 10, anchor: 'end', fill: '#c62828' }));
  }
  parts.push(`<line x1="${o.x}" y1="${o.y + o.h}" x2="${o.x + o.w}" y2="${o.y + o.h}" stroke="#444"/>`);
  return parts.join('\n');
}

export function renderSvg(report: ChartReport): string {
  const W = 960;
  const H = 450;
  const { merged, naive } = report.runs;
  const modes = [merged && { name: 'merged', run: merged }, naive && { name: 'naive', run: naive }].filter(Boolean) as Array<{ name: 'merged' | 'naive'; run: ChartRun }>;
  const parts: string[] = [];
  parts.push(
    text(
      20,
      28,
      `Danmaku fan-out: ${report.config.clients} viewers in one room, ${report.config.seconds} s window` +
        (report.roundsRun && report.roundsRun > 1 ? ` (median round ${report.medianRoundIndex} of ${report.roundsRun}: ${report.rounds!.map((r) => `${r.ratio ?? '-'}x`).join(', ')})` : ''),
      { size: 16, weight: 'bold' },
    ),
    text(20, 46, `merged = one frame per room per ${report.config.tickMs} ms tick, display cap ${report.config.capPerS}/s; naive = io.to(room).emit per danmaku. ${report.machine.cores} cores, node ${report.machine.node}, ${report.startedAt.slice(0, 16)}Z`, { size: 11, fill: '#555' }),
  );
  parts.push(
    panel({
      x: 80,
      y: 100,
      w: 360,
      h: 230,
      title: 'Delivered per server CPU-second',
      groups: [
        { label: 'messages (items)', bars: modes.map((m) => ({ value: m.run.derived.messagesPerServerCpuS, color: COLORS[m.name] })) },
        { label: 'frames (packets)', bars: modes.map((m) => ({ value: m.run.derived.framesPerServerCpuS, color: COLORS[m.name], opacity: COLORS.light })) },
      ],
    }),
  );
  const ratio = report.comparison.messagesPerServerCpuS;
  if (ratio !== null) parts.push(text(80, 372, `merged / naive messages per CPU-s: ${ratio}x (target >= 15x)`, { size: 12, weight: 'bold', fill: ratio >= 15 ? '#2e7d32' : '#c62828' }));

  const pcts = [
    ['p50', (r: ChartRun) => r.generator.latencyMs.p50],
    ['p90', (r: ChartRun) => r.generator.latencyMs.p90],
    ['p99', (r: ChartRun) => r.generator.latencyMs.p99],
    ['p99.9', (r: ChartRun) => r.generator.latencyMs.p999],
  ] as const;
  parts.push(
    panel({
      x: 560,
      y: 100,
      w: 370,
      h: 230,
      title: 'End-to-end latency, send to receipt (ms)',
      groups: pcts.map(([label, f]) => ({ label, bars: modes.map((m) => ({ value: f(m.run), color: COLORS[m.name] })) })),
      target: { value: 150, label: 'p99 target 150 ms' },
    }),
  );

  let ly = 398;
  for (const m of modes) {
    const r = m.run;
    parts.push(
      `<rect x="20" y="${ly - 10}" width="12" height="12" fill="${COLORS[m.name]}"/>`,
      text(38, ly, `${m.name}: ${r.rate}/s in, ${r.derived.acceptedPerS}/s accepted, ${fmt(r.derived.messagesPerS)} msgs/s, held ${r.generator.clientsHeldMin}, server CPU ${r.server?.cpuPercent ?? '-'}%, RSS ${r.server?.rssMiBPeak ?? '-'} MiB, gen CPU ${r.generator.cpuPercent}%`, { size: 11 }),
    );
    ly += 18;
  }
  if (report.warnings.length) {
    const more = report.warnings.length > 2 ? ` (+${report.warnings.length - 2} more in the JSON)` : '';
    parts.push(text(20, ly + 4, `warnings: ${report.warnings.slice(0, 2).join('; ').slice(0, 140)}${more}`, { size: 10, fill: '#b26a00' }));
  }
  if (report.discarded) parts.push(text(20, H - 12, `DISCARDED: ${report.discardReasons.join('; ')}`, { size: 12, weight: 'bold', fill: '#c62828' }));

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif">
<rect width="${W}" height="${H}" fill="#fff"/>
${parts.join('\n')}
</svg>
`;
}
