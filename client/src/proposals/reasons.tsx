import type { Proposal } from '../../../contracts/proposals.js';
import { useT } from '../i18n.js';
import { href } from '../router.js';
import { reasonText } from './labels.js';

/** Why moderation held, rejected or flagged a proposal, for its author: one sentence per reason. */
export function Reasons({ proposal }: { proposal: Proposal }) {
  const { t } = useT();
  if (!proposal.reasons.length) return null;
  return (
    <ul class="reasons" data-testid="reasons" aria-label={t('proposals.reasons.label')}>
      {proposal.reasons.map((reason) => {
        const { text, duplicateOf } = reasonText(reason, t);
        return (
          <li key={reason} class="reasons__item">
            {text}
            {duplicateOf && (
              <>
                {' '}
                <a href={href(`/proposals/${encodeURIComponent(duplicateOf)}`)}>{t('proposals.reasons.seeOriginal')}</a>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
