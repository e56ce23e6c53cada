import { useState } from 'preact/hooks';
import type { Poll } from '../../../contracts/polls.js';
import type { Room } from '../../../contracts/rooms.js';
import { ApiError } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { pollFromProposals } from '../proposals/api.js';
import { href } from '../router.js';

const durations = [60_000, 120_000, 300_000, 600_000];

/**
 * "Ask the audience": the franchise's top proposals become a draft poll in one
 * of its premieres. Staff open the poll from the room; the writer is told so
 * and gets a link to the room.
 */
export function AskAudience({ ip, rooms }: { ip: string; rooms: Room[] }) {
  const { t } = useT();
  const candidates = rooms.filter((r) => r.ip === ip && r.status !== 'ended');
  const choices = candidates.length ? candidates : rooms.filter((r) => r.ip === ip);
  const [roomId, setRoomId] = useState('');
  const [count, setCount] = useState(3);
  const [durationMs, setDurationMs] = useState(120_000);
  const [question, setQuestion] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [poll, setPoll] = useState<Poll | null>(null);
  const room = choices.find((r) => r.id === roomId) ?? choices[0];

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (!room || busy) return;
    setBusy(true);
    setError(null);
    setPoll(null);
    try {
      const q = question.trim();
      const res = await pollFromProposals({ roomId: room.id, ip, count, durationMs, ...(q ? { question: q } : {}) });
      setPoll(res.poll);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card wask" aria-labelledby="ask-title" data-testid="ask-audience">
      <h2 id="ask-title" class="card__title">
        {t('writersRoom.ask.title')}
      </h2>
      <p class="note">{t('writersRoom.ask.intro', { ip })}</p>
      {choices.length === 0 ? (
        <p class="note">{t('writersRoom.ask.noRooms')}</p>
      ) : (
        <form class="form" onSubmit={onSubmit} noValidate>
          <ErrorBanner error={error} onDismiss={() => setError(null)} messages={{ CONFLICT: t('writersRoom.ask.notEnough') }} />
          <div class="form__row">
            <div class="field">
              <label class="field__label field__label--small" for="ask-room">
                {t('writersRoom.ask.room')}
              </label>
              <select id="ask-room" class="field__input" value={room?.id} onChange={(e) => setRoomId(e.currentTarget.value)} data-testid="ask-room">
                {choices.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.title} · {t(`status.${r.status}`)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label class="field__label field__label--small" for="ask-count">
                {t('writersRoom.ask.count')}
              </label>
              <select id="ask-count" class="field__input" value={String(count)} onChange={(e) => setCount(Number(e.currentTarget.value))} data-testid="ask-count">
                {[2, 3, 4, 5, 6].map((n) => (
                  <option key={n} value={String(n)}>
                    {t('writersRoom.ask.options', { count: n })}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label class="field__label field__label--small" for="ask-duration">
                {t('writersRoom.ask.duration')}
              </label>
              <select id="ask-duration" class="field__input" value={String(durationMs)} onChange={(e) => setDurationMs(Number(e.currentTarget.value))}>
                {durations.map((ms) => (
                  <option key={ms} value={String(ms)}>
                    {t('time.minutes', { minutes: ms / 60_000 })}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="field">
            <label class="field__label field__label--small" for="ask-question">
              {t('writersRoom.ask.question')}
            </label>
            <input id="ask-question" class="field__input" maxLength={200} value={question} placeholder={t('writersRoom.ask.questionPlaceholder')} onInput={(e) => setQuestion(e.currentTarget.value)} />
          </div>
          <button type="submit" class="button button--primary" disabled={busy} data-testid="ask-submit">
            {busy ? t('writersRoom.ask.busy') : t('writersRoom.ask.submit')}
          </button>
        </form>
      )}
      {poll && (
        <div class="wask__poll" role="status" data-testid="poll-created">
          <p class="wask__question">{poll.question}</p>
          <ol class="wask__options">
            {poll.options.map((o) => (
              <li key={o.id}>{o.text}</li>
            ))}
          </ol>
          <p class="banner banner--warning">{t('writersRoom.ask.created')}</p>
          <a class="button button--small" href={href(`/rooms/${encodeURIComponent(poll.roomId)}`)}>
            {t('writersRoom.ask.openRoom')}
          </a>
        </div>
      )}
    </section>
  );
}
