/** Which page a path shows, inside the shared frame; focus and title follow navigation. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Layout } from './components/layout';
import { lazyPage } from './components/lazy';
import { RequireLogin } from './components/require_login';
import { NotFound } from './components/page';
import { onLocaleChange } from './i18n';
import { OfflineNotice } from './offline/notice';
import { ApplicationRoutes } from './pages/application';
import { MessageRoutes } from './pages/messages/routes';
import { ProfileRoutes } from './pages/profile';
import { Applications, Enrolments, Home, Login, ProgramDetail, Programs } from './pages/registrant';
import { isStaffPath, match, useLocation } from './router';

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load();
    loading.catch(() => (loading = undefined));
    return loading;
  };
}

// The registrant pages are in the app's own code (one chunk, inline in index.html); the staff
// console is a chunk of its own, loaded on staff.html only.
const loadStaff = once(async () => (await import('./staff/console')).StaffConsole);
const StaffConsole = lazyPage(loadStaff);

/** Start loading the code of the page at ``path`` (the staff console's), in parallel with its data. */
export function preloadRoute(path: string): void {
  if (isStaffPath(path)) loadStaff().catch(() => undefined); // the page shows the failure and a way to retry
}

function registrantPage(path: string, query: URLSearchParams) {
  if (path === '/') return <Home />;
  if (path === '/login') return <Login next={query.get('next') ?? '/programs'} expired={query.get('expired') === '1'} />;
  if (path === '/programs') return <Programs />;
  if (path === '/status' || path === '/messages' || path === '/me/contacts' || path.startsWith('/r/')) return <MessageRoutes path={path} />;
  let params = match('/programs/:id', path);
  if (params) return <ProgramDetail id={params.id} />;
  if (path === '/applications')
    return (
      <RequireLogin path={path}>
        <Applications />
      </RequireLogin>
    );
  if (path.startsWith('/applications/'))
    return (
      <RequireLogin path={path}>
        <ApplicationRoutes path={path} query={query} />
      </RequireLogin>
    );
  if (path === '/enrolments')
    return (
      <RequireLogin path={path}>
        <Enrolments />
      </RequireLogin>
    );
  if (path === '/me' || path.startsWith('/me/'))
    return (
      <RequireLogin path={path}>
        <ProfileRoutes path={path} />
      </RequireLogin>
    );
  return <NotFound />;
}

export function App() {
  const { path, query } = useLocation();
  const [, setLocaleTick] = useState(0);
  const first = useRef(true);
  useEffect(() => onLocaleChange(() => setLocaleTick((n) => n + 1)), []);
  useEffect(() => {
    // After in-app navigation, put focus where a screen reader user expects the new page to
    // start (its heading); on the first load leave it alone so the skip link comes first.
    if (first.current) {
      first.current = false;
      return;
    }
    // Pages fill in after their data arrives: wait a little for the heading before settling for
    // the main area.
    let tries = 0;
    let id = 0;
    const settle = () => {
      if (document.querySelector('.govuk-error-summary')?.contains(document.activeElement)) return;
      const heading = document.querySelector<HTMLElement>('main h1');
      if (!heading && tries++ < 20) {
        id = window.setTimeout(settle, 100);
        return;
      }
      const target = heading ?? document.getElementById('main-content');
      if (!target) return;
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: false });
    };
    id = window.setTimeout(settle, 0);
    return () => window.clearTimeout(id);
  }, [path]);
  const staff = isStaffPath(path);
  return (
    <Layout path={path} staff={staff}>
      {!staff && <OfflineNotice />}
      {staff ? <StaffConsole path={path} query={query} /> : registrantPage(path, query)}
    </Layout>
  );
}
