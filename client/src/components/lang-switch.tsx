import { languages, setLanguage, useT } from '../i18n.js';

/** zh-CN / English toggle; the choice is remembered on this device. */
export function LangSwitch() {
  const { t, lang } = useT();
  return (
    <div class="lang-switch" role="group" aria-label={t('nav.language')} data-testid="lang-switch">
      {languages.map((l) => (
        <button
          key={l.code}
          type="button"
          class="lang-switch__option"
          lang={l.code}
          title={l.label}
          aria-pressed={lang === l.code}
          data-testid={`lang-${l.code}`}
          onClick={() => void setLanguage(l.code)}
        >
          {l.short}
        </button>
      ))}
    </div>
  );
}
