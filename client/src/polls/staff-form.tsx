import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import type { ViewerController } from '../viewer/controller.js';
import { formatClock } from '../viewer/time.js';
import type { NewPoll } from './api.js';
import { MAX_OPTIONS, parseMoment, POLL_MAX_MS, POLL_MIN_MS } from './logic.js';

const presets = [
  ['30s', 30_000],
  ['1m', 60_000],
  ['2m', 120_000],
  ['5m', 300_000],
] as const;
type Preset = (typeof presets)[number][0] | 'custom';
type Problem = 'question' | 'options' | 'duration' | 'moment' | 'maxChoices';

/** A row of mutually exclusive buttons (the viewer's segmented control). */
function Segmented<T extends string>(props: { label: string; value: T; items: Array<[T, string]>; onPick(v: T): void; testId: string }) {
  return (
    <div class="segmented" role="group" aria-label={props.label}>
      {props.items.map(([v, text]) => (
        <button key={v} type="button" class="segmented__option" aria-pressed={props.value === v} onClick={() => props.onPick(v)} data-testid={`${props.testId}-${v}`}>
          {text}
        </button>
      ))}
    </div>
  );
}

/** Which field a server-side validation problem belongs to. */
function problemOf(path: string): Problem {
  if (path.startsWith('question')) return 'question';
  if (path.startsWith('durationMs')) return 'duration';
  if (path.startsWith('atOffsetMs')) return 'moment';
  if (path.startsWith('maxChoices')) return 'maxChoices';
  return 'options';
}

/**
 * Staff: a new poll as a draft. Question, 2 to 6 options, one or several
 * choices, how long it stays open (presets or custom), whether fans see
 * results live or after the close, and optionally the moment it opens by itself.
 */
