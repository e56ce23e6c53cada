import { useState } from 'preact/hooks';
import type { SegmentBreakdown } from '../../../contracts/polls.js';
import { useT } from '../i18n.js';

const dimensionOrder = ['age', 'region', 'gender', 'viewer'];
/** Segment names the server uses as words rather than data (age bands and regions are shown as they are). */
const namedSegments = new Set(['other', 'unknown', 'new', 'returning', 'female', 'male', 'nonbinary', 'another gender', 'under 18']);

/**
 * Supporters and opponents per audience segment (age band, region, gender,
 * new vs returning viewer) as bars. Segments smaller than the server's minimum
 * are already merged into "Other" so nobody can be singled out; the note says so.
 */
export function Segments({ segments }: { segments: SegmentBreakdown }) {
  const { t } = useT();
  const dims = [...dimensionOrder.filter((d) => d in segments.dimensions), ...Object.keys(segments.dimensions).filter((d) => !dimensionOrder.includes(d))];
  const [dim, setDim] = useState(dims[0] ?? 'age');
  const rows = segments.dimensions[dim] ?? [];
  const label = (name: string) => (namedSegments.has(name) ? t(`writersRoom.segments.names.${name.replace(/ /g, '_')}`) : name);

  return (
    <div class="wsegments" data-testid="segments">
      <div class="segmented segmented--small" role="group" aria-label={t('writersRoom.segments.dimension')}>
        {dims.map((d) => (
          <button key={d} type="button" class="segmented__option" aria-pressed={d === dim} onClick={() => setDim(d)} data-testid={`segment-dim-${d}`}>
            {t(`writersRoom.segments.dims.${d}`, { defaultValue: d })}
          </button>
        ))}
      </div>
      {rows.length === 0 ? (
        <p class="note">{t('writersRoom.segments.empty')}</p>
      ) : (
        <ul class="wsegments__rows">
          {rows.map((row) => {
            const up = row.tallies.support ?? 0;
            const down = row.tallies.oppose ?? 0;
            const total = Math.max(1, up + down);
            const upPct = Math.round((up / total) * 100);
            return (
              <li key={row.segment} class={row.segment === 'other' ? 'wseg wseg--other' : 'wseg'}>
                <span class="wseg__name">{label(row.segment)}</span>
                <span
                  class="wseg__bar"
                  role="img"
                  aria-label={t('writersRoom.segments.rowLabel', { segment: label(row.segment), up, down, voters: row.voters })}
                >
                  <span class="wseg__up" style={{ width: `${(up / total) * 100}%` }} />
                  <span class="wseg__down" style={{ width: `${(down / total) * 100}%` }} />
                </span>
                <span class="wseg__num">
                  {t('writersRoom.segments.share', { percent: upPct })}
                  <span class="wseg__voters">{t('writersRoom.segments.voters', { count: row.voters })}</span>
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <p class="footnote">{t('writersRoom.segments.privacy', { min: segments.minSegmentSize })}</p>
    </div>
  );
}
