import { useEffect, useRef, useState } from 'preact/hooks';
import type { Proposal } from '../../../contracts/proposals.js';
import { ApiError } from '../api.js';
import { errorText } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { href, loginPath, useRoute } from '../router.js';
import { useSession } from '../session.js';
import { voteProposal } from './api.js';
import { returnPath, votableStatuses } from './labels.js';
import { rememberVote, rememberedVote, withVote, type VoteValue } from './votes.js';

interface VoteButtonsProps {
  proposal: Proposal;
  /** Called with the optimistic counts at once, then the server's answer (or the original on failure). */
  onChange(proposal: Proposal): void;
}

/**
 * Support / oppose with the caller's current vote pressed. Updates the counts
 * at once and rolls back when the server refuses; pressing the chosen button
 * again withdraws the vote. Guests get a log-in prompt instead.
 */
export function VoteButtons({ proposal, onChange }: VoteButtonsProps) {
  const { t } = useT();
  const { user } = useSession();
  const route = useRoute();
  const [mine, setMine] = useState<VoteValue>(() => rememberedVote(user?.id, proposal.id));
  const [error, setError] = useState<string | null>(null);
  const [askLogin, setAskLogin] = useState(false);
  const busy = useRef(false);
  const open = votableStatuses.includes(proposal.status);

  // The session loads after the first render, and a different account has different votes.
  useEffect(() => setMine(rememberedVote(user?.id, proposal.id)), [user?.id, proposal.id]);

  async function cast(choice: 1 | -1) {
    if (!user) {
      setAskLogin(true);
      return;
    }
    if (busy.current || !open) return;
    busy.current = true;
    const before = mine;
    const next: VoteValue = mine === choice ? 0 : choice;
    const original = proposal;
    setError(null);
    setMine(next);
    onChange(withVote(proposal, before, next));
    try {
      const { proposal: saved } = await voteProposal(proposal.id, next);
      rememberVote(user.id, proposal.id, next);
      onChange(saved);
    } catch (err) {
      setMine(before);
      onChange(original);
      const apiError = err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0);
      setError(errorText(apiError, t, { CONFLICT: t('proposals.vote.closed') }));
    } finally {
      busy.current = false;
    }
  }

  const label = (n: number, key: string) => t(key, { count: n });
  return (
    <div class="vote" data-testid="vote" data-my-vote={mine}>
      <div class="vote__buttons" role="group" aria-label={t('proposals.vote.group')}>
        <button
          type="button"
          class="vote__button vote__button--support"
          aria-pressed={mine === 1}
          disabled={user ? !open : false}
          onClick={() => void cast(1)}
          data-testid="support"
          title={open ? t('proposals.vote.support') : t('proposals.vote.closed')}
        >
          <span aria-hidden="true">▲</span>
          <span class="visually-hidden">{t('proposals.vote.support')}</span>
          <span class="vote__count" data-testid="supporters">
            {proposal.supporters}
          </span>
          <span class="visually-hidden">{label(proposal.supporters, 'proposals.vote.supporters')}</span>
        </button>
        <button
          type="button"
          class="vote__button vote__button--oppose"
          aria-pressed={mine === -1}
          disabled={user ? !open : false}
          onClick={() => void cast(-1)}
          data-testid="oppose"
          title={open ? t('proposals.vote.oppose') : t('proposals.vote.closed')}
        >
          <span aria-hidden="true">▼</span>
          <span class="visually-hidden">{t('proposals.vote.oppose')}</span>
          <span class="vote__count" data-testid="opponents">
            {proposal.opponents}
          </span>
          <span class="visually-hidden">{label(proposal.opponents, 'proposals.vote.opponents')}</span>
        </button>
      </div>
      {error && (
        <p class="vote__error" role="alert" data-testid="vote-error">
          {error}
        </p>
      )}
      {askLogin && !user && (
        <p class="vote__login" role="status" data-testid="vote-login">
          {t('proposals.vote.guest')}{' '}
          <a href={href(loginPath(returnPath(route)))}>{t('nav.login')}</a>
        </p>
      )}
    </div>
  );
}
