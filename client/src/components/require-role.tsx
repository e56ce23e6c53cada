import type { ComponentChildren } from 'preact';
import type { Role } from '../../../contracts/auth.js';
import { formatList } from '../format.js';
import { useT } from '../i18n.js';
import { href, loginPath, useRoute } from '../router.js';
import { hasRole, useSession } from '../session.js';
import { Page } from './page.js';

/** Shows its children only to the given roles; guests get a log-in prompt. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ComponentChildren }) {
  const { t, lang } = useT();
  const session = useSession();
  const route = useRoute();

  if (session.status === 'loading') {
    return (
      <p class="loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (!session.user) {
    return (
      <Page title={t('guard.loginTitle')} intro={t('guard.loginBody')} testId="login-required">
        <a class="button button--primary" href={href(loginPath(route.path))}>
          {t('nav.login')}
        </a>
      </Page>
    );
  }
  if (!hasRole(session.user, roles)) {
    const names = formatList(
      roles.map((r) => t(`roles.${r}`)),
      lang,
    );
    return (
      <Page title={t('guard.forbiddenTitle')} intro={t('guard.forbiddenBody', { roles: names })} testId="forbidden">
        <a class="button" href={href('/rooms')}>
          {t('notFound.home')}
        </a>
      </Page>
    );
  }
  return <>{children}</>;
}
