/** Minimal SVG charts for benchmark results: bar panels and line panels, no dependencies. */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Math.abs(v) >= 10 ? v.toFixed(0) : Number(v.toFixed(2)).toString());

export const COLORS = ['#3b6ea8', '#d9822b', '#5a9e5a', '#b94a48', '#7d5ba6', '#8c8c8c'];

export interface Panel {
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function frame(p: Panel, yMax: number, unit: string): string[] {
  const out = [`<text x="${p.x}" y="${p.y - 8}" font-size="13" font-weight="bold">${esc(p.title)}</text>`];
  out.push(`<line x1="${p.x}" y1="${p.y + p.h}" x2="${p.x + p.w}" y2="${p.y + p.h}" stroke="#444"/>`);
  out.push(`<line x1="${p.x}" y1="${p.y}" x2="${p.x}" y2="${p.y + p.h}" stroke="#444"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const y = p.y + p.h - (p.h * i) / 4;
    out.push(`<line x1="${p.x - 3}" y1="${y}" x2="${p.x + p.w}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${p.x - 5}" y="${y + 4}" font-size="10" text-anchor="end">${fmt(v)}</text>`);
  }
  out.push(`<text x="${p.x - 40}" y="${p.y + p.h / 2}" font-size="10" transform="rotate(-90 ${p.x - 40} ${p.y + p.h / 2})" text-anchor="middle">${esc(unit)}</text>`);
  return out;
}

/** Bars with their values written on top; `note` goes under the panel. */
export function bars(p: Panel, items: Array<{ label: string; value: number; color?: string }>, unit: string, note?: string): string {
  const yMax = niceMax(Math.max(...items.map((i) => i.value), 0));
  const out = frame(p, yMax, unit);
  const slot = p.w / Math.max(1, items.length);
  items.forEach((it, i) => {
    const bh = (p.h * it.value) / yMax;
    const x = p.x + i * slot + slot * 0.15;
    out.push(`<rect x="${x}" y="${p.y + p.h - bh}" width="${slot * 0.7}" height="${bh}" fill="${it.color ?? COLORS[i % COLORS.length]}"/>`);
    out.push(`<text x="${x + slot * 0.35}" y="${p.y + p.h - bh - 4}" font-size="11" text-anchor="middle">${fmt(it.value)}</text>`);
    out.push(`<text x="${x + slot * 0.35}" y="${p.y + p.h + 14}" font-size="10" text-anchor="middle">${esc(it.label)}</text>`);
  });
  if (note) out.push(`<text x="${p.x}" y="${p.y + p.h + 32}" font-size="10" fill="#555">${esc(note)}</text>`);
  return out.join('\n');
}

/** Lines over a shared x axis (seconds); `xLabel` under the axis. */
export function lines(p: Panel, series: Array<{ name: string; points: Array<[number, number]>; color?: string }>, unit: string, xLabel: string): string {
  const all = series.flatMap((s) => s.points);
  const yMax = niceMax(Math.max(...all.map((q) => q[1]), 0));
  const xMax = Math.max(...all.map((q) => q[0]), 1);
  const out = frame(p, yMax, unit);
  for (let i = 0; i <= 4; i++) {
    const x = p.x + (p.w * i) / 4;
    out.push(`<text x="${x}" y="${p.y + p.h + 14}" font-size="10" text-anchor="middle">${fmt((xMax * i) / 4)}</text>`);
  }
  out.push(`<text x="${p.x + p.w / 2}" y="${p.y + p.h + 28}" font-size="10" text-anchor="middle">${esc(xLabel)}</text>`);
  series.forEach((s, k) => {
    const color = s.color ?? COLORS[k % COLORS.length];
    const d = s.points.map(([x, y], i) => `${i ? 'L' : 'M'}${(p.x + (p.w * x) / xMax).toFixed(1)},${(p.y + p.h - (p.h * y) / yMax).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"/>`);
    out.push(`<rect x="${p.x + p.w - 150}" y="${p.y + 4 + k * 14}" width="10" height="10" fill="${color}"/>`);
    out.push(`<text x="${p.x + p.w - 136}" y="${p.y + 13 + k * 14}" font-size="10">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

export function document(width: number, height: number, title: string, parts: string[], footer?: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="20" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`,
    ...parts,
    footer ? `<text x="20" y="${height - 10}" font-size="10" fill="#555">${esc(footer)}</text>` : '',
    '</svg>',
  ].join('\n');
}
