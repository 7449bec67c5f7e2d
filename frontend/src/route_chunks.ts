/**
 * Which chunk of code each registrant page needs, and the registrant pages' paths: read by the
 * app (App.tsx starts loading a page's chunk with its data) and by the build (vite.config.ts
 * writes dist/page-links.json, from which the server answering a page's HTML names that chunk
 * and the page's reads in a `Link` header, so they are asked for before any script has run).
 * Imports nothing, so that the build can read it.
 */

/** The pages' chunks, each by the module under src/ that App.tsx's dynamic import reaches for. */
export const ROUTE_CHUNKS = {
  application: 'pages/application/routes.tsx',
  profile: 'pages/profile.tsx',
  messages: 'pages/messages/routes.tsx',
  staff: 'staff/console.tsx',
} as const;

export type RouteChunk = keyof typeof ROUTE_CHUNKS;

/** The chunk the page at ``path`` needs beyond the app's own code (none for the pages in it). */
export function routeChunk(path: string): RouteChunk | undefined {
  if (path.startsWith('/applications/')) return 'application';
  if (path === '/me/contacts' || path === '/status' || path === '/messages' || path.startsWith('/r/')) return 'messages';
  if (path === '/me' || path.startsWith('/me/')) return 'profile';
  if (path === '/staff' || path.startsWith('/staff/')) return 'staff';
  return undefined;
}

/**
 * Every registrant page's path, `*` standing for one segment (an id). A request's path takes the
 * first pattern with as many segments whose other segments are the same. The staff console is not
 * here: its reads carry a bearer token that no preload can.
 */
export const PAGE_PATHS = [
  '/',
  '/login',
  '/status',
  '/programs',
  '/programs/*',
  '/applications',
  '/applications/*',
  '/applications/*/pages/*',
  '/applications/*/pages/*/members/*',
  '/applications/*/pages/*/members/*/remove',
  '/applications/*/documents',
  '/applications/*/check',
  '/applications/*/confirmation',
  '/enrolments',
  '/me',
  '/me/edit',
  '/me/submissions',
  '/me/activity',
  '/me/consents',
  '/me/contacts',
  '/messages',
  '/r/*',
] as const;
