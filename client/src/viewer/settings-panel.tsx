import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n.js';
import {
  areaChoices,
  densityChoices,
  fontScales,
  modes,
  resetSettings,
  speedSeconds,
  unhidePerson,
  updateSettings,
  useViewerSettings,
  type FontSize,
  type HiddenPerson,
  type Speed,
} from './settings.js';

/** A row of toggle buttons acting as one choice (big targets for thumbs and remotes). */
function Choice<T extends string | number>(props: { label: string; value: T; options: readonly T[]; text(o: T): string; onChange(v: T): void; testId: string }) {
  return (
    <div class="vset__row">
      <span class="vset__label" id={`${props.testId}-label`}>
        {props.label}
      </span>
      <div class="segmented" role="group" aria-labelledby={`${props.testId}-label`} data-testid={props.testId}>
        {props.options.map((o) => (
          <button key={String(o)} type="button" class="segmented__option" aria-pressed={o === props.value} onClick={() => props.onChange(o)}>
            {props.text(o)}
          </button>
        ))}
      </div>
    </div>
  );
}

/** The people whose comments the viewer hid from the comment list, newest first, each with "Unhide". */
function HiddenPeople({ people }: { people: readonly HiddenPerson[] }) {
  const { t } = useT();
  const section = useRef<HTMLElement>(null);

  function unhide(id: string) {
    unhidePerson(id);
    // The button left with its row: focus the next one (or the section), so Escape still closes the panel.
    requestAnimationFrame(() => (section.current?.querySelector<HTMLElement>('button') ?? section.current)?.focus());
  }

  return (
    <section class="vset__people" ref={section} tabIndex={-1} aria-labelledby="vset-people" data-testid="hidden-people">
      <h3 class="vset__label" id="vset-people">
        {t('viewer.settings.hiddenPeople')}
      </h3>
      {people.length === 0 ? (
        <p class="vset__people-empty" data-testid="hidden-people-empty">
          {t('viewer.settings.hiddenPeopleEmpty')}
        </p>
      ) : (
        <ul class="vset__people-list">
          {[...people].reverse().map((p) => (
            <li key={p.id} class="vset__person" data-testid="hidden-person">
              <span class="vset__person-name">{p.name}</span>
              <button type="button" class="button button--small button--ghost" onClick={() => unhide(p.id)} aria-label={t('viewer.settings.unhidePerson', { name: p.name })} data-testid="unhide-person">
                {t('viewer.settings.unhide')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <span class="field__message">{t('viewer.settings.hiddenPeopleHint')}</span>
    </section>
  );
}

/**
 * The viewer's danmaku settings, inside the player so they work in fullscreen.
 * Changes apply at once and are remembered on this device.
 */
export function SettingsPanel({ onClose }: { onClose(): void }) {
  const { t } = useT();
  const s = useViewerSettings();
  const [words, setWords] = useState(s.blocklist.join('\n'));
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('button, input')?.focus();
  }, []);

  const saveWords = () => updateSettings({ blocklist: words.split('\n') });
  const toggleMode = (mode: (typeof modes)[number]) =>
    updateSettings({ hiddenModes: s.hiddenModes.includes(mode) ? s.hiddenModes.filter((m) => m !== mode) : [...s.hiddenModes, mode] });

  return (
    <div
      class="vset"
      id="viewer-settings"
      ref={panel}
      role="dialog"
      aria-label={t('viewer.settings.title')}
      data-testid="viewer-settings"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div class="vset__head">
        <h2 class="vset__title">{t('viewer.settings.title')}</h2>
        <button type="button" class="ctl ctl--small" onClick={onClose} aria-label={t('viewer.settings.close')} data-testid="settings-close">
          ×
        </button>
      </div>
      <div class="vset__cols">
        <div class="vset__col">
          <div class="vset__row">
            <span class="vset__label" id="vset-modes">
              {t('viewer.settings.show')}
            </span>
            <div class="segmented" role="group" aria-labelledby="vset-modes">
              {modes.map((m) => (
                <button key={m} type="button" class="segmented__option" aria-pressed={!s.hiddenModes.includes(m)} onClick={() => toggleMode(m)} data-testid={`show-${m}`}>
                  {t(`viewer.modes.${m}`)}
                </button>
              ))}
            </div>
          </div>
          <label class="vset__row">
            <span class="vset__label">
              {t('viewer.settings.opacity')} <output class="vset__value">{Math.round(s.opacity * 100)}%</output>
            </span>
            <input type="range" min={20} max={100} step={5} value={Math.round(s.opacity * 100)} onInput={(e) => updateSettings({ opacity: Number(e.currentTarget.value) / 100 })} data-testid="opacity" />
          </label>
          <Choice label={t('viewer.settings.area')} value={s.area} options={areaChoices} text={(a) => `${a}%`} onChange={(area) => updateSettings({ area })} testId="area" />
          <label class="check vset__check">
            <input type="checkbox" checked={s.keepSubtitlesClear} onChange={(e) => updateSettings({ keepSubtitlesClear: e.currentTarget.checked })} />
            {t('viewer.settings.keepSubtitlesClear')}
          </label>
          <Choice<FontSize>
            label={t('viewer.settings.fontSize')}
            value={s.fontSize}
            options={Object.keys(fontScales) as FontSize[]}
            text={(f) => t(`viewer.settings.sizes.${f}`)}
            onChange={(fontSize) => updateSettings({ fontSize })}
            testId="font-size"
          />
          <HiddenPeople people={s.blockedUsers} />
        </div>
        <div class="vset__col">
          <Choice<Speed>
            label={t('viewer.settings.speed')}
            value={s.speed}
            options={Object.keys(speedSeconds) as Speed[]}
            text={(v) => t(`viewer.settings.speeds.${v}`)}
            onChange={(speed) => updateSettings({ speed })}
            testId="speed"
          />
          <Choice
            label={t('viewer.settings.density')}
            value={s.maxPerSecond}
            options={densityChoices}
            text={(n) => (n === 0 ? t('viewer.settings.noLimit') : String(n))}
            onChange={(maxPerSecond) => updateSettings({ maxPerSecond })}
            testId="density-cap"
          />
          <label class="check vset__check">
            <input type="checkbox" checked={s.merge} onChange={(e) => updateSettings({ merge: e.currentTarget.checked })} data-testid="merge" />
            {t('viewer.settings.merge')}
          </label>
          <label class="vset__row vset__row--stack">
            <span class="vset__label">{t('viewer.settings.blocklist')}</span>
            <textarea
              class="field__input vset__words"
              rows={2}
              value={words}
              placeholder={t('viewer.settings.blocklistPlaceholder')}
              onInput={(e) => setWords(e.currentTarget.value)}
              onBlur={saveWords}
              data-testid="blocklist"
            />
            <span class="field__message">{t('viewer.settings.blocklistHint')}</span>
          </label>
        </div>
      </div>
      <div class="vset__foot">
        <button type="button" class="button button--small button--ghost" onClick={() => (saveWords(), resetSettings())} title={t('viewer.settings.resetHint')} data-testid="settings-reset">
          {t('viewer.settings.reset')}
        </button>
        <button type="button" class="button button--small button--primary" onClick={() => (saveWords(), onClose())}>
          {t('viewer.settings.done')}
        </button>
      </div>
    </div>
  );
}
