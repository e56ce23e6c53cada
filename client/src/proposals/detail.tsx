import { useEffect, useState } from 'preact/hooks';
import type { Proposal } from '../../../contracts/proposals.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Page } from '../components/page.js';
import { useT } from '../i18n.js';
import { href } from '../router.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { getProposal } from './api.js';
import { DecisionView } from './decision-view.js';
import { useProposalUpdates } from './live.js';
import { ProposalBody } from './proposal-body.js';
import { ProposalMeta, TagList } from './proposal-card.js';
import { Reasons } from './reasons.js';
import { ProposalStatusBadge } from './status-badge.js';
import { VoteButtons } from './vote-buttons.js';

/** Everyone credited for a proposal: its author and the authors of duplicates merged into it. */
function Contributors({ proposal }: { proposal: Proposal }) {
  const { t } = useT();
  const people = proposal.contributors ?? [];
  if (people.length < 2) return null;
  return (
    <section class="pdetail__section" aria-labelledby="contributors-title" data-testid="contributors">
      <h2 id="contributors-title" class="pdetail__heading">
        {t('proposals.detail.contributors')}
      </h2>
      <p class="note">{t('proposals.detail.contributorsHint')}</p>
      <ul class="people">
        {people.map((c) => (
          <li key={c.id} class="people__item">
            <span class="people__avatar" aria-hidden="true">
              {Array.from(c.name)[0] ?? '•'}
            </span>
            {c.name}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One proposal: formatted body, votes, credit, the writers' answer, and links to its original or room. */
export function ProposalDetail({ id }: { id: string }) {
  const { t } = useT();
  const { user } = useSession();
  const loaded = useLoad(`proposal:${id}:${user?.id ?? ''}`, (signal) => getProposal(id, signal).then((r) => r.proposal));
  const [proposal, setProposal] = useState<Proposal | null>(null);
  useEffect(() => setProposal(loaded.data), [loaded.data]);

  const own = Boolean(user && proposal && proposal.authorId === user.id);
  useProposalUpdates(own, (p) => p.id === id && setProposal((prev) => ({ ...p, contributors: prev?.contributors ?? p.contributors })), loaded.reload);

  const back = (
    <a class="back-link" href={href('/proposals')} data-testid="back-to-proposals">
      <span aria-hidden="true">← </span>
      {t('proposals.detail.back')}
    </a>
  );

  if (!proposal) {
    const notFound = loaded.error?.code === 'NOT_FOUND';
    return (
      <Page title={notFound ? t('notFound.title') : t('proposals.detail.loading')} testId="proposal-page">
        {back}
        {loaded.state === 'loading' && (
          <p class="loading" role="status">
            {t('proposals.detail.loading')}
          </p>
        )}
        <ErrorBanner error={loaded.error} messages={{ NOT_FOUND: t('proposals.detail.notFound') }} onRetry={notFound ? undefined : loaded.reload} />
      </Page>
    );
  }

  return (
    <Page title={proposal.title} intro={proposal.ip} testId="proposal-page">
      {back}
      <article class={`pdetail pcard--${proposal.status}`} data-testid="proposal-detail" data-proposal-id={proposal.id} data-status={proposal.status}>
        <div class="pdetail__top">
          <ProposalStatusBadge status={proposal.status} />
          <ProposalMeta proposal={proposal} />
        </div>
        {own && <p class="pcard__help">{t(`proposals.statusHelp.${proposal.status}`)}</p>}
        {own && <Reasons proposal={proposal} />}
        <ProposalBody proposal={proposal} />
        <TagList tags={proposal.tags} />
        <div class="pdetail__vote">
          <VoteButtons proposal={proposal} onChange={(p) => setProposal((prev) => ({ ...p, contributors: prev?.contributors }))} />
        </div>
        {proposal.duplicateOf && (
          <p class="pdetail__dup" data-testid="duplicate-of">
            {t('proposals.detail.duplicateOf')}{' '}
            <a href={href(`/proposals/${encodeURIComponent(proposal.duplicateOf)}`)}>{t('proposals.detail.openOriginal')}</a>
          </p>
        )}
        {proposal.decision && (
          <section class="pdetail__section" aria-labelledby="answer-title">
            <h2 id="answer-title" class="pdetail__heading">
              {t('proposals.detail.answer')}
            </h2>
            <DecisionView decision={proposal.decision} />
          </section>
        )}
        <Contributors proposal={proposal} />
      </article>
    </Page>
  );
}
