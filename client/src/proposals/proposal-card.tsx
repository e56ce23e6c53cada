import type { Proposal } from '../../../contracts/proposals.js';
import { formatRelative } from '../format.js';
import { useT } from '../i18n.js';
import { href } from '../router.js';
import { DecisionView } from './decision-view.js';
import { formatMoment } from './labels.js';
import { ProposalBody } from './proposal-body.js';
import { Reasons } from './reasons.js';
import { ProposalStatusBadge } from './status-badge.js';
import { VoteButtons } from './vote-buttons.js';

interface ProposalCardProps {
  proposal: Proposal;
  onChange(proposal: Proposal): void;
  /** "My proposals": explain the status, list moderation reasons and the writers' answer. */
  mine?: boolean;
  /** Filters the board by a tag when one is pressed. */
  onTag?(tag: string): void;
}

/** Meta line: author, when, and the moment of the premiere it is about. */
export function ProposalMeta({ proposal }: { proposal: Proposal }) {
  const { t, lang } = useT();
  return (
    <p class="pmeta">
      <span class="pmeta__author" data-testid="proposal-author">
        {proposal.authorName}
      </span>
      <span aria-hidden="true"> · </span>
      <time dateTime={proposal.createdAt}>{formatRelative(proposal.createdAt, lang)}</time>
      {proposal.roomId && proposal.atOffsetMs !== null && (
        <>
          <span aria-hidden="true"> · </span>
          <a class="pmeta__moment" href={href(`/rooms/${encodeURIComponent(proposal.roomId)}`)}>
            {t('proposals.card.moment', { time: formatMoment(proposal.atOffsetMs) })}
          </a>
        </>
      )}
    </p>
  );
}

/** The tags of a proposal: buttons that filter the board, or plain chips. */
export function TagList({ tags, onTag }: { tags: string[]; onTag?(tag: string): void }) {
  const { t } = useT();
  if (!tags.length) return null;
  return (
    <ul class="ptags" aria-label={t('proposals.card.tags')}>
      {tags.map((tag) => (
        <li key={tag}>
          {onTag ? (
            <button type="button" class="ptag" onClick={() => onTag(tag)} title={t('proposals.board.filterByTag', { tag })}>
              #{tag}
            </button>
          ) : (
            <span class="ptag">#{tag}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** One proposal on the board or in "my proposals". */
export function ProposalCard({ proposal, onChange, mine = false, onTag }: ProposalCardProps) {
  const { t } = useT();
  const total = proposal.supporters + proposal.opponents;
  const share = total ? Math.round((proposal.supporters / total) * 100) : 0;
  const detail = href(`/proposals/${encodeURIComponent(proposal.id)}`);
  return (
    <li class="pcard-item">
      <article
        class={`pcard pcard--${proposal.status}`}
        data-testid="proposal-card"
        data-proposal-id={proposal.id}
        data-status={proposal.status}
        aria-labelledby={`ptitle-${proposal.id}`}
      >
        <VoteButtons proposal={proposal} onChange={onChange} />
        <div class="pcard__main">
          <div class="pcard__top">
            <ProposalStatusBadge status={proposal.status} />
            {total > 0 && (
              <span class="pcard__share" title={t('proposals.card.shareTitle')}>
                {t('proposals.card.share', { percent: share })}
              </span>
            )}
          </div>
          <h3 class="pcard__title" id={`ptitle-${proposal.id}`}>
            <a href={detail} data-testid="proposal-title">
              {proposal.title}
            </a>
          </h3>
          <ProposalMeta proposal={proposal} />
          <ProposalBody proposal={proposal} clamp />
          <TagList tags={proposal.tags} onTag={onTag} />
          {mine && (
            <div class="pcard__mine" data-testid="mine-details">
              <p class="pcard__help">{t(`proposals.statusHelp.${proposal.status}`)}</p>
              <Reasons proposal={proposal} />
              {proposal.decision && <DecisionView decision={proposal.decision} />}
            </div>
          )}
        </div>
      </article>
    </li>
  );
}
