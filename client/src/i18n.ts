import i18next, { type TFunction } from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import type { ErrorCode } from '../../contracts/errors.js';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import enProposals from './locales/en.proposals.json';
import zhCNProposals from './locales/zh-CN.proposals.json';
import enModeration from './locales/en.moderation.json';
import zhCNModeration from './locales/zh-CN.moderation.json';
import enPolls from './locales/en.polls.json';
import zhCNPolls from './locales/zh-CN.polls.json';

// Every error code the server can send needs a message in each language: checked when compiling.
const errorMessages: Array<Record<ErrorCode, string>> = [en.errors, zhCN.errors];
void errorMessages;

export const languages = [
  { code: 'en', label: 'English', short: 'EN' },
  { code: 'zh-CN', label: '简体中文', short: '中文' },
] as const;

export type Language = (typeof languages)[number]['code'];

const storageKey = 'lotus.lang';

function isLanguage(value: unknown): value is Language {
  return languages.some((l) => l.code === value);
}

function readStored(): Language | null {
  try {
    const stored = localStorage.getItem(storageKey);
    return isLanguage(stored) ? stored : null;
  } catch {
    return null;
  }
}

/** The saved choice, else the browser's preference: any Chinese variant gets zh-CN. */
export function detectLanguage(): Language {
  const stored = readStored();
  if (stored) return stored;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const lower = (tag ?? '').toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export const i18n = i18next.createInstance();

function applyToDocument(lang: string): void {
  document.documentElement.lang = lang;
  document.title = i18n.t('app.title');
}

export async function initI18n(): Promise<void> {
  await i18n.init({
    // Feature screens (proposals, moderation, polls) keep their strings in their own files, merged in as top-level keys.
    resources: { en: { translation: { ...en, ...enProposals, ...enModeration, ...enPolls } }, 'zh-CN': { translation: { ...zhCN, ...zhCNProposals, ...zhCNModeration, ...zhCNPolls } } },
    lng: detectLanguage(),
    fallbackLng: 'en',
    supportedLngs: languages.map((l) => l.code),
    load: 'currentOnly',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyToDocument(i18n.language);
  i18n.on('languageChanged', applyToDocument);
}

export async function setLanguage(lang: Language): Promise<void> {
  try {
    localStorage.setItem(storageKey, lang);
  } catch {
    // Private mode or storage disabled: the choice lasts for this visit only.
  }
  await i18n.changeLanguage(lang);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

/** The translate function; re-renders the component when the language changes. */
export function useT(): { t: TFunction; lang: Language } {
  const [lang, setLang] = useState<Language>(currentLanguage);
  useEffect(() => {
    const onChange = () => setLang(currentLanguage());
    i18n.on('languageChanged', onChange);
    onChange();
    return () => i18n.off('languageChanged', onChange);
  }, []);
  return { t: i18n.t, lang };
}
