import { useT } from '../i18n.js';
import { formatRelative } from '../format.js';
import { ErrorBanner } from '../components/error-banner.js';
import { ProposalStatusBadge } from '../proposals/status-badge.js';
import type { ProposalList } from '../proposals/use-proposal-list.js';

interface WritersListProps {
  list: ProposalList;
  selected: string | null;
  linkTo(id: string): string;
}

/** The writers' queue: compact rows, the open one marked; "load more" pages on. */
export function WritersList({ list, selected, linkTo }: WritersListProps) {
  const { t, lang } = useT();
  return (
    <div class="wlist" data-testid="writers-list" data-state={list.state} aria-busy={list.state === 'loading'}>
      <ErrorBanner error={list.error} onRetry={list.items.length ? list.loadMore : list.reload} />
      {list.state === 'loading' && list.items.length === 0 && (
        <p class="loading" role="status">
          {t('proposals.board.loading')}
        </p>
      )}
      {list.state === 'ready' && list.items.length === 0 && <p class="empty">{t('writersRoom.empty')}</p>}
      <ul class="wlist__rows">
        {list.items.map((p) => {
          const total = p.supporters + p.opponents;
          return (
            <li key={p.id}>
              <a
                class="wrow"
                href={linkTo(p.id)}
                aria-current={selected === p.id ? 'true' : undefined}
                data-testid="writers-item"
                data-proposal-id={p.id}
                data-status={p.status}
              >
                <span class="wrow__title">{p.title}</span>
                <span class="wrow__meta">
                  <ProposalStatusBadge status={p.status} />
                  <span class="wrow__author">{p.authorName}</span>
                  <span class="wrow__when">{formatRelative(p.createdAt, lang)}</span>
                  {(p.flags ?? []).length > 0 && (
                    <span class="flag flag--small" title={(p.flags ?? []).map((f) => t(`writersRoom.flags.${f}`, { defaultValue: f })).join(', ')}>
                      {t('writersRoom.flagged')}
                    </span>
                  )}
                </span>
                <span class="wrow__votes" aria-label={t('writersRoom.votesLabel', { up: p.supporters, down: p.opponents })}>
                  <span class="wrow__up">▲ {p.supporters}</span>
                  <span class="wrow__down">▼ {p.opponents}</span>
                  <span class="wrow__bar" aria-hidden="true">
                    <span style={{ width: `${total ? (p.supporters / total) * 100 : 0}%` }} />
                  </span>
                </span>
              </a>
            </li>
          );
        })}
      </ul>
      {list.hasMore && (
        <button type="button" class="button button--ghost button--block" onClick={list.loadMore} disabled={list.loadingMore} data-testid="writers-load-more">
          {list.loadingMore ? t('proposals.board.loadingMore') : t('proposals.board.loadMore')}
        </button>
      )}
    </div>
  );
}
