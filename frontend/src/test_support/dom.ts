/** For component tests: the element in the document they draw into. */
import { render } from 'preact';
import { afterEach, beforeEach, vi } from 'vitest';
import { setStaffToken } from '../api/client';
import { useCatalogForTests, type Catalog, type Locale } from '../i18n';
import { setSession } from '../session';

/** An element in the document to draw into; what a test drew there is unmounted after it. */
export function drawingRoot(): HTMLElement {
  const root = document.body.appendChild(document.createElement('div'));
  afterEach(() => render(null, root));
  return root;
}

/** A logged-in person's page in ``locale``: before each test the catalog and the session; after
 * it, the page unmounted, the stubbed globals restored and the session gone. */
export function loggedInRoot(locale: Locale, catalog: Catalog): HTMLElement {
  const root = drawingRoot();
  beforeEach(() => {
    useCatalogForTests(locale, catalog);
    setSession({ authenticated: true, csrf_token: 'x' });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    setSession(undefined);
  });
  return root;
}

/** A staff member signed in to the console, its pages in ``locale``: the catalog and a token
 * before each test; after it, the stubbed globals restored and the token gone. */
export function signedInStaff(locale: Locale, catalog: Catalog): void {
  beforeEach(() => {
    useCatalogForTests(locale, catalog);
    setStaffToken('token');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    setStaffToken(undefined);
  });
}
