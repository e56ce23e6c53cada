import { useEffect, useState } from 'preact/hooks';
import { proposalStatuses } from '../../../contracts/proposals.js';
import { useT } from '../i18n.js';
import type { ProposalSort } from '../proposals/api.js';
import { IpPicker, SortTabs, TagFilter } from '../proposals/board-controls.js';
import { formatMoment, parseMoment } from '../proposals/labels.js';

/** The writers' filters as they sit in the address (#/writers?ip=…&status=…&sort=…&tag=…&from=…&to=…). */
export interface WritersQuery {
  ip: string;
  status: string;
  sort: ProposalSort;
  tag: string;
  fromMs: number | null;
  toMs: number | null;
}

interface FiltersProps {
  ips: string[];
  query: WritersQuery;
  onChange(patch: Record<string, string | null>): void;
}

/** "From – to" moment of the premiere, as mm:ss or h:mm:ss; applied together. */
function MomentRange({ fromMs, toMs, onApply }: { fromMs: number | null; toMs: number | null; onApply(from: string | null, to: string | null): void }) {
  const { t } = useT();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [bad, setBad] = useState(false);
  useEffect(() => setFrom(fromMs === null ? '' : formatMoment(fromMs)), [fromMs]);
  useEffect(() => setTo(toMs === null ? '' : formatMoment(toMs)), [toMs]);

  const apply = (e: Event) => {
    e.preventDefault();
    const a = parseMoment(from);
    const b = parseMoment(to);
    if (Number.isNaN(a) || Number.isNaN(b) || (a !== null && b !== null && b <= a)) return setBad(true);
    setBad(false);
    onApply(a === null ? null : String(a), b === null ? null : String(b));
  };
  return (
    <form class="wrange" onSubmit={apply} aria-label={t('writersRoom.filters.moment')}>
      <span class="field__label field__label--small">{t('writersRoom.filters.moment')}</span>
      <div class="wrange__inputs">
        <input class="field__input" value={from} placeholder="0:00" aria-label={t('writersRoom.filters.from')} onInput={(e) => setFrom(e.currentTarget.value)} aria-invalid={bad || undefined} data-testid="range-from" />
        <span aria-hidden="true">–</span>
        <input class="field__input" value={to} placeholder="45:00" aria-label={t('writersRoom.filters.to')} onInput={(e) => setTo(e.currentTarget.value)} aria-invalid={bad || undefined} data-testid="range-to" />
        <button type="submit" class="button button--small">
          {t('writersRoom.filters.apply')}
        </button>
        {(fromMs !== null || toMs !== null) && (
          <button type="button" class="button button--small button--ghost" onClick={() => onApply(null, null)}>
            {t('writersRoom.filters.clear')}
          </button>
        )}
      </div>
      {bad && (
        <p class="field__message field__message--error" role="alert">
          {t('writersRoom.filters.badRange')}
        </p>
      )}
    </form>
  );
}

/** Franchise, status (in review by default), sort, tag and moment range. */
export function WritersFilters({ ips, query, onChange }: FiltersProps) {
  const { t } = useT();
  return (
    <div class="wfilters" data-testid="writers-filters">
      <div class="wfilters__row">
        {ips.length > 0 && <IpPicker id="writers-ip" ips={ips} value={query.ip} onChange={(ip) => onChange({ ip, p: null })} />}
        <div class="field">
          <label class="field__label field__label--small" for="writers-status">
            {t('writersRoom.filters.status')}
          </label>
          <select id="writers-status" class="field__input" value={query.status} onChange={(e) => onChange({ status: e.currentTarget.value, p: null })} data-testid="writers-status">
            <option value="all">{t('writersRoom.filters.allStatuses')}</option>
            {proposalStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`proposals.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field wfilters__sort">
          <span class="field__label field__label--small">{t('proposals.board.sortLabel')}</span>
          <SortTabs value={query.sort} onChange={(sort) => onChange({ sort })} />
        </div>
      </div>
      <div class="wfilters__row">
        <TagFilter id="writers-tag" value={query.tag} onChange={(tag) => onChange({ tag: tag || null })} />
        <MomentRange fromMs={query.fromMs} toMs={query.toMs} onApply={(from, to) => onChange({ from, to })} />
      </div>
    </div>
  );
}
