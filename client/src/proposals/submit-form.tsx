import { useRef, useState } from 'preact/hooks';
import type { Proposal } from '../../../contracts/proposals.js';
import { PROPOSAL_BODY_MAX } from '../../../contracts/proposals.js';
import type { Room } from '../../../contracts/rooms.js';
import { ApiError } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { useT } from '../i18n.js';
import { checkRequired, type Problem } from '../validation.js';
import { submitProposal } from './api.js';
import { RichTextEditor, type EditorValue } from './editor.js';
import { formatMoment, newDraftKey, parseMoment } from './labels.js';
import { TagsInput } from './tags-input.js';

type FieldName = 'title' | 'body' | 'tags' | 'roomId' | 'moment';
type Problems = Partial<Record<FieldName, Problem>>;

const MAX_MOMENT_MS = 12 * 3600 * 1000;
const serverField: Record<string, FieldName> = { title: 'title', body: 'body', tags: 'tags', roomId: 'roomId', atOffsetMs: 'moment' };

interface SubmitFormProps {
  ip: string;
  /** The franchise's premieres, to pin the proposal to a moment of one. */
  rooms: Room[];
  onSubmitted(proposal: Proposal): void;
}

/**
 * A new story proposal: title, formatted body, tags, and optionally the
 * premiere moment it is about. Each draft carries an idempotency key, reused
 * when a submit is retried and renewed after success, so a double click or a
 * retry after a lost answer never creates two proposals.
 */
export function SubmitForm({ ip, rooms, onSubmitted }: SubmitFormProps) {
  const { t } = useT();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState<EditorValue>({ html: '', text: '' });
  const [tags, setTags] = useState<string[]>([]);
  const [roomId, setRoomId] = useState('');
  const [moment, setMoment] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<Proposal | null>(null);
  const [clearSignal, setClearSignal] = useState(0);
  const draftKey = useRef(newDraftKey());
  const busyRef = useRef(false);
  const room = rooms.find((r) => r.id === roomId);

  const check = (): Problems => {
    const found: Problems = {};
    const titleProblem = checkRequired(title, 120);
    if (titleProblem) found.title = titleProblem;
    if (!body.text) found.body = { key: 'proposals.form.bodyRequired' };
    else if (body.html.length > PROPOSAL_BODY_MAX) found.body = { key: 'proposals.form.bodyTooLong' };
    const ms = parseMoment(moment);
    const limit = room ? room.durationMs : MAX_MOMENT_MS;
    if (ms !== null && (!roomId || Number.isNaN(ms) || ms > limit)) {
      found.moment = { key: roomId ? 'proposals.form.momentInvalid' : 'proposals.form.momentNeedsRoom', values: { max: formatMoment(limit) } };
    }
    return found;
  };

  const focusFirst = (found: Problems) => {
    const first = (['title', 'body', 'tags', 'roomId', 'moment'] as FieldName[]).find((f) => found[f]);
    if (first) document.getElementById(`proposal-${first}`)?.focus();
  };

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busyRef.current) return;
    const found = check();
    setProblems(found);
    setSent(null);
    if (Object.values(found).some(Boolean)) return focusFirst(found);
    busyRef.current = true;
    setBusy(true);
    setError(null);
    try {
      const ms = parseMoment(moment);
      const { proposal } = await submitProposal({
        ip,
        title: title.trim(),
        body: body.html,
        tags,
        ...(roomId ? { roomId } : {}),
        ...(roomId && ms !== null ? { atOffsetMs: ms } : {}),
        idempotencyKey: draftKey.current,
      });
      draftKey.current = newDraftKey();
      setTitle('');
      setTags([]);
      setMoment('');
      setClearSignal((n) => n + 1);
      setSent(proposal);
      onSubmitted(proposal);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0);
      setError(apiError);
      const fromServer: Problems = {};
      for (const { path } of apiError.fieldProblems()) {
        const field = serverField[path.split('.')[0]];
        if (field) fromServer[field] = { key: `proposals.form.server.${field}` };
      }
      setProblems(fromServer);
      focusFirst(fromServer);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  const text = (p: Problem | undefined) => (p ? t(p.key, p.values) : null);
  return (
    <form class="card form pform" onSubmit={onSubmit} noValidate data-testid="proposal-form" aria-labelledby="pform-title">
      <div class="pform__head">
        <h2 id="pform-title" class="card__title">
          {t('proposals.form.title')}
        </h2>
        <p class="pform__ip">{t('proposals.form.forIp', { ip })}</p>
      </div>
      {sent && (
        <div class="banner banner--success" role="status" data-testid="proposal-sent">
          <p class="banner__text">{t('proposals.form.sent', { title: sent.title })}</p>
        </div>
      )}
      <ErrorBanner error={error} onDismiss={() => setError(null)} messages={{ VALIDATION_FAILED: t('proposals.form.fixFields') }} />
      <Field
        id="proposal-title"
        label={t('proposals.form.titleField')}
        hint={t('proposals.form.titleHint')}
        value={title}
        onValue={(v) => setTitle(v)}
        problem={problems.title}
        maxLength={120}
        required
        testId="proposal-title-input"
      />
      <RichTextEditor
        id="proposal-body"
        label={t('proposals.form.body')}
        placeholder={t('proposals.form.bodyPlaceholder')}
        onChange={setBody}
        clearSignal={clearSignal}
        problem={text(problems.body)}
      />
      <TagsInput id="proposal-tags" tags={tags} onTags={setTags} problem={text(problems.tags)} />
      <fieldset class="pform__moment">
        <legend class="field__label">{t('proposals.form.momentLegend')}</legend>
        <div class="form__row">
          <div class={problems.roomId ? 'field field--invalid' : 'field'}>
            <label class="field__label" for="proposal-roomId">
              {t('proposals.form.room')}
            </label>
            <select id="proposal-roomId" class="field__input" value={roomId} onChange={(e) => setRoomId(e.currentTarget.value)} data-testid="proposal-room">
              <option value="">{t('proposals.form.noRoom')}</option>
              {rooms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.title}
                </option>
              ))}
            </select>
          </div>
          <Field
            id="proposal-moment"
            label={t('proposals.form.moment')}
            hint={room ? t('proposals.form.momentHint', { max: formatMoment(room.durationMs) }) : t('proposals.form.momentOptional')}
            value={moment}
            onValue={setMoment}
            problem={problems.moment}
            inputMode="text"
            maxLength={8}
            testId="proposal-moment"
          />
        </div>
      </fieldset>
      <button type="submit" class="button button--primary pform__submit" disabled={busy} data-testid="proposal-submit">
        {busy ? t('proposals.form.busy') : t('proposals.form.submit')}
      </button>
    </form>
  );
}
