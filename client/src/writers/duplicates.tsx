import { useState } from 'preact/hooks';
import type { Proposal } from '../../../contracts/proposals.js';
import { ApiError } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { getProposal, mergeProposal, type WritersDetail } from '../proposals/api.js';
import { ProposalStatusBadge } from '../proposals/status-badge.js';
import { ConfirmDialog } from './confirm-dialog.js';

type Duplicate = WritersDetail['duplicates'][number];
interface PendingMerge {
  from: { id: string; title: string };
  into: { id: string; title: string };
}

interface DuplicatesProps {
  proposal: Proposal;
  duplicates: Duplicate[];
  /** Opens another proposal of the cluster in the detail panel. */
  linkTo(id: string): string;
  /** Both sides changed: the original took the votes, the merged one (when it could be read again) is `merged` now. */
  onMerged(into: Proposal, from: Proposal | null): void;
}

/**
 * The near-duplicate cluster of a proposal. A writer can pull a duplicate into
 * this one, or, from a duplicate, merge this one into its original: the votes
 * move over and every author keeps credit. Asks for confirmation first.
 */
export function Duplicates({ proposal, duplicates, linkTo, onMerged }: DuplicatesProps) {
  const { t } = useT();
  const [pending, setPending] = useState<PendingMerge | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const here = { id: proposal.id, title: proposal.title };
  const mergeable = (d: Duplicate) => d.status !== 'merged';

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setError(null);
    try {
      const { proposal: into } = await mergeProposal(pending.from.id, pending.into.id);
      // The answer is the original; read the merged one too, so the queue row does not stay "held".
      const from = await getProposal(pending.from.id).then((r) => r.proposal, () => null);
      setPending(null);
      onMerged(into, from);
    } catch (err) {
      setPending(null);
      setError(err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="wdups" data-testid="duplicates">
      <ErrorBanner error={error} onDismiss={() => setError(null)} messages={{ CONFLICT: t('writersRoom.duplicates.conflict') }} />
      {duplicates.length === 0 ? (
        <p class="note">{t('writersRoom.duplicates.none')}</p>
      ) : (
        <ul class="wdups__rows">
          {duplicates.map((d) => (
            <li key={d.id} class="wdup" data-testid="duplicate-row">
              <a class="wdup__title" href={linkTo(d.id)}>
                {d.title}
              </a>
              {d.id === proposal.duplicateOf && <span class="wdup__original">{t('writersRoom.duplicates.original')}</span>}
              <ProposalStatusBadge status={d.status} />
              <span class="wdup__count">{t('writersRoom.duplicates.supporters', { count: d.supporters })}</span>
              {mergeable(d) && proposal.status !== 'merged' && (
                <span class="wdup__actions">
                  <button type="button" class="button button--small" onClick={() => setPending({ from: { id: d.id, title: d.title }, into: here })} data-testid="merge-here">
                    {t('writersRoom.duplicates.mergeHere')}
                  </button>
                  {d.id === proposal.duplicateOf && (
                    <button type="button" class="button button--small button--ghost" onClick={() => setPending({ from: here, into: { id: d.id, title: d.title } })} data-testid="merge-there">
                      {t('writersRoom.duplicates.mergeThere')}
                    </button>
                  )}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {pending && (
        <ConfirmDialog title={t('writersRoom.duplicates.confirmTitle')} confirmLabel={t('writersRoom.duplicates.confirm')} busy={busy} onConfirm={() => void confirm()} onCancel={() => setPending(null)}>
          <p>{t('writersRoom.duplicates.confirmBody', { from: pending.from.title, into: pending.into.title })}</p>
          <p class="note">{t('writersRoom.duplicates.confirmNote')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
