import type { ProposalStatus } from '../../../contracts/proposals.js';
import { useT } from '../i18n.js';

/** A proposal's status as a coloured pill; the colour groups statuses (waiting, public, decided, refused). */
export function ProposalStatusBadge({ status }: { status: ProposalStatus }) {
  const { t } = useT();
  return (
    <span class={`pbadge pbadge--${status}`} data-testid="proposal-status" data-status={status}>
      {t(`proposals.status.${status}`)}
    </span>
  );
}
