/**
 * What each registrant page reads from the API, by its path: read by the app at start and on each
 * navigation (api/prefetch.ts), and named in the page's HTML `Link` header by the build
 * (vite.config.ts, pageLinks), so that the browser asks for them as soon as the HTML arrives.
 */
export type Query = Record<string, string | number | undefined>;

/**
 * Whether the connection is slow (the browser's own estimate: 3G or worse, or data saving on).
 * Only then may the service worker answer a read with its copy from the last visit before the
 * network has: on a good connection a person always sees the current data.
 */
export function slowConnection(): boolean {
  const connection = (navigator as Navigator & { connection?: { effectiveType?: string; saveData?: boolean } }).connection;
  return Boolean(connection && (connection.saveData || ['slow-2g', '2g', '3g'].includes(connection.effectiveType ?? '')));
}

/** The URL under /api that ``api()`` would ask for (the key of a read). */
export function urlOf(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function parts(pattern: string, path: string): string[] | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const found: string[] = [];
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '*') found.push(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return found;
}

/** What the pages read for a path: [API path, query]. Keep in step with the pages' own reads.
 * ``locale`` is the page's language (the build names the English page's reads in its Link header). */
export function readsFor(path: string, locale = 'en'): [string, Query?][] {
  if (path === '/login') return [['/auth/providers']];
  if (path === '/me') return [['/me'], ['/me/change-requests']];
  if (path === '/me/submissions') return [['/me/submissions', { locale }], ['/me/change-requests']];
  if (path === '/programs') return [['/programs']];
  if (path === '/applications') return [['/applications']];
  if (path === '/enrolments') return [['/enrolments']];
  if (path === '/me/edit') return [['/me']];
  if (path === '/me/activity') return [['/me/activity']];
  if (path === '/me/consents') return [['/me/consents']];
  if (path === '/me/contacts') return [['/me/contacts']];
  if (path === '/messages') return [['/me/messages', { limit: '50' }]];
  let found = parts('/programs/*', path);
  if (found) return [[`/programs/${found[0]}`], ['/applications']];
  found = parts('/applications/*', path);
  if (found) return [[`/applications/${found[0]}/screen`]];
  const application = /^\/applications\/([^/]+)\/(pages|documents|check|confirmation)(\/|$)/.exec(path);
  if (application) return [[`/applications/${application[1]}/screen`]];
  return [];
}

