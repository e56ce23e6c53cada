import { useState } from 'preact/hooks';
import type { Proposal } from '../../../contracts/proposals.js';
import { ApiError } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { decide, type DecisionKind, type Rubric } from '../proposals/api.js';
import { decidableStatuses } from '../proposals/labels.js';

const kinds: readonly DecisionKind[] = ['shortlist', 'accept', 'decline'];
const rubricKeys = ['originality', 'fit', 'feasibility'] as const;
const FEEDBACK_MAX = 4000;

/**
 * The writers' answer to a proposal: shortlist, accept or decline, feedback the
 * author reads, and an optional 1–5 rubric (all three scores, or none).
 */
export function DecisionForm({ proposal, onDecided }: { proposal: Proposal; onDecided(p: Proposal): void }) {
  const { t } = useT();
  const [kind, setKind] = useState<DecisionKind>('shortlist');
  const [feedback, setFeedback] = useState('');
  const [scores, setScores] = useState<Record<(typeof rubricKeys)[number], string>>({ originality: '', fit: '', feasibility: '' });
  const [problem, setProblem] = useState<{ field: 'feedback' | 'rubric'; key: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<DecisionKind | null>(null);
  const open = decidableStatuses.includes(proposal.status);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const text = feedback.trim();
    const filled = rubricKeys.filter((k) => scores[k]);
    if (!text) return setProblem({ field: 'feedback', key: 'writersRoom.decision.feedbackRequired' });
    if (filled.length && filled.length < rubricKeys.length) return setProblem({ field: 'rubric', key: 'writersRoom.decision.rubricPartial' });
    setProblem(null);
    setError(null);
    setBusy(true);
    try {
      const rubric = filled.length ? (Object.fromEntries(rubricKeys.map((k) => [k, Number(scores[k])])) as Rubric) : undefined;
      const { proposal: updated } = await decide(proposal.id, { decision: kind, feedback: text, ...(rubric ? { rubric } : {}) });
      setDone(kind);
      setFeedback('');
      onDecided(updated);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0));
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return <p class="note" data-testid="decision-closed">{t('writersRoom.decision.closed', { status: t(`proposals.status.${proposal.status}`) })}</p>;
  }
  return (
    <form class="form wdecide" onSubmit={onSubmit} noValidate data-testid="decision-form">
      {done && (
        <p class="banner banner--success" role="status" data-testid="decision-saved">
          {t('writersRoom.decision.saved', { decision: t(`proposals.decision.${done}`) })}
        </p>
      )}
      <ErrorBanner error={error} onDismiss={() => setError(null)} messages={{ CONFLICT: t('writersRoom.decision.conflict') }} />
      <fieldset class="wdecide__kinds">
        <legend class="field__label">{t('writersRoom.decision.kind')}</legend>
        {kinds.map((k) => (
          <label key={k} class={`choice choice--${k}`}>
            <input type="radio" name="decision" value={k} checked={kind === k} onChange={() => setKind(k)} data-testid={`decision-${k}`} />
            <span>{t(`writersRoom.decision.${k}`)}</span>
          </label>
        ))}
      </fieldset>
      <div class={problem?.field === 'feedback' ? 'field field--invalid' : 'field'}>
        <label class="field__label" for="decision-feedback">
          {t('writersRoom.decision.feedback')}
        </label>
        <textarea
          id="decision-feedback"
          class="field__input wdecide__feedback"
          rows={4}
          maxLength={FEEDBACK_MAX}
          value={feedback}
          placeholder={t('writersRoom.decision.feedbackPlaceholder')}
          onInput={(e) => setFeedback(e.currentTarget.value)}
          aria-invalid={problem?.field === 'feedback' || undefined}
          aria-describedby="decision-feedback-message"
          data-testid="decision-feedback-input"
        />
        <p id="decision-feedback-message" class={problem?.field === 'feedback' ? 'field__message field__message--error' : 'field__message'}>
          {problem?.field === 'feedback' ? t(problem.key) : t('writersRoom.decision.feedbackHint', { count: feedback.length, max: FEEDBACK_MAX })}
        </p>
      </div>
      <fieldset class={problem?.field === 'rubric' ? 'wdecide__rubric field--invalid' : 'wdecide__rubric'}>
        <legend class="field__label">{t('writersRoom.decision.rubric')}</legend>
        <div class="wdecide__scores">
          {rubricKeys.map((k) => (
            <div class="field" key={k}>
              <label class="field__label field__label--small" for={`rubric-${k}`}>
                {t(`proposals.rubric.${k}`)}
              </label>
              <select id={`rubric-${k}`} class="field__input" value={scores[k]} onChange={(e) => setScores({ ...scores, [k]: e.currentTarget.value })} data-testid={`rubric-${k}`}>
                <option value="">–</option>
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n} value={String(n)}>
                    {'★'.repeat(n)} {n}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
        <p class={problem?.field === 'rubric' ? 'field__message field__message--error' : 'field__message'}>
          {problem?.field === 'rubric' ? t(problem.key) : t('writersRoom.decision.rubricHint')}
        </p>
      </fieldset>
      <button type="submit" class="button button--primary" disabled={busy} data-testid="decision-submit">
        {busy ? t('writersRoom.decision.busy') : t('writersRoom.decision.submit', { decision: t(`writersRoom.decision.${kind}`) })}
      </button>
    </form>
  );
}
