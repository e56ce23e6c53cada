import { useEffect, useState } from 'preact/hooks';
import { useT } from '../i18n.js';
import { proposalSorts, type ProposalSort } from './api.js';

/** A franchise picker: the IPs of the premieres, as a select. */
export function IpPicker({ ips, value, onChange, id = 'ip-picker' }: { ips: string[]; value: string; onChange(ip: string): void; id?: string }) {
  const { t } = useT();
  return (
    <div class="field ip-picker">
      <label class="field__label field__label--small" for={id}>
        {t('proposals.board.ip')}
      </label>
      <select id={id} class="field__input" value={value} onChange={(e) => onChange(e.currentTarget.value)} data-testid="ip-picker">
        {ips.map((ip) => (
          <option key={ip} value={ip}>
            {ip}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Hot / Top / New / Controversial as a toggle group. */
export function SortTabs({ value, onChange, label }: { value: ProposalSort; onChange(sort: ProposalSort): void; label?: string }) {
  const { t } = useT();
  return (
    <div class="segmented" role="group" aria-label={label ?? t('proposals.board.sortLabel')} data-testid="sort-tabs">
      {proposalSorts.map((sort) => (
        <button
          key={sort}
          type="button"
          class="segmented__option"
          aria-pressed={value === sort}
          onClick={() => onChange(sort)}
          data-testid={`sort-${sort}`}
          title={t(`proposals.sort.${sort}Hint`)}
        >
          {t(`proposals.sort.${sort}`)}
        </button>
      ))}
    </div>
  );
}

/** Filters by one tag: type and press Enter, or clear. */
export function TagFilter({ value, onChange, id = 'tag-filter' }: { value: string; onChange(tag: string): void; id?: string }) {
  const { t } = useT();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const apply = (e: Event) => {
    e.preventDefault();
    onChange(draft.normalize('NFKC').replace(/^#+/, '').trim().toLowerCase());
  };
  return (
    <form class="tag-filter" role="search" onSubmit={apply} aria-label={t('proposals.board.tagFilter')}>
      <label class="visually-hidden" for={id}>
        {t('proposals.board.tagFilter')}
      </label>
      <span class="tag-filter__hash" aria-hidden="true">
        #
      </span>
      <input
        id={id}
        class="field__input tag-filter__input"
        value={draft}
        maxLength={24}
        placeholder={t('proposals.board.tagPlaceholder')}
        onInput={(e) => setDraft(e.currentTarget.value)}
        data-testid="tag-filter"
      />
      <button type="submit" class="button button--small">
        {t('proposals.board.applyTag')}
      </button>
      {value && (
        <button type="button" class="button button--small button--ghost" onClick={() => onChange('')} data-testid="tag-clear">
          {t('proposals.board.clearTag')}
        </button>
      )}
    </form>
  );
}