export function StaffForm({ ctl, onDone }: { ctl: ViewerController; onDone(): void }) {
  const { t } = useT();
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState(['', '']);
  const [kind, setKind] = useState<'single' | 'multi'>('single');
  const [maxChoices, setMaxChoices] = useState(2);
  const [preset, setPreset] = useState<Preset>('1m');
  const [customS, setCustomS] = useState('90');
  const [visibility, setVisibility] = useState<'live' | 'after_close'>('live');
  const [moment, setMoment] = useState('');
  const [problems, setProblems] = useState<Set<Problem>>(new Set());
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const filled = options.map((o) => o.trim()).filter(Boolean);
  const durationMs = preset === 'custom' ? Math.round(Number(customS) * 1000) : presets.find(([p]) => p === preset)![1];
  const atOffsetMs = moment.trim() ? parseMoment(moment) : undefined;

  function check(): Set<Problem> {
    const found = new Set<Problem>();
    const q = question.trim();
    if (!q || q.length > 200) found.add('question');
    const distinct = new Set(filled.map((o) => o.toLowerCase())).size === filled.length;
    if (filled.length < 2 || filled.length > MAX_OPTIONS || !distinct || filled.some((o) => o.length > 80)) found.add('options');
    if (!Number.isFinite(durationMs) || durationMs < POLL_MIN_MS || durationMs > POLL_MAX_MS) found.add('duration');
    if (atOffsetMs === null || (atOffsetMs !== undefined && atOffsetMs > ctl.room.durationMs)) found.add('moment');
    if (kind === 'multi' && maxChoices > filled.length) found.add('maxChoices');
    return found;
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    const found = check();
    setProblems(found);
    setError(null);
    if (found.size) return;
    const input: NewPoll = { question: question.trim(), options: filled, kind, durationMs, resultsVisibility: visibility };
    if (kind === 'multi') input.maxChoices = maxChoices;
    if (atOffsetMs !== undefined && atOffsetMs !== null) input.atOffsetMs = atOffsetMs;
    setBusy(true);
    try {
      await ctl.polls.create(input);
      onDone();
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0);
      const fields = apiError.fieldProblems().map((p) => problemOf(p.path));
      if (fields.length) setProblems(new Set(fields));
      else setError(apiError);
    } finally {
      setBusy(false);
    }
  }

  const note = (p: Problem) =>
    problems.has(p) && (
      <p class="field__message field__message--error" role="alert">
        {t(`polls.staff.problems.${p}`)}
      </p>
    );
  const setOption = (i: number, v: string) => setOptions(options.map((o, j) => (j === i ? v : o)));
  return (
    <form class="pollform" onSubmit={submit} data-testid="poll-form" noValidate>
      <label class="field">
        <span class="field__label">{t('polls.staff.question')}</span>
        <input class="field__input" type="text" maxLength={200} value={question} placeholder={t('polls.staff.questionPlaceholder')} onInput={(e) => setQuestion(e.currentTarget.value)} data-testid="poll-question-input" />
      </label>
      {note('question')}
      <fieldset class="pollform__set">
        <legend class="field__label">{t('polls.staff.options')}</legend>
        {options.map((o, i) => (
          <div key={i} class="pollform__option">
            <input class="field__input" type="text" maxLength={80} value={o} aria-label={t('polls.staff.option', { n: i + 1 })} placeholder={t('polls.staff.option', { n: i + 1 })} onInput={(e) => setOption(i, e.currentTarget.value)} data-testid="poll-option-input" />
            {options.length > 2 && (
              <button type="button" class="button button--ghost button--small" onClick={() => setOptions(options.filter((_, j) => j !== i))} aria-label={t('polls.staff.removeOption', { n: i + 1 })}>
                ×
              </button>
            )}
          </div>
        ))}
        {options.length < MAX_OPTIONS && (
          <button type="button" class="button button--small button--ghost pollform__add" onClick={() => setOptions([...options, ''])} data-testid="poll-add-option">
            + {t('polls.staff.addOption')}
          </button>
        )}
      </fieldset>
      {note('options')}
      <div class="pollform__row">
        <span class="field__label">{t('polls.staff.kind')}</span>
        <Segmented<'single' | 'multi'> label={t('polls.staff.kind')} value={kind} items={[['single', t('polls.staff.single')], ['multi', t('polls.staff.multi')]]} onPick={setKind} testId="poll-kind" />
        {kind === 'multi' && (
          <label class="pollform__inline">
            {t('polls.staff.maxChoices')}
            <select class="field__input pollform__small" value={maxChoices} onChange={(e) => setMaxChoices(Number(e.currentTarget.value))} data-testid="poll-max-choices">
              {Array.from({ length: Math.max(1, filled.length, 2) }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {note('maxChoices')}
      <div class="pollform__row">
        <span class="field__label">{t('polls.staff.duration')}</span>
        <Segmented<Preset> label={t('polls.staff.duration')} value={preset} items={[...presets.map(([p]) => [p, t(`polls.staff.presets.${p}`)] as [Preset, string]), ['custom', t('polls.staff.presets.custom')]]} onPick={setPreset} testId="poll-duration" />
        {preset === 'custom' && (
          <input class="field__input pollform__small" type="number" min={10} max={1800} value={customS} aria-label={t('polls.staff.seconds')} title={t('polls.staff.seconds')} onInput={(e) => setCustomS(e.currentTarget.value)} data-testid="poll-custom-seconds" />
        )}
      </div>
      {note('duration')}
      <div class="pollform__row">
        <span class="field__label">{t('polls.staff.results')}</span>
        <Segmented<'live' | 'after_close'> label={t('polls.staff.results')} value={visibility} items={[['live', t('polls.staff.live')], ['after_close', t('polls.staff.afterClose')]]} onPick={setVisibility} testId="poll-visibility" />
      </div>
      <label class="field">
        <span class="field__label">{t('polls.staff.at')}</span>
        <input class="field__input pollform__moment" type="text" inputMode="numeric" placeholder="mm:ss" value={moment} onInput={(e) => setMoment(e.currentTarget.value)} data-testid="poll-at" />
        <span class="field__message">{t('polls.staff.atHint', { now: formatClock(ctl.livePositionMs()) })}</span>
      </label>
      {note('moment')}
      <ErrorBanner error={error} />
      <div class="pollform__actions">
        <button type="button" class="button button--small button--ghost" onClick={onDone}>
          {t('polls.staff.cancel')}
        </button>
        <button type="submit" class="button button--small button--primary" disabled={busy} data-testid="poll-create">
          {busy ? t('polls.staff.creating') : t('polls.staff.create')}
        </button>
      </div>
    </form>
  );
}
