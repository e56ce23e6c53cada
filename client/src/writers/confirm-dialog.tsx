import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../i18n.js';

interface ConfirmDialogProps {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * A modal confirmation on the native <dialog>: focus moves into it and is kept
 * there, Escape cancels, and focus returns to where it was when it closes.
 */
export function ConfirmDialog({ title, children, confirmLabel, busy = false, onConfirm, onCancel }: ConfirmDialogProps) {
  const { t } = useT();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const el = dialog.current;
    const before = document.activeElement as HTMLElement | null;
    if (el && !el.open) el.showModal();
    return () => {
      if (el?.open) el.close();
      before?.focus?.();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      class="confirm"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      data-testid="confirm-dialog"
    >
      <h2 id="confirm-title" class="confirm__title">
        {title}
      </h2>
      <div class="confirm__body">{children}</div>
      <div class="confirm__actions">
        <button type="button" class="button button--ghost" onClick={onCancel} disabled={busy} data-testid="confirm-cancel">
          {t('writersRoom.cancel')}
        </button>
        <button type="button" class="button button--primary" onClick={onConfirm} disabled={busy} data-testid="confirm-ok">
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
