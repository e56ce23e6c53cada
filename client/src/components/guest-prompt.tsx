import { useT } from '../i18n.js';
import { href, loginPath, registerPath } from '../router.js';

/** "Log in to ..." call to action for guests, returning them here afterwards. */
export function GuestPrompt({ message, returnTo }: { message: string; returnTo: string }) {
  const { t } = useT();
  return (
    <aside class="prompt" data-testid="guest-prompt">
      <p class="prompt__text">{message}</p>
      <div class="prompt__actions">
        <a class="button" href={href(loginPath(returnTo))}>
          {t('nav.login')}
        </a>
        <a class="button button--ghost" href={href(registerPath(returnTo))}>
          {t('login.toRegister')}
        </a>
      </div>
    </aside>
  );
}
