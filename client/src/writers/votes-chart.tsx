import { useT } from '../i18n.js';
import type { WritersDetail } from '../proposals/api.js';

// Drawn at about the size it is shown in the panel, so the labels stay readable.
const W = 400;
const H = 190;
const PAD = { top: 18, right: 8, bottom: 24, left: 30 };

/** A round axis maximum at or above n: 5, then multiples of half a power of ten (15, 60, 150...). */
function niceMax(n: number): number {
  if (n <= 5) return 5;
  const step = 10 ** Math.floor(Math.log10(n)) / 2;
  return Math.ceil(n / step) * step;
}

const HOUR = 3_600_000;

/** Hourly points with the quiet hours in between filled in, so the bars keep a true time scale. */
export function fillHours(points: WritersDetail['votesOverTime']): WritersDetail['votesOverTime'] {
  if (points.length < 2) return points;
  const first = Date.parse(points[0].at);
  const last = Date.parse(points[points.length - 1].at);
  if (!(last > first) || (last - first) / HOUR > 240) return points;
  const byHour = new Map(points.map((p) => [Math.round((Date.parse(p.at) - first) / HOUR), p]));
  const filled: WritersDetail['votesOverTime'] = [];
  for (let h = 0; h <= Math.round((last - first) / HOUR); h++) {
    filled.push(byHour.get(h) ?? { at: new Date(first + h * HOUR).toISOString(), supporters: 0, opponents: 0 });
  }
  return filled;
}

/**
 * Votes over time as an inline SVG: bars of new supporters (up) and opponents
 * (down) per hour, and the running total of support as a line. The summary is
 * also given as text for screen readers.
 */
export function VotesChart({ points: raw }: { points: WritersDetail['votesOverTime'] }) {
  const { t, lang } = useT();
  const points = fillHours(raw);
  if (!points.length) return <p class="empty wchart__empty">{t('writersRoom.chart.empty')}</p>;

  let running = 0;
  const cumulative = points.map((p) => (running += p.supporters - p.opponents));
  const totalUp = points.reduce((s, p) => s + p.supporters, 0);
  const totalDown = points.reduce((s, p) => s + p.opponents, 0);
  const maxBar = niceMax(Math.max(1, ...points.map((p) => Math.max(p.supporters, p.opponents))));
  const maxLine = niceMax(Math.max(1, ...cumulative.map(Math.abs)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const mid = PAD.top + innerH / 2;
  const slot = innerW / points.length;
  const barW = Math.max(2, Math.min(22, slot * 0.7));
  const x = (i: number) => PAD.left + slot * (i + 0.5);
  const barH = (n: number) => (n / maxBar) * (innerH / 2);
  const lineY = (n: number) => mid - (n / maxLine) * (innerH / 2);
  const line = cumulative.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${lineY(v).toFixed(1)}`).join(' ');
  const fmt = new Intl.DateTimeFormat(lang, { month: 'numeric', day: 'numeric', hour: 'numeric' });
  const labelEvery = Math.ceil(points.length / 4);
  const summary = t('writersRoom.chart.summary', { hours: points.length, up: totalUp, down: totalDown, net: running });

  return (
    <figure class="wchart" data-testid="votes-chart">
      <svg class="wchart__svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} focusable="false">
        <line class="wchart__axis" x1={PAD.left} x2={W - PAD.right} y1={mid} y2={mid} />
        {[1, -1].map((sign) => (
          <g key={sign}>
            <line class="wchart__grid" x1={PAD.left} x2={W - PAD.right} y1={mid - (sign * innerH) / 2} y2={mid - (sign * innerH) / 2} />
            <text class="wchart__tick" x={PAD.left - 6} y={mid - (sign * innerH) / 2 + 4} text-anchor="end">
              {sign > 0 ? `+${maxBar}` : `−${maxBar}`}
            </text>
          </g>
        ))}
        {points.map((p, i) => (
          <g key={p.at}>
            <rect class="wchart__bar wchart__bar--up" x={x(i) - barW / 2} y={mid - barH(p.supporters)} width={barW} height={barH(p.supporters)} rx={2}>
              <title>{t('writersRoom.chart.barTitle', { when: fmt.format(new Date(p.at)), up: p.supporters, down: p.opponents })}</title>
            </rect>
            <rect class="wchart__bar wchart__bar--down" x={x(i) - barW / 2} y={mid} width={barW} height={barH(p.opponents)} rx={2} />
            {i % labelEvery === 0 && (
              <text class="wchart__tick" x={x(i)} y={H - 8} text-anchor="middle">
                {fmt.format(new Date(p.at))}
              </text>
            )}
          </g>
        ))}
        <text class="wchart__tick wchart__tick--line" x={W - PAD.right} y={PAD.top - 4} text-anchor="end">
          {t('writersRoom.chart.lineScale', { max: maxLine })}
        </text>
        <path class="wchart__line" d={line} />
        {cumulative.map((v, i) => (
          <circle key={i} class="wchart__dot" cx={x(i)} cy={lineY(v)} r={points.length > 40 ? 0 : 3} />
        ))}
      </svg>
      <figcaption class="wchart__legend">
        <span class="legend legend--up">{t('writersRoom.chart.up', { count: totalUp })}</span>
        <span class="legend legend--down">{t('writersRoom.chart.down', { count: totalDown })}</span>
        <span class="legend legend--line">{t('writersRoom.chart.net', { net: running })}</span>
      </figcaption>
    </figure>
  );
}
