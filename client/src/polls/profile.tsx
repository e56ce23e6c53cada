import { useEffect, useRef, useState } from 'preact/hooks';
import type { Profile } from '../../../contracts/polls.js';
import { ApiError } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { createStore, useStore } from '../store.js';
import { getProfile, updateProfile } from './api.js';

const dialogOpen = createStore(false);
const genders = ['female', 'male', 'nonbinary', 'other'] as const;
const MAX_YEAR = 2025;

/** Opens the "About you" dialog (mounted once by the polls side panel). */
export function openProfile(): void {
  dialogOpen.set(true);
}

type Values = { birthYear: string; region: string; gender: string };
const toValues = (p: Profile): Values => ({ birthYear: p.birthYear?.toString() ?? '', region: p.region ?? '', gender: p.gender ?? '' });

/**
 * "About you": optional birth year, region and gender, used only for results
 * by segment. Everything may be left empty or cleared; nothing is required.
 */
export function ProfileDialog() {
  const { t } = useT();
  const open = useStore(dialogOpen);
  const dialog = useRef<HTMLDialogElement>(null);
  const [values, setValues] = useState<Values>({ birthYear: '', region: '', gender: '' });
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
    if (!open) return;
    setSaved(false);
    setError(null);
    setLoaded(false);
    const ctl = new AbortController();
    // The fields wait for what is saved, so nothing typed meanwhile is overwritten.
    getProfile(ctl.signal).then(
      (r) => (setValues(toValues(r.profile)), setLoaded(true)),
      (err: unknown) => (err instanceof ApiError && setError(err), setLoaded(true)),
    );
    return () => ctl.abort();
  }, [open]);

  const year = values.birthYear.trim();
  const badYear = year !== '' && !(/^\d{4}$/.test(year) && Number(year) >= 1900 && Number(year) <= MAX_YEAR);

  async function save(patch: Partial<Profile>) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const { profile } = await updateProfile(patch);
      setValues(toValues(profile));
      setSaved(true);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: Event) {
    e.preventDefault();
    if (badYear || busy) return;
    const gender = genders.find((g) => g === values.gender) ?? null;
    void save({ birthYear: year ? Number(year) : null, region: values.region.trim() || null, gender });
  }

  const set = (field: keyof Values) => (e: Event) => setValues({ ...values, [field]: (e.currentTarget as HTMLInputElement).value });
  return (
    <dialog ref={dialog} class="profile-dialog" onClose={() => dialogOpen.set(false)} aria-labelledby="profile-title" data-testid="profile-dialog">
      <form class="profile-dialog__form" onSubmit={submit}>
        <fieldset class="profile-dialog__fields" disabled={!loaded}>
        <h2 id="profile-title" class="profile-dialog__title">
          {t('polls.profile.title')}
        </h2>
        <p class="profile-dialog__intro">{t('polls.profile.intro')}</p>
        <div class="profile-dialog__row">
          <label class="field">
            <span class="field__label">{t('polls.profile.birthYear')}</span>
            <input class="field__input" type="text" inputMode="numeric" maxLength={4} value={values.birthYear} onInput={set('birthYear')} aria-invalid={badYear || undefined} data-testid="profile-birth-year" />
          </label>
          <label class="field">
            <span class="field__label">{t('polls.profile.gender')}</span>
            <select class="field__input" value={values.gender} onChange={set('gender')} data-testid="profile-gender">
              <option value="">{t('polls.profile.genders.unset')}</option>
              {genders.map((g) => (
                <option key={g} value={g}>
                  {t(`polls.profile.genders.${g}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {badYear && <p class="field__message field__message--error">{t('polls.profile.badYear', { max: MAX_YEAR })}</p>}
        <label class="field">
          <span class="field__label">{t('polls.profile.region')}</span>
          <input class="field__input" type="text" maxLength={40} value={values.region} placeholder={t('polls.profile.regionHint')} onInput={set('region')} data-testid="profile-region" />
        </label>
        </fieldset>
        <ErrorBanner error={error} />
        {saved && (
          <p class="profile-dialog__saved" role="status" data-testid="profile-saved">
            {t('polls.profile.saved')}
          </p>
        )}
        <div class="profile-dialog__actions">
          <button type="button" class="button button--ghost button--small" disabled={busy} onClick={() => void save({ birthYear: null, region: null, gender: null })}>
            {t('polls.profile.clear')}
          </button>
          <span class="pollcard__spacer" />
          <button type="button" class="button button--small" onClick={() => dialogOpen.set(false)}>
            {t('polls.profile.close')}
          </button>
          <button type="submit" class="button button--primary button--small" disabled={busy || badYear} data-testid="profile-save">
            {busy ? t('polls.profile.saving') : t('polls.profile.save')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
