import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useCatalogForTests, type Catalog } from '../../i18n';
import en from '../../i18n/en.json';
import type { ConsentStatement } from './loaded';
import { ApplicationRoutes } from './routes';
import { drawingRoot } from '../../test_support/dom';
import { withScreen } from '../../test_support/screen';

const root = drawingRoot();

describe('check your answers with the programme’s statements', () => {
  const health = { id: 'health', text: { en: 'I agree that the health service may confirm my household.' }, required: true };
  const later = { id: 'later', text: { en: 'I agree to be contacted for a survey.' }, required: true };
  // Each test its own programme: the page keeps programmes it has read.
  function serve(programId: string, programConsents: ConsentStatement[][], submit: (body: Record<string, unknown>) => Response, timeline: unknown[] = []) {
    const sent: Record<string, unknown>[] = [];
    let programReads = 0;
    vi.stubGlobal(
      'fetch',
      withScreen(vi.fn(async (url: string, init: RequestInit = {}) => {
        const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
        if (url.endsWith('/submit')) {
          const body = JSON.parse(String(init.body));
          sent.push(body);
          return submit(body);
        }
        if (url.startsWith('/api/applications/')) {
          return json({ application_id: 'a1', program_id: programId, form_id: 'f1', form_version: 1, status: 'draft', answers: { name: 'Amina' }, editable: true, version: 3, timeline });
        }
        if (url.startsWith('/api/forms/')) {
          return json({
            schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
            ui_schema: { pages: [{ id: 'about', title: { en: 'About you' }, fields: ['/name'] }], fields: { '/name': { widget: 'text', label: { en: 'Name' } } } },
          });
        }
        if (url.startsWith('/api/programs/')) return json({ documents: [], consents: programConsents[Math.min(programReads++, programConsents.length - 1)] });
        return json({ items: [] });
      })),
    );
    return sent;
  }
  const send = () => [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Accept and send')!.click();
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  afterEach(() => vi.unstubAllGlobals());

  it('will not send until a required statement is agreed to, then sends the agreement', async () => {
    useCatalogForTests('en', en as Catalog);
    const sent = serve('p-first', [[health]], () => new Response(JSON.stringify({ application_id: 'a1', status: 'submitted' }), { status: 200 }));
    render(<ApplicationRoutes path="/applications/a1/check" query={new URLSearchParams()} />, root);
    await vi.waitFor(() => expect(root.querySelector('#consent-health')).not.toBeNull());
    send();
    await vi.waitFor(() => expect(root.querySelector('.govuk-error-summary a')?.getAttribute('href')).toBe('#consent-health'));
    expect(root.querySelector('#consent-health-error')?.textContent).toContain('Tick the box to agree');
    expect(sent).toEqual([]);
    root.querySelector<HTMLInputElement>('#consent-health')!.click();
    await settle();
    send();
    await vi.waitFor(() => expect(sent.length).toBe(1));
    expect(sent[0]).toEqual({ version: 3, consents: { health: true }, locale: 'en' });
  });

  it('shows a statement the programme added meanwhile when the server refuses without it, on its box', async () => {
    useCatalogForTests('en', en as Catalog);
    const refusal = () => new Response(JSON.stringify({ error: { code: 'validation_failed', message: 'x', fields: { '/consents/later': 'consent_required' } } }), { status: 422 });
    const sent = serve('p-second', [[health], [health, later]], refusal, [{ from: 'info_requested', to: 'draft', at: '2026-01-01T00:00:00+00:00' }, { from: 'draft', to: 'submitted', at: '2026-01-01T00:00:00+00:00', consents: ['health'] }]);
    render(<ApplicationRoutes path="/applications/a1/check" query={new URLSearchParams()} />, root);
    await vi.waitFor(() => expect(root.querySelector<HTMLInputElement>('#consent-health')?.checked).toBe(true));
    send();
    await vi.waitFor(() => expect(root.querySelector('#consent-later-error')?.textContent).toContain('Tick the box to agree'));
    expect(sent[0]).toEqual({ version: 3, consents: { health: true }, locale: 'en' });
    expect(root.querySelector('.govuk-error-summary a')?.getAttribute('href')).toBe('#consent-later');
  });
});
