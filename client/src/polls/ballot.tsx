import { useState } from 'preact/hooks';
import { useT } from '../i18n.js';
import type { SocketError } from '../viewer/connection.js';
import { voteErrorText } from './labels.js';
import { optionColors } from './logic.js';
import type { PollEntry, RoomPolls } from './room-polls.js';

interface BallotProps {
  entry: PollEntry;
  polls: RoomPolls;
}

/**
 * Voting: big option buttons. Single choice: tap one (it lights up), then
 * confirm. Multiple choice: tick up to maxChoices, then vote. A refusal is
 * explained in the reader's language; votes are final once cast.
 */
export function Ballot({ entry, polls }: BallotProps) {
  const { t } = useT();
  const { poll } = entry;
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SocketError | null>(null);
  const multi = poll.kind === 'multi';
  const full = multi && chosen.length >= poll.maxChoices;

  function toggle(id: string) {
    setError(null);
    if (!multi) return setChosen(chosen[0] === id ? [] : [id]);
    if (chosen.includes(id)) setChosen(chosen.filter((c) => c !== id));
    else if (!full) setChosen([...chosen, id]);
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (busy || chosen.length === 0) return;
    setBusy(true);
    setError(null);
    const ordered = poll.options.map((o) => o.id).filter((id) => chosen.includes(id));
    const res = await polls.vote(poll.id, ordered);
    setBusy(false);
    if (!res.ok) setError(res.error);
  }

  return (
    <form class="ballot" onSubmit={submit} data-testid="poll-ballot" data-kind={poll.kind}>
      <p class="ballot__hint" id={`ballot-hint-${poll.id}`}>
        {multi ? t('polls.multiHint', { count: poll.maxChoices }) : t('polls.singleHint')}
      </p>
      <div class="ballot__options" role="group" aria-describedby={`ballot-hint-${poll.id}`}>
        {poll.options.map((o, i) => {
          const on = chosen.includes(o.id);
          const style = { '--bar': optionColors[i % optionColors.length] };
          if (multi) {
            const blocked = full && !on;
            return (
              <label key={o.id} class={`ballot__option${on ? ' ballot__option--on' : ''}${blocked ? ' ballot__option--blocked' : ''}`} style={style}>
                <input type="checkbox" checked={on} disabled={busy || blocked} onChange={() => toggle(o.id)} data-testid="poll-option" data-option-id={o.id} />
                <span class="ballot__text">{o.text}</span>
              </label>
            );
          }
          return (
            <button
              key={o.id}
              type="button"
              class={`ballot__option${on ? ' ballot__option--on' : ''}`}
              style={style}
              aria-pressed={on}
              disabled={busy}
              onClick={() => toggle(o.id)}
              data-testid="poll-option"
              data-option-id={o.id}
            >
              <span class="ballot__radio" aria-hidden="true" />
              <span class="ballot__text">{o.text}</span>
            </button>
          );
        })}
      </div>
      <div class="ballot__foot">
        {multi && (
          <span class="ballot__count" aria-live="polite">
            {t('polls.chosen', { count: chosen.length, max: poll.maxChoices })}
          </span>
        )}
        <button type="submit" class="button button--primary ballot__submit" disabled={busy || chosen.length === 0} data-testid="poll-vote">
          {busy ? t('polls.sending') : multi ? t('polls.vote') : t('polls.confirm')}
        </button>
      </div>
      {error && (
        <p class="ballot__error" role="alert" data-testid="poll-error" data-code={error.code}>
          {voteErrorText(error, t)}
        </p>
      )}
    </form>
  );
}
