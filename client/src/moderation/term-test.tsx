import { useEffect, useState } from 'preact/hooks';
import type { TermVerdict } from '../../../contracts/moderation.js';
import { ApiError, isAbort } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { testTerms } from './api.js';

const rank = { censor: 1, hold: 2, block: 3 } as const;

/** The sample split into plain and matched stretches; overlapping hits take the strongest action. */
function segments(text: string, hits: TermVerdict['hits']): Array<{ text: string; action: keyof typeof rank | null }> {
  const marks: Array<keyof typeof rank | null> = new Array(text.length).fill(null);
  for (const h of hits) {
    for (let i = h.start; i < h.end && i < text.length; i++) {
      const current = marks[i];
      if (!current || rank[h.action] > rank[current]) marks[i] = h.action;
    }
  }
  const out: Array<{ text: string; action: keyof typeof rank | null }> = [];
  for (let i = 0; i < text.length; i++) {
    const last = out[out.length - 1];
    if (last && last.action === marks[i]) last.text += text[i];
    else out.push({ text: text[i] ?? '', action: marks[i] ?? null });
  }
  return out;
}

/**
 * The test box: type a sample and see, as the server would judge it now, which
 * saved terms (global + this room's) it hits and what a censored copy looks like.
 */
export function TermTest({ roomId }: { roomId?: string }) {
  const { t } = useT();
  const [text, setText] = useState('');
  const [verdict, setVerdict] = useState<TermVerdict | null>(null);
  const [tested, setTested] = useState('');
  const [error, setError] = useState<ApiError | null>(null);

  // Judged as the moderator types, a moment after the last key.
  useEffect(() => {
    if (!text.trim()) {
      setVerdict(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      testTerms(text, roomId || undefined, controller.signal).then(
        (r) => (setVerdict(r.verdict), setTested(text), setError(null)),
        (err: unknown) => !isAbort(err) && setError(err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0)),
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, roomId]);

  return (
    <div class="mod-test" data-testid="term-test">
      <div class="field">
        <label class="field__label" for="term-test-text">
          {t('moderation.test.label')}
        </label>
        <textarea
          id="term-test-text"
          class="field__input mod-test__input"
          rows={2}
          maxLength={10_000}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          placeholder={t('moderation.test.placeholder')}
          data-testid="term-test-input"
        />
        <p class="field__message">{roomId ? t('moderation.test.hintRoom') : t('moderation.test.hintGlobal')}</p>
      </div>
      <ErrorBanner error={error} />
      {verdict && (
        <div class={`mod-verdict mod-verdict--${verdict.action}`} aria-live="polite" data-testid="term-verdict" data-action={verdict.action}>
          <p class="mod-verdict__head">
            <span class={`mod-tag mod-tag--verdict-${verdict.action}`}>{t(`moderation.test.verdict.${verdict.action}`)}</span>
            <span>{t(`moderation.test.explain.${verdict.action}`)}</span>
          </p>
          <p class="mod-verdict__sample">
            {segments(tested, verdict.hits).map((s, i) =>
              s.action ? (
                <mark key={i} class={`mod-hit mod-hit--${s.action}`}>
                  {s.text}
                </mark>
              ) : (
                <span key={i}>{s.text}</span>
              ),
            )}
          </p>
          {verdict.hits.length > 0 && (
            <ul class="mod-reasons" aria-label={t('moderation.test.hits')}>
              {verdict.hits.map((h, i) => (
                <li key={`${i}-${h.term}`} class={`mod-reason mod-reason--${h.action}`} data-testid="term-hit">
                  {t('moderation.reason.term', { action: t(`moderation.termAction.${h.action}`), term: h.term })}
                </li>
              ))}
            </ul>
          )}
          {verdict.hits.length > 0 && (
            <p class="mod-verdict__censored">
              <span class="field__label">{t('moderation.test.censored')}</span> <span data-testid="term-censored">{verdict.censored}</span>
            </p>
          )}
        </div>
      )}
    </div>
  );
}
