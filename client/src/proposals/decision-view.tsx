import type { ProposalDecision } from '../../../contracts/proposals.js';
import { formatDateTime } from '../format.js';
import { useT } from '../i18n.js';

const rubricKeys = ['originality', 'fit', 'feasibility'] as const;

/** The writers' answer: decision, feedback (as text) and the 1–5 rubric when they gave one. */
export function DecisionView({ decision }: { decision: ProposalDecision }) {
  const { t, lang } = useT();
  return (
    <section class={`decision decision--${decision.decision}`} data-testid="decision" aria-label={t('proposals.decision.label')}>
      <p class="decision__head">
        <span class="decision__kind">{t(`proposals.decision.${decision.decision}`)}</span>
        <time class="decision__when" dateTime={decision.at}>
          {formatDateTime(decision.at, lang)}
        </time>
      </p>
      <blockquote class="decision__feedback" data-testid="decision-feedback">
        {decision.feedback}
      </blockquote>
      {decision.rubric && (
        <dl class="rubric" data-testid="decision-rubric">
          {rubricKeys.map((key) => (
            <div class="rubric__item" key={key}>
              <dt>{t(`proposals.rubric.${key}`)}</dt>
              <dd>
                <span class="rubric__stars" aria-hidden="true">
                  {'★'.repeat(decision.rubric![key])}
                  <span class="rubric__empty">{'★'.repeat(5 - decision.rubric![key])}</span>
                </span>
                <span class="rubric__score">{t('proposals.rubric.score', { score: decision.rubric![key] })}</span>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
