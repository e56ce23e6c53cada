import { useEffect, useRef } from 'preact/hooks';
import type { Proposal } from '../../../contracts/proposals.js';
import { ErrorBanner } from '../components/error-banner.js';
import { formatDateTime, formatRelative } from '../format.js';
import { useT } from '../i18n.js';
import { getWritersDetail } from '../proposals/api.js';
import { DecisionView } from '../proposals/decision-view.js';
import { formatMoment } from '../proposals/labels.js';
import { ProposalBody } from '../proposals/proposal-body.js';
import { TagList } from '../proposals/proposal-card.js';
import { Reasons } from '../proposals/reasons.js';
import { ProposalStatusBadge } from '../proposals/status-badge.js';
import { useLoad } from '../use-load.js';
import { DecisionForm } from './decision-form.js';
import { Duplicates } from './duplicates.js';
import { Segments } from './segments.js';
import { VotesChart } from './votes-chart.js';

interface DetailPanelProps {
  id: string;
  linkTo(id: string): string;
  /** A decision or merge changed a proposal: the list updates its row. */
  onChanged(proposal: Proposal): void;
}

/** Counts, scores and staff flags of a proposal. */
function Facts({ proposal }: { proposal: Proposal }) {
  const { t, lang } = useT();
  const total = proposal.supporters + proposal.opponents;
  return (
    <dl class="wfacts">
      <div>
        <dt>{t('writersRoom.facts.supporters')}</dt>
        <dd class="wfacts__up" data-testid="detail-supporters">{proposal.supporters}</dd>
      </div>
      <div>
        <dt>{t('writersRoom.facts.opponents')}</dt>
        <dd class="wfacts__down">{proposal.opponents}</dd>
      </div>
      <div>
        <dt>{t('writersRoom.facts.approval')}</dt>
        <dd>{total ? `${Math.round((proposal.supporters / total) * 100)}%` : '–'}</dd>
      </div>
      <div>
        <dt>{t('writersRoom.facts.confidence')}</dt>
        <dd title={t('writersRoom.facts.confidenceHint')}>{proposal.scores.top.toLocaleString(lang, { maximumFractionDigits: 2 })}</dd>
      </div>
      <div>
        <dt>{t('writersRoom.facts.submitted')}</dt>
        <dd title={formatDateTime(proposal.createdAt, lang)}>{formatRelative(proposal.createdAt, lang)}</dd>
      </div>
    </dl>
  );
}

/**
 * The writers' view of one proposal: the text, its numbers, votes over time,
 * supporters by audience segment, its duplicate cluster with merging, and the
 * decision form.
 */
export function DetailPanel({ id, linkTo, onChanged }: DetailPanelProps) {
  const { t } = useT();
  const loaded = useLoad(`writers:${id}`, (signal) => getWritersDetail(id, signal));
  const heading = useRef<HTMLHeadingElement>(null);
  const detail = loaded.data?.proposal.id === id ? loaded.data : null;

  // On phones the panel sits under the list: bring it into view when a proposal is picked.
  useEffect(() => {
    if (detail && window.matchMedia('(max-width: 1100px)').matches) heading.current?.scrollIntoView({ block: 'start' });
  }, [detail?.proposal.id]);

  if (!detail) {
    return (
      <section class="card wdetail" aria-busy="true" data-testid="writers-detail-loading">
        {loaded.state === 'loading' && (
          <p class="loading" role="status">
            {t('writersRoom.loadingDetail')}
          </p>
        )}
        <ErrorBanner error={loaded.error} onRetry={loaded.reload} />
      </section>
    );
  }

  const { proposal } = detail;
  const changed = (p: Proposal) => {
    onChanged(p);
    loaded.reload();
  };
  const flags = proposal.flags ?? [];
  return (
    <section class="card wdetail" aria-labelledby="wdetail-title" data-testid="writers-detail" data-proposal-id={proposal.id} data-status={proposal.status}>
      <header class="wdetail__head">
        <div class="wdetail__badges">
          <ProposalStatusBadge status={proposal.status} />
          {flags.map((f) => (
            <span key={f} class="flag" title={t(`writersRoom.flags.${f}Hint`, { defaultValue: '' })}>
              {t(`writersRoom.flags.${f}`, { defaultValue: f })}
            </span>
          ))}
        </div>
        <h2 id="wdetail-title" class="wdetail__title" ref={heading} tabIndex={-1}>
          {proposal.title}
        </h2>
        <p class="pmeta">
          {t('writersRoom.by', { name: (proposal.contributors ?? []).map((c) => c.name).join(' · ') || proposal.authorName })}
          {proposal.atOffsetMs !== null && <> · {t('proposals.card.moment', { time: formatMoment(proposal.atOffsetMs) })}</>}
        </p>
      </header>
      <Facts proposal={proposal} />
      <ProposalBody proposal={proposal} />
      <TagList tags={proposal.tags} />
      <Reasons proposal={proposal} />
      {proposal.decision && <DecisionView decision={proposal.decision} />}
      <div class="wdetail__grid">
        <section class="wdetail__section" aria-labelledby="chart-title">
          <h3 id="chart-title" class="wdetail__heading">
            {t('writersRoom.chart.title')}
          </h3>
          <VotesChart points={detail.votesOverTime} />
        </section>
        <section class="wdetail__section" aria-labelledby="segments-title">
          <h3 id="segments-title" class="wdetail__heading">
            {t('writersRoom.segments.title')}
          </h3>
          <Segments segments={detail.segments} />
        </section>
      </div>
      <section class="wdetail__section" aria-labelledby="dups-title">
        <h3 id="dups-title" class="wdetail__heading">
          {t('writersRoom.duplicates.title')}
        </h3>
        <Duplicates
          proposal={proposal}
          duplicates={detail.duplicates}
          linkTo={linkTo}
          onMerged={(into, from) => {
            if (from) onChanged(from);
            changed(into);
          }}
        />
      </section>
      <section class="wdetail__section" aria-labelledby="decide-title">
        <h3 id="decide-title" class="wdetail__heading">
          {t('writersRoom.decision.title')}
        </h3>
        <DecisionForm key={proposal.id} proposal={proposal} onDecided={changed} />
      </section>
    </section>
  );
}
