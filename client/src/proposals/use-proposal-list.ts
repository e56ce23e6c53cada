import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Proposal } from '../../../contracts/proposals.js';
import { ApiError, isAbort } from '../api.js';
import type { ProposalPage } from './api.js';

/** A paginated list of proposals and what can be done with it. */
export interface ProposalList {
  items: Proposal[];
  state: 'loading' | 'ready' | 'failed';
  error: ApiError | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore(): void;
  reload(): void;
  /** Puts a changed proposal in place (a vote, a live update, a decision). */
  replace(proposal: Proposal): void;
  /** Like replace, but adds the proposal on top when the list lacks it (a new one of mine). */
  upsert(proposal: Proposal): void;
}

const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0));

/**
 * A cursor-paginated proposal list: the first page loads (again) whenever `key`
 * changes, "load more" appends the next page without repeats, and a stale
 * request is aborted.
 */
export function useProposalList(key: string, fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<ProposalPage>): ProposalList {
  const [items, setItems] = useState<Proposal[]>([]);
  const [state, setState] = useState<ProposalList['state']>('loading');
  const [error, setError] = useState<ApiError | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const moreRef = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    moreRef.current?.abort();
    setState('loading');
    setError(null);
    fetchRef.current(null, controller.signal).then(
      (page) => {
        setItems(page.items);
        setCursor(page.nextCursor);
        setState('ready');
      },
      (err: unknown) => {
        if (isAbort(err)) return;
        setError(asApiError(err));
        setState('failed');
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const loadMore = useCallback(() => {
    if (!cursor || moreRef.current) return;
    const controller = new AbortController();
    moreRef.current = controller;
    setLoadingMore(true);
    setError(null);
    fetchRef.current(cursor, controller.signal)
      .then(
        (page) => {
          setItems((prev) => {
            const seen = new Set(prev.map((p) => p.id));
            return [...prev, ...page.items.filter((p) => !seen.has(p.id))];
          });
          setCursor(page.nextCursor);
        },
        (err: unknown) => {
          if (!isAbort(err)) setError(asApiError(err));
        },
      )
      .finally(() => {
        if (moreRef.current === controller) moreRef.current = null;
        setLoadingMore(false);
      });
  }, [cursor]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const replace = useCallback((proposal: Proposal) => {
    setItems((prev) => prev.map((p) => (p.id === proposal.id ? proposal : p)));
  }, []);

  const upsert = useCallback((proposal: Proposal) => {
    setItems((prev) => (prev.some((p) => p.id === proposal.id) ? prev.map((p) => (p.id === proposal.id ? proposal : p)) : [proposal, ...prev]));
  }, []);

  return { items, state, error, hasMore: cursor !== null, loadingMore, loadMore, reload, replace, upsert };
}
