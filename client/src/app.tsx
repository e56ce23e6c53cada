import { ErrorBanner } from './components/error-banner.js';
import { NavBar } from './components/nav-bar.js';
import { useT } from './i18n.js';
import { AdminPage } from './pages/admin.js';
import { LoginPage } from './pages/login.js';
import { NotFoundPage } from './pages/not-found.js';
import { ProposalPage, ProposalsPage } from './pages/proposals.js';
import { RegisterPage } from './pages/register.js';
import { RoomPage } from './pages/room.js';
import { RoomsPage } from './pages/rooms.js';
import { StaffPage } from './pages/staff.js';
import { WritersPage } from './pages/writers.js';
import { useRoute, type Route } from './router.js';
import { loadSession, useSession } from './session.js';

function CurrentPage({ route }: { route: Route }) {
  switch (route.name) {
    case 'rooms':
      return <RoomsPage />;
    case 'room':
      return <RoomPage key={route.params.id} id={route.params.id ?? ''} />;
    case 'login':
      return <LoginPage />;
    case 'register':
      return <RegisterPage />;
    case 'staff':
      return <StaffPage />;
    case 'writers':
      return <WritersPage />;
    case 'admin':
      return <AdminPage />;
    case 'proposals':
      return <ProposalsPage />;
    case 'proposal':
      return <ProposalPage key={route.params.id} id={route.params.id ?? ''} />;
    default:
      return <NotFoundPage />;
  }
}

/** The skip link moves focus without touching the hash, which the router owns. */
function skipToContent(e: Event): void {
  e.preventDefault();
  document.getElementById('main')?.focus();
}

/** The shell: skip link, top bar, the current page, footer. */
export function App() {
  const { t } = useT();
  const route = useRoute();
  const session = useSession();
  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={skipToContent}>
        {t('app.skipToContent')}
      </a>
      <NavBar />
      <main id="main" class="main" tabIndex={-1}>
        {session.status === 'offline' && (
          <div class="main__notice">
            <ErrorBanner
              error={session.error}
              messages={{ [session.error.code]: t('app.sessionFailed') }}
              onRetry={() => void loadSession()}
            />
          </div>
        )}
        <CurrentPage key={route.name} route={route} />
      </main>
      <footer class="footer">
        <p>{t('app.footer')}</p>
      </footer>
    </div>
  );
}
