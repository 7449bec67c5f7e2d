// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { pageLinks } from '../vite.config';
import { readsFor, urlOf } from './api/page_reads';
import { PAGE_PATHS } from './page_paths';

/** The Link header for a path, matched as the portal and CloudFront match it. */
function headerFor(links: Record<string, string>, path: string): string | undefined {
  const segments = path.split('/');
  for (const pattern of links.patterns.split(' ')) {
    const wanted = pattern.split('/');
    if (wanted.length !== segments.length) continue;
    const ids = segments.filter((_, i) => wanted[i] === '*');
    if (wanted.every((want, i) => want === '*' || want === segments[i])) return links[pattern].replace(/\{(\d+)\}/g, (_m, n: string) => ids[Number(n) - 1]);
  }
  return undefined;
}

const fetched = (header: string | undefined) => [...(header ?? '').matchAll(/<([^>]+)>; rel=preload; as=fetch; crossorigin/g)].map((m) => m[1]);

describe('page-links.json (the Link header of each page)', () => {
  const links = pageLinks();
  const pages = [
    '/',
    '/login',
    '/status',
    '/programs',
    '/programs/child-support-grant',
    '/applications',
    '/applications/app-1',
    '/applications/app-1/pages/household',
    '/applications/app-1/pages/household/members/2',
    '/applications/app-1/documents',
    '/applications/app-1/check',
    '/applications/app-1/confirmation',
    '/enrolments',
    '/me',
    '/me/edit',
    '/me/submissions',
    '/me/activity',
    '/me/consents',
    '/me/contacts',
    '/messages',
    '/r/EM8-7VE-D2V',
  ];

  it('names exactly the reads the app takes on each page, and the session', () => {
    for (const path of pages) {
      const reads = readsFor(path).map(([api, query]) => `/api${urlOf(api, query)}`);
      expect(fetched(headerFor(links, path)), path).toEqual([...reads, '/api/session']);
    }
  });

  it('names the data each page shows first', () => {
    expect(fetched(headerFor(links, '/applications/app-1/pages/household'))).toEqual(['/api/applications/app-1/screen', '/api/session']);
    expect(fetched(headerFor(links, '/me/contacts'))).toEqual(['/api/me/contacts', '/api/session']);
    expect(fetched(headerFor(links, '/messages'))).toEqual(['/api/me/messages?limit=50', '/api/session']);
  });

  it('covers every registrant page, and nothing else', () => {
    for (const path of pages) expect(headerFor(links, path), path).toBeDefined();
    for (const path of ['/me/', '/staff', '/applications/app-1/unknown']) expect(headerFor(links, path), path).toBeUndefined();
    expect(PAGE_PATHS).not.toContain('/staff');
  });

  it('fits CloudFront key value store values', () => {
    for (const [key, value] of Object.entries(links)) {
      expect(key.length).toBeLessThanOrEqual(512);
      expect(value.length).toBeLessThanOrEqual(1024);
    }
  });
});
