import { useState } from 'preact/hooks';
import type { Role } from '../../../contracts/auth.js';
import { ApiError } from '../api.js';
import { useT } from '../i18n.js';
import { href, loginPath, navigate, registerPath, useRoute, type RouteName } from '../router.js';
import { adminRoles, hasRole, signOut, staffRoles, useSession, writerRoles } from '../session.js';
import { ErrorBanner } from './error-banner.js';
import { LangSwitch } from './lang-switch.js';
import { Logo } from './logo.js';

interface NavLink {
  route: RouteName;
  labelKey: string;
  /** Who sees the link; everyone when absent. */
  roles?: readonly Role[];
}

const navLinks: NavLink[] = [
  { route: 'rooms', labelKey: 'nav.rooms' },
  { route: 'proposals', labelKey: 'proposals.nav' },
  { route: 'staff', labelKey: 'nav.staff', roles: staffRoles },
  { route: 'writers', labelKey: 'nav.writers', roles: writerRoles },
  { route: 'admin', labelKey: 'nav.admin', roles: adminRoles },
];

/** The top bar: brand, the pages this person's role can open, language and account. */
export function NavBar() {
  const { t } = useT();
  const session = useSession();
  const route = useRoute();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const user = session.user;

  const links = navLinks.filter((link) => !link.roles || hasRole(user, link.roles));

  // Logging in from a page brings the person back to it afterwards.
  const onAuthPage = route.name === 'login' || route.name === 'register';
  const returnTo = onAuthPage ? undefined : route.path;

  const isCurrent = (link: NavLink) => route.name === link.route || (link.route === 'rooms' && route.name === 'room') || (link.route === 'proposals' && route.name === 'proposal');

  async function onLogout() {
    setBusy(true);
    setError(null);
    try {
      await signOut();
      navigate('/rooms');
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0));
    } finally {
      setBusy(false);
    }
  }

  return (
    <header class="topbar" data-testid="nav-bar">
      <div class="topbar__inner">
        <a class="brand" href={href('/rooms')} data-testid="brand">
          <Logo />
          <span class="brand__name">{t('app.brand')}</span>
        </a>
        <nav class="topbar__nav" aria-label={t('nav.label')}>
          <ul class="nav-links">
            {links.map((link) => (
              <li key={link.route}>
                <a
                  class="nav-links__link"
                  href={href(`/${link.route}`)}
                  aria-current={isCurrent(link) ? 'page' : undefined}
                  data-testid={`nav-${link.route}`}
                >
                  {t(link.labelKey)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="topbar__end">
          <LangSwitch />
          {user ? (
            <div class="account" aria-label={t('nav.account')} role="group">
              <span class="account__name" data-testid="nav-user" title={`@${user.handle}`}>
                {user.displayName}
              </span>
              <span class={`role-badge role-badge--${user.role}`} data-testid="nav-role">
                {t(`roles.${user.role}`)}
              </span>
              <button
                type="button"
                class="button button--small button--ghost"
                onClick={onLogout}
                disabled={busy}
                data-testid="logout"
              >
                {busy ? t('nav.loggingOut') : t('nav.logout')}
              </button>
            </div>
          ) : session.status === 'loading' ? null : (
            <div class="account">
              <a class="button button--small button--ghost" href={href(loginPath(returnTo))} data-testid="nav-login">
                {t('nav.login')}
              </a>
              <a class="button button--small button--primary" href={href(registerPath(returnTo))} data-testid="nav-register">
                {t('nav.register')}
              </a>
            </div>
          )}
        </div>
      </div>
      {error && (
        <div class="topbar__notice">
          <ErrorBanner error={error} onDismiss={() => setError(null)} />
        </div>
      )}
    </header>
  );
}
