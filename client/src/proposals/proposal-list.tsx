import { useEffect, useRef } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { ProposalCard } from './proposal-card.js';
import type { ProposalList } from './use-proposal-list.js';

interface ProposalListViewProps {
  list: ProposalList;
  /** Show every status with reasons and the writers' feedback. */
  mine?: boolean;
  empty: string;
  onTag?(tag: string): void;
}

/**
 * Proposal cards with infinite loading: the next page loads when the end of
 * the list scrolls into view, and a "Load more" button does the same for
 * keyboards, TV remotes and browsers without IntersectionObserver.
 */
export function ProposalListView({ list, mine = false, empty, onTag }: ProposalListViewProps) {
  const { t } = useT();
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasMore, loadMore, loadingMore, state } = list;

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore || state !== 'ready' || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore();
    }, { rootMargin: '400px 0px' });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasMore, loadMore, state]);

  return (
    <div class="plist" data-testid={mine ? 'my-proposals' : 'proposal-list'} data-state={state} aria-busy={state === 'loading' || loadingMore}>
      <ErrorBanner error={list.error} onRetry={list.items.length ? list.loadMore : list.reload} />
      {state === 'loading' && list.items.length === 0 && (
        <p class="loading" role="status">
          {t('proposals.board.loading')}
        </p>
      )}
      {state === 'ready' && list.items.length === 0 && (
        <p class="empty" data-testid="proposals-empty">
          {empty}
        </p>
      )}
      {list.items.length > 0 && (
        <ul class="plist__items">
          {list.items.map((p) => (
            <ProposalCard key={p.id} proposal={p} onChange={list.replace} mine={mine} onTag={onTag} />
          ))}
        </ul>
      )}
      {hasMore && (
        <div class="plist__more" ref={sentinel}>
          <button type="button" class="button button--ghost" onClick={loadMore} disabled={loadingMore} data-testid="load-more">
            {loadingMore ? t('proposals.board.loadingMore') : t('proposals.board.loadMore')}
          </button>
        </div>
      )}
      {state === 'ready' && !hasMore && list.items.length > 0 && <p class="plist__end">{t('proposals.board.end')}</p>}
    </div>
  );
}
