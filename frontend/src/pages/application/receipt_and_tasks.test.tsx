import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { useCatalogForTests, type Catalog } from '../../i18n';
import en from '../../i18n/en.json';
import { drawingRoot } from '../../test_support/dom';
import { ApplicationRoutes } from './routes';

const root = drawingRoot();
afterEach(() => vi.unstubAllGlobals());

const FORM = {
  schema: { type: 'object', required: ['name', 'size'], properties: { name: { type: 'string' }, size: { type: 'integer' } } },
  ui_schema: {
    pages: [
      { id: 'about', title: { en: 'About you' }, fields: ['/name'] },
      { id: 'home', title: { en: 'Your household' }, fields: ['/size'] },
    ],
    fields: { '/name': { widget: 'text', label: { en: 'Name' } }, '/size': { widget: 'number', label: { en: 'People' } } },
  },
};

function serve(application: Record<string, unknown>, rules: unknown[] = [{ kind: 'id_card', label: { en: 'ID card' }, required: true }], documents: unknown[] = [], calls: string[] = []) {
  const program = `p-${Math.random()}`;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      calls.push(`${init.method ?? 'GET'} ${url}`);
      if (init.method === 'DELETE') return new Response(null, { status: 204 });
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
      const whole = { application_id: 'a1', program_id: program, program_name: { en: 'Child Support Grant' }, form_id: 'f1', form_version: 1, version: 1, ...application };
      // One read of everything a screen shows (or, before it, the application, form and programme apart).
      if (url.includes('/screen')) return json({ application: whole, form: FORM, program: { documents: rules, consents: [] }, documents });
      if (url.startsWith('/api/documents?application_id')) return json({ items: documents });
      if (url.startsWith('/api/applications/')) return json(whole);
      if (url.startsWith('/api/forms/')) return json(FORM);
      if (url.startsWith('/api/programs/')) return json({ documents: rules, consents: [] });
      return json({ items: [] });
    }),
  );
}

async function show(path: string, until: string) {
  render(<ApplicationRoutes path={path} query={new URLSearchParams()} />, root);
  await vi.waitFor(() => expect(root.textContent).toContain(until));
}

describe('the task list', () => {
  it('counts sections as the pages number them, says "Not yet started" for a page only the ID filled, and offers a way on', async () => {
    useCatalogForTests('en', en as Catalog);
    serve({ status: 'draft', editable: true, answers: { name: 'Amina' }, read_only: ['/name'] });
    await show('/applications/a1', 'Your application');
    expect(root.querySelector('[role=status]')?.textContent).toBe('You have completed 1 of 3 sections');
    const statuses = [...root.querySelectorAll('.govuk-task-list__status')].map((s) => s.textContent);
    expect(statuses).toEqual(['Completed', 'Not yet started', 'Not yet started']);
    const go = root.querySelector<HTMLAnchorElement>('#continue-application');
    expect([go?.textContent, go?.getAttribute('href')]).toEqual(['Continue', '/applications/a1/pages/home']);
  });

  it('a new draft offers to start, not only to withdraw', async () => {
    useCatalogForTests('en', en as Catalog);
    serve({ status: 'draft', editable: true, answers: {} });
    await show('/applications/a1', 'Your application');
    expect(root.textContent).toContain('You have completed 0 of 3 sections');
    expect(root.querySelector('#continue-application')?.textContent).toBe('Start your application');
  });
});

describe('a sent application', () => {
  it('Back to one of its question pages lands on its status page, which says why', async () => {
    useCatalogForTests('en', en as Catalog);
    serve({ status: 'submitted', editable: false, reference: 'EM8-7VE-D2V', answers: { name: 'Amina', size: 3 }, timeline: [] });
    history.replaceState(null, '', '/applications/a1/pages/about');
    render(<ApplicationRoutes path="/applications/a1/pages/about" query={new URLSearchParams()} />, root);
    await vi.waitFor(() => expect(location.pathname).toBe('/applications/a1'));
    render(<ApplicationRoutes path="/applications/a1" query={new URLSearchParams()} />, root);
    await vi.waitFor(() => expect(root.querySelector('#sent-notice')?.textContent).toContain('can no longer be changed'));
  });

  it('"Send the information asked for" is a link to the task', async () => {
    useCatalogForTests('en', en as Catalog);
    serve({ status: 'info_requested', editable: true, reference: 'EM8', answers: { name: 'Amina', size: 3 }, timeline: [{ from: 'under_review', to: 'info_requested', at: '2031-06-06T10:00:00Z', reason: 'The photo is unreadable' }] });
    await show('/applications/a1', 'The photo is unreadable');
    const link = root.querySelector<HTMLAnchorElement>('#answer-request');
    expect([link?.tagName, link?.textContent, link?.getAttribute('href')]).toEqual(['A', 'Send the information asked for', '/applications/a1/documents']);
  });
});

describe('the receipt', () => {
  it('shows the reference with a QR code of it, the programme, what happens next, and the time of this sending', async () => {
    useCatalogForTests('en', en as Catalog);
    serve({
      status: 'submitted',
      editable: false,
      reference: 'EM8-7VE-D2V',
      answers: {},
      submitted_at: '2031-06-05T10:00:00Z',
      timeline: [
        { from: 'draft', to: 'submitted', at: '2031-06-05T10:00:00Z' },
        { from: 'under_review', to: 'info_requested', at: '2031-06-06T10:00:00Z' },
        { from: 'info_requested', to: 'submitted', at: '2031-06-07T15:30:00Z' },
      ],
    });
    await show('/applications/a1/confirmation', 'EM8-7VE-D2V');
    expect(root.querySelector('#receipt')?.textContent).toContain('Child Support Grant');
    expect(root.querySelector('#receipt-date')?.textContent).toContain('7 June 2031');
    expect(root.querySelector('h1')?.textContent).toBe('Information sent');
    await vi.waitFor(() => expect(root.querySelector('svg.ssp-qr[role=img]')).not.toBeNull()); // its code comes after the page's
    const qr = root.querySelector('svg.ssp-qr');
    expect(qr?.getAttribute('aria-label')).toContain('EM8-7VE-D2V');
    expect(qr?.querySelector('path')?.getAttribute('d')?.length).toBeGreaterThan(200);
    expect(root.textContent).toContain('What happens next');
    expect(root.textContent).toContain('We do not need your email');
    expect(root.querySelector('.ssp-no-print button')?.textContent).toBe('Print or save this receipt');
  });
});
