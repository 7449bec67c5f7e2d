import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCatalogForTests, type Catalog } from '../i18n';
import en from '../i18n/en.json';
import ar from '../i18n/ar.json';
import { setSession } from '../session';
import { ProgramDetail, type Program } from './registrant';

let root: HTMLElement;
beforeEach(() => {
  useCatalogForTests('en', en as Catalog);
  setSession({ authenticated: true, csrf_token: 'x' });
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
  setSession(undefined);
});

function serve(you: Program['you']) {
  const program: Program = { program_id: 'grant', name: { en: 'Child Support Grant' }, accepting: true, you };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => new Response(JSON.stringify(url.startsWith('/api/programs/') ? program : { items: [] }), { status: 200 })),
  );
}

async function shown() {
  render(<ProgramDetail id="grant" />, root);
  await vi.waitFor(() => expect(root.querySelector('h1')?.textContent).toBe('Child Support Grant'));
  return { standing: root.querySelector('#standing')?.textContent ?? '', button: root.querySelector('.govuk-button') };
}

describe('a programme’s page says whether the person can apply and why not', () => {
  it('offers to apply when they can', async () => {
    serve({ can_apply: true, reason: null });
    const { standing, button } = await shown();
    expect(standing).toBe('You can apply');
    expect(button?.tagName).toBe('BUTTON');
    expect(button?.textContent).toBe('Apply now');
  });

  it('says why not, and offers no Apply button, while they must wait', async () => {
    serve({ can_apply: false, reason: 'cooldown', next_possible_at: '2026-09-01T00:00:00+00:00' });
    const { standing, button } = await shown();
    expect(standing).toBe('You cannot apply You can apply again from 1 September 2026');
    expect(button).toBeNull();
  });

  it('links to the application that holds them back, or to their draft', async () => {
    serve({ can_apply: false, reason: 'application_in_progress', blocking_application_id: 'app-1' });
    let { standing, button } = await shown();
    expect(standing).toContain('You already have an application in progress for this programme');
    expect([button?.tagName, button?.getAttribute('href'), button?.textContent]).toEqual(['A', '/applications/app-1', 'View your application']);
    render(null, root);
    serve({ can_apply: false, reason: 'application_in_progress', draft_application_id: 'app-2' });
    ({ button } = await shown());
    expect([button?.getAttribute('href'), button?.textContent]).toEqual(['/applications/app-2', 'Continue your application']);
  });

  it('words a window that has closed in the reader’s language', async () => {
    useCatalogForTests('ar', ar as Catalog);
    serve({ can_apply: false, reason: 'program_window_closed' });
    const { standing } = await shown();
    expect(standing).toContain((ar as Record<string, unknown>)['programs.reason.program_window_closed'] as string);
  });
});
