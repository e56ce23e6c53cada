import { useEffect, useState } from 'preact/hooks';
import type { RoomSettings } from '../../../contracts/moderation.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { useLoad } from '../use-load.js';
import { getRoomSettings, putRoomSettings } from './api.js';
import type { TabProps } from './console-nav.js';
import { accountAgePresets, slowModePresets, spanText } from './format.js';
import { GlobalTerms } from './global-terms.js';
import { RoomPicker } from './room-picker.js';
import { TermTest } from './term-test.js';
import { TermsEditor } from './terms-editor.js';
import { useRunner } from './ui.js';

const levels = [0, 1, 2, 3] as const;

/** Preset choices plus the current value when it is something else (set through the API). */
const withCurrent = (presets: readonly number[], value: number) => (presets.includes(value) ? presets : [...presets, value].sort((a, b) => a - b));

function RoomRules({ roomId }: { roomId: string }) {
  const { t } = useT();
  const loaded = useLoad(roomId, (signal) => getRoomSettings(roomId, signal).then((r) => r.settings));
  const [draft, setDraft] = useState<RoomSettings | null>(null);
  const [saved, setSaved] = useState(false);
  const runner = useRunner();

  useEffect(() => {
    if (loaded.state === 'ready') setDraft(loaded.data);
  }, [loaded.state, loaded.data]);

  if (!draft) {
    return (
      <>
        <ErrorBanner error={loaded.error} onRetry={loaded.reload} />
        {loaded.state === 'loading' && (
          <p class="loading" role="status">
            {t('app.loading')}
          </p>
        )}
      </>
    );
  }

  const dirty = JSON.stringify(draft) !== JSON.stringify(loaded.data);
  const change = (patch: Partial<RoomSettings>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };
  const save = (e: Event) => {
    e.preventDefault();
    void runner.run(() => putRoomSettings(roomId, draft)).then((res) => {
      if (!res) return;
      setSaved(true);
      loaded.reload();
    });
  };

  return (
    <form class="mod-rules" onSubmit={save} noValidate data-testid="room-rules">
      <div class="mod-rules__grid">
        <div class="field">
          <label class="field__label" for="rules-slow">
            {t('moderation.rules.slowMode')}
          </label>
          <select id="rules-slow" class="field__input" value={draft.slowModeMs} onChange={(e) => change({ slowModeMs: Number(e.currentTarget.value) })} data-testid="rules-slow">
            {withCurrent(slowModePresets, draft.slowModeMs).map((ms) => (
              <option key={ms} value={ms}>
                {ms === 0 ? t('moderation.rules.slowOff') : t('moderation.rules.slowEvery', { span: spanText(ms, t) })}
              </option>
            ))}
          </select>
          <p class="field__message">{t('moderation.rules.slowHint')}</p>
        </div>
        <div class="field">
          <label class="field__label" for="rules-age">
            {t('moderation.rules.minAge')}
          </label>
          <select id="rules-age" class="field__input" value={draft.minAccountAgeMs} onChange={(e) => change({ minAccountAgeMs: Number(e.currentTarget.value) })} data-testid="rules-age">
            {withCurrent(accountAgePresets, draft.minAccountAgeMs).map((ms) => (
              <option key={ms} value={ms}>
                {ms === 0 ? t('moderation.rules.anyAge') : t('moderation.rules.olderThan', { span: spanText(ms, t) })}
              </option>
            ))}
          </select>
          <p class="field__message">{t('moderation.rules.minAgeHint')}</p>
        </div>
      </div>
      <fieldset class="mod-fieldset">
        <legend class="field__label">{t('moderation.rules.automod')}</legend>
        <div class="mod-levels" role="radiogroup">
          {levels.map((level) => (
            <label key={level} class={draft.automodLevel === level ? 'mod-level mod-level--on' : 'mod-level'}>
              <input type="radio" name="automod" checked={draft.automodLevel === level} onChange={() => change({ automodLevel: level })} data-testid={`automod-${level}`} />
              <span class="mod-level__name">
                <span class="mod-level__num">{level}</span> {t(`moderation.rules.level.${level}.name`)}
              </span>
              <span class="mod-level__text">{t(`moderation.rules.level.${level}.text`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset class="mod-fieldset">
        <legend class="field__label">{t('moderation.rules.roomTerms')}</legend>
        <p class="field__message">{t('moderation.rules.termsHint')}</p>
        <TermsEditor idPrefix="room-terms" terms={draft.blockedTerms} onChange={(blockedTerms) => change({ blockedTerms })} />
      </fieldset>
      <ErrorBanner error={runner.error} onDismiss={runner.clear} />
      <div class="mod-savebar">
        {saved && !dirty && (
          <span class="mod-saved" role="status" data-testid="rules-saved">
            ✓ {t('moderation.rules.saved')}
          </span>
        )}
        {dirty && <span class="mod-unsaved">{t('moderation.rules.unsaved')}</span>}
        <button type="button" class="button button--ghost" disabled={!dirty || runner.busy} onClick={() => setDraft(loaded.data)}>
          {t('moderation.rules.revert')}
        </button>
        <button type="submit" class="button button--primary" disabled={!dirty || runner.busy} data-testid="rules-save">
          {runner.busy ? t('moderation.rules.saving') : t('moderation.rules.save')}
        </button>
      </div>
    </form>
  );
}

/** Room rules (slow mode, account age, automod level, blocked terms), the test box, and the global list. */
export function RulesTab({ rooms, roomId, setRoom }: TabProps) {
  const { t } = useT();
  return (
    <section class="mod-section" aria-labelledby="rules-title" data-testid="rules-tab">
      <header class="mod-section__head">
        <h2 id="rules-title" class="mod-section__title">
          {t('moderation.rules.title')}
        </h2>
      </header>
      <div class="mod-filters">
        <RoomPicker id="rules-room" rooms={rooms} value={roomId} onValue={setRoom} testId="rules-room" />
      </div>
      {roomId ? <RoomRules key={roomId} roomId={roomId} /> : <p class="empty mod-empty">{t('moderation.rules.choose')}</p>}
      <section class="mod-card" aria-labelledby="test-title">
        <h3 id="test-title" class="mod-card__title">
          {t('moderation.test.title')}
        </h3>
        <TermTest roomId={roomId} />
      </section>
      <GlobalTerms />
    </section>
  );
}
