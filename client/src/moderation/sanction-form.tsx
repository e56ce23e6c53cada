import { useState } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { act, type UserAction } from './api.js';
import { durationPresets, spanText } from './format.js';
import { ReasonField, useRunner } from './ui.js';

/** Actions that last for a while (or forever); the others lift them. */
const timed: readonly UserAction[] = ['mute', 'ban', 'shadow_mute'];

interface SanctionFormProps {
  action: UserAction;
  userId: string;
  userName: string;
  /** The room the moderator is looking at: offered as the scope "this room". */
  roomId?: string | null;
  roomTitle?: string;
  onDone: (summary: string) => void;
  onCancel: () => void;
}

/**
 * Mute, ban, shadow mute (with a length: 10 s .. 7 d or permanent) or lift them,
 * in this room or everywhere, with a reason for the audit log and any appeal.
 */
export function SanctionForm({ action, userId, userName, roomId, roomTitle, onDone, onCancel }: SanctionFormProps) {
  const { t } = useT();
  const isTimed = timed.includes(action);
  const [durationMs, setDurationMs] = useState<number | null>(action === 'mute' ? 10 * 60_000 : null);
  const [scope, setScope] = useState<'room' | 'everywhere'>(roomId ? 'room' : 'everywhere');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const runner = useRunner();
  const prefix = `sanction-${action}`;

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const why = reason.trim();
    if (!why) {
      setMissing(true);
      document.getElementById(`${prefix}-reason`)?.focus();
      return;
    }
    void runner
      .run(() =>
        act({
          targetType: 'user',
          targetId: userId,
          action,
          reason: why,
          durationMs: isTimed && durationMs !== null ? durationMs : undefined,
          roomId: scope === 'room' && roomId ? roomId : undefined,
        }),
      )
      .then((res) => {
        if (!res) return;
        const where = scope === 'room' && roomId ? t('moderation.sanction.inRoom', { room: roomTitle ?? '' }) : t('moderation.sanction.everywhere');
        onDone(t(`moderation.sanction.done.${action}`, { name: userName, span: isTimed ? spanText(durationMs, t) : '', where }));
      });
  };

  return (
    <form class="mod-sanction" onSubmit={onSubmit} noValidate data-testid="sanction-form" data-action={action}>
      <ErrorBanner error={runner.error} onDismiss={runner.clear} />
      {isTimed && (
        <fieldset class="mod-fieldset">
          <legend class="field__label">{t('moderation.sanction.duration')}</legend>
          <div class="mod-chips" role="radiogroup">
            {durationPresets.map((ms) => (
              <button
                key={String(ms)}
                type="button"
                role="radio"
                class="mod-chip mod-chip--solid"
                aria-checked={durationMs === ms}
                onClick={() => setDurationMs(ms)}
                data-testid={`duration-${ms ?? 'permanent'}`}
              >
                {spanText(ms, t)}
              </button>
            ))}
          </div>
        </fieldset>
      )}
      <fieldset class="mod-fieldset">
        <legend class="field__label">{t('moderation.sanction.scope')}</legend>
        <div class="mod-radios">
          {roomId && (
            <label class="check">
              <input type="radio" name={`${prefix}-scope`} checked={scope === 'room'} onChange={() => setScope('room')} data-testid="scope-room" />
              {t('moderation.sanction.thisRoom', { room: roomTitle ?? '' })}
            </label>
          )}
          <label class="check">
            <input type="radio" name={`${prefix}-scope`} checked={scope === 'everywhere'} onChange={() => setScope('everywhere')} data-testid="scope-everywhere" />
            {t('moderation.sanction.everywhere')}
          </label>
        </div>
      </fieldset>
      <ReasonField id={`${prefix}-reason`} value={reason} onValue={(v) => (setReason(v), setMissing(false))} testId="sanction-reason" />
      {missing && <p class="field__message field__message--error">{t('moderation.reasonNeeded')}</p>}
      <div class="mod-form-actions">
        <button type="button" class="button button--ghost" onClick={onCancel}>
          {t('moderation.cancel')}
        </button>
        <button type="submit" class={`button ${action === 'unmute' || action === 'unban' ? 'button--primary' : 'mod-remove'}`} disabled={runner.busy} data-testid="sanction-submit">
          {t(`moderation.sanction.submit.${action}`, { name: userName })}
        </button>
      </div>
    </form>
  );
}
