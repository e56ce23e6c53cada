import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, isAbort } from '../api.js';
import { useT } from '../i18n.js';

/** Small building blocks shared by the console's tabs. */

/** The current time, refreshed every `everyMs`, so ages like "5 min" keep counting. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Runs one request at a time and keeps its error for a banner. */
export function useRunner() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const busyRef = useRef(false);
  async function run<T>(task: () => Promise<T>): Promise<T | undefined> {
    if (busyRef.current) return undefined;
    busyRef.current = true;
    setBusy(true);
    setError(null);
    try {
      return await task();
    } catch (err) {
      if (!isAbort(err)) setError(err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0));
      return undefined;
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }
  return { busy, error, run, clear: () => setError(null) };
}

interface ModalProps {
  title: string;
  onClose: () => void;
  testId?: string;
  wide?: boolean;
  children: ComponentChildren;
}

/**
 * A modal on the native <dialog>: focus stays inside, Escape (or a TV remote's
 * Back) closes it, and focus returns to whatever opened it.
 */
export function Modal({ title, onClose, testId, wide, children }: ModalProps) {
  const { t } = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const onCancel = (e: Event) => {
      e.preventDefault();
      closeRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={wide ? 'mod-modal mod-modal--wide' : 'mod-modal'}
      aria-labelledby="mod-modal-title"
      data-testid={testId}
      onClick={(e) => e.target === ref.current && onClose()}
    >
      <div class="mod-modal__head">
        <h2 id="mod-modal-title" class="mod-modal__title">
          {title}
        </h2>
        <button type="button" class="button button--small button--ghost" onClick={onClose} aria-label={t('moderation.close')} data-testid="modal-close">
          ×
        </button>
      </div>
      <div class="mod-modal__body">{children}</div>
    </dialog>
  );
}

const reasonPresets = ['spam', 'abuse', 'spoiler', 'offTopic', 'hate', 'sexual'] as const;

interface ReasonFieldProps {
  id: string;
  value: string;
  onValue: (value: string) => void;
  label?: string;
  /** Offer "Looks fine" first: for approving. */
  approving?: boolean;
  /** For toolbars: the label only for screen readers, the input first, smaller chips. */
  compact?: boolean;
  testId?: string;
}

/**
 * The reason every action needs (it goes to the audit log and the person's appeal
 * page): one-tap presets in the moderator's language, or free text up to 500 characters.
 */
export function ReasonField({ id, value, onValue, label, approving, compact, testId }: ReasonFieldProps) {
  const { t } = useT();
  const presets = approving ? (['fine', ...reasonPresets] as const) : reasonPresets;
  const chips = (
    <div class={compact ? 'mod-chips mod-chips--small' : 'mod-chips'} role="group" aria-label={t('moderation.reasonPresets')}>
      {presets.map((key) => {
        const text = t(`moderation.presetReason.${key}`);
        return (
          <button key={key} type="button" class="mod-chip" aria-pressed={value === text} onClick={() => onValue(text)}>
            {text}
          </button>
        );
      })}
    </div>
  );
  const input = (
    <input
      id={id}
      class="field__input"
      value={value}
      maxLength={500}
      onInput={(e) => onValue(e.currentTarget.value)}
      placeholder={t(compact ? 'moderation.reasonPlaceholderShort' : 'moderation.reasonPlaceholder')}
      data-testid={testId}
    />
  );
  return (
    <div class={compact ? 'field mod-reason-field mod-reason-field--compact' : 'field mod-reason-field'}>
      <label class={compact ? 'visually-hidden' : 'field__label'} for={id}>
        {label ?? t('moderation.reasonLabel')}
      </label>
      {compact ? (
        <>
          {input}
          {chips}
        </>
      ) : (
        <>
          {chips}
          {input}
        </>
      )}
    </div>
  );
}

/** A status line for a list: loading, empty, or nothing when there is content. */
export function ListState({ loading, empty, emptyText }: { loading: boolean; empty: boolean; emptyText: string }) {
  const { t } = useT();
  if (loading && empty) {
    return (
      <p class="loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (empty) return <p class="empty mod-empty">{emptyText}</p>;
  return null;
}
