import { useEffect, useState } from 'preact/hooks';
import type { Poll, SegmentBreakdown } from '../../../contracts/polls.js';
import { ApiError, isAbort } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { getPollSegments } from './api.js';
import { segmentName } from './labels.js';
import { optionColors, percent } from './logic.js';

const dimensionOrder = ['age', 'region', 'gender', 'viewer'];

/**
 * Staff: a closed poll's results by audience segment, one stacked bar per
 * segment (each option's share of that segment's votes), with a legend and a
 * note that small groups are merged into "Other".
 */
export function SegmentsPanel({ poll }: { poll: Poll }) {
  const { t } = useT();
  const [data, setData] = useState<SegmentBreakdown | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [dim, setDim] = useState('age');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    getPollSegments(poll.id, ctl.signal).then(
      (r) => setData(r.segments),
      (err: unknown) => !isAbort(err) && setError(err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0)),
    );
    return () => ctl.abort();
  }, [poll.id, attempt]);

  if (error) return <ErrorBanner error={error} onRetry={() => setAttempt(attempt + 1)} />;
  if (!data)
    return (
      <p class="segs__note" role="status">
        {t('polls.segments.loading')}
      </p>
    );
  const dims = [...dimensionOrder.filter((d) => d in data.dimensions), ...Object.keys(data.dimensions).filter((d) => !dimensionOrder.includes(d))];
  const rows = data.dimensions[dim] ?? [];
  return (
    <div class="segs" data-testid="poll-segments">
      <div class="segs__tabs" role="group" aria-label={t('polls.segments.title')}>
        {dims.map((d) => (
          <button key={d} type="button" class={`chip${d === dim ? ' chip--on' : ''}`} aria-pressed={d === dim} onClick={() => setDim(d)} data-testid={`segments-${d}`}>
            {t(`polls.segments.dims.${d}`, { defaultValue: d })}
          </button>
        ))}
      </div>
      <ul class="segs__legend" aria-hidden="true">
        {poll.options.map((o, i) => (
          <li key={o.id} style={{ '--bar': optionColors[i % optionColors.length] }}>
            {o.text}
          </li>
        ))}
      </ul>
      {rows.length === 0 ? (
        <p class="segs__note">{t('polls.segments.empty')}</p>
      ) : (
        <ul class="segs__rows">
          {rows.map((s) => {
            const votes = poll.options.reduce((n, o) => n + (s.tallies[o.id] ?? 0), 0);
            const parts = poll.options.map((o) => `${o.text} ${percent(s.tallies[o.id] ?? 0, s.voters)}%`).join(', ');
            return (
              <li key={s.segment} class="segs__row" data-testid="segment-row" data-segment={s.segment}>
                <span class="segs__name">{segmentName(s.segment, t)}</span>
                <span class="segs__voters">{t('polls.segments.voters', { count: s.voters })}</span>
                <span class="segs__bar" role="img" aria-label={parts}>
                  {poll.options.map((o, i) => (
                    <span key={o.id} style={{ width: `${votes ? ((s.tallies[o.id] ?? 0) / votes) * 100 : 0}%`, background: optionColors[i % optionColors.length] }} />
                  ))}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <p class="segs__note">{t('polls.segments.explain', { count: data.minSegmentSize })}</p>
    </div>
  );
}
