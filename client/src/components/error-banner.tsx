import type { TFunction } from 'i18next';
import { ApiError, type ClientErrorCode } from '../api.js';
import { useT } from '../i18n.js';

export type ErrorMessages = Partial<Record<ClientErrorCode, string>>;

/** A friendly, translated sentence for a failed request, keyed by its code. */
export function errorText(error: ApiError, t: TFunction, messages: ErrorMessages = {}): string {
  const specific = messages[error.code];
  if (specific) return specific;
  if (error.code === 'RATE_LIMITED' && error.retryAfterS) {
    return t('errors.RATE_LIMITED_wait', { seconds: error.retryAfterS });
  }
  return t(`errors.${error.code}`, { defaultValue: t('errors.UNKNOWN') });
}

interface ErrorBannerProps {
  error: ApiError | null;
  /** Page-specific wording for some codes, e.g. CONFLICT on sign-up means "handle taken". */
  messages?: ErrorMessages;
  onDismiss?: () => void;
  onRetry?: () => void;
}

export function ErrorBanner({ error, messages, onDismiss, onRetry }: ErrorBannerProps) {
  const { t } = useT();
  if (!error) return null;
  return (
    <div class="banner banner--error" role="alert" data-testid="error-banner" data-code={error.code}>
      <span class="banner__icon" aria-hidden="true">!</span>
      <p class="banner__text">{errorText(error, t, messages)}</p>
      <div class="banner__actions">
        {onRetry && (
          <button type="button" class="button button--small" onClick={onRetry}>
            {t('app.retry')}
          </button>
        )}
        {onDismiss && (
          <button
            type="button"
            class="button button--small button--ghost"
            onClick={onDismiss}
            aria-label={t('errors.dismiss')}
            data-testid="error-dismiss"
          >
            ×
          </button>
        )}
      </div>
    </div>
  );
}
