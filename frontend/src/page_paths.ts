/**
 * Every registrant page's path, `*` standing for one segment (an id): read by the build
 * (vite.config.ts writes dist/page-links.json, from which the server answering a page's HTML names
 * the page's reads in a `Link` header, so that they are asked for as soon as the HTML arrives).
 * A request's path takes the first pattern with as many segments whose other segments are the
 * same. The staff console is not here: its reads carry a bearer token that no preload can.
 * Imports nothing, so that the build can read it.
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
