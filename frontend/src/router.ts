/** A tiny history router: paths are real URLs (the server falls back to index.html). */
import { useEffect, useState } from 'preact/hooks';

const EVENT = 'ssp:navigate';

export function currentPath(): string {
  return location.pathname;
}

const preparers = new Set<(path: string) => void>();

/** Be told of each path the app is about to show (to start loading its code and data). */
export function onNavigate(prepare: (path: string) => void): () => void {
  preparers.add(prepare);
  return () => preparers.delete(prepare);
}

export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  const path = new URL(to, location.href).pathname;
  if (leavesPage(path)) {
    if (replace) location.replace(to);
    else location.assign(to);
    return;
  }
  preparers.forEach((prepare) => prepare(path));
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const [href, setHref] = useState(location.pathname + location.search);
  useEffect(() => {
    const update = () => setHref(location.pathname + location.search);
    window.addEventListener('popstate', update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  const url = new URL(href, location.origin);
  return { path: url.pathname, query: url.searchParams };
}

/** `/applications/:id/pages/:page` against a path: the named parts, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

/** The staff console's paths: a page of their own (staff.html), the registrant app's being index.html. */
export function isStaffPath(path: string): boolean {
  return path === '/staff' || path.startsWith('/staff/');
}

/** Whether ``path`` is in the other of the two pages: the registrant app (index.html, its code
 * inline, which the console's chunks cannot import) and the staff console (staff.html). Going
 * there loads that page. */
function leavesPage(path: string): boolean {
  return isStaffPath(path) !== isStaffPath(location.pathname);
}

/** In-app links navigate without reloading; /api/* links (login, downloads) and links to the other
 * page (above) are real requests. */
export function interceptLinks(root: Document = document): void {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const href = anchor.getAttribute('href');
    if (!href || !href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/')) return;
    if (leavesPage(new URL(href, location.href).pathname)) return;
    event.preventDefault();
    navigate(href);
  });
}
