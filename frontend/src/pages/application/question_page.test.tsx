import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCatalogForTests, type Catalog } from '../../i18n';
import en from '../../i18n/en.json';
import { ApplicationRoutes } from './routes';
import { drawingRoot } from '../../test_support/dom';
import { offlineNote, setOfflineNote } from '../../offline';
import { pendingSave, useStore } from '../../offline/drafts';
import { memoryStore } from '../../offline/store';
import { withScreen } from '../../test_support/screen';

const root = drawingRoot();

describe('a question page with several document questions', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks once for the documents uploaded before, and each question offers its own kind', async () => {
    useCatalogForTests('en', en as Catalog);
    const earlier = (id: string, kind: string) => ({ document_id: id, kind, file_name: `${id}.png`, content_type: 'image/png', size: 1000, status: 'available', application_id: 'old' });
    const reads: string[] = [];
    vi.stubGlobal(
      'fetch',
      withScreen(vi.fn(async (url: string) => {
        const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
        if (url.startsWith('/api/applications/')) return json({ application_id: 'a1', program_id: 'p-docs', form_id: 'f-docs', form_version: 1, status: 'draft', answers: {}, editable: true, version: 1 });
        if (url.startsWith('/api/forms/')) {
          return json({
            schema: { type: 'object', properties: { id_card: { type: 'string' }, payslip: { type: 'string' } } },
            ui_schema: {
              pages: [{ id: 'proof', title: { en: 'Proof' }, fields: ['/id_card', '/payslip'] }],
              fields: { '/id_card': { widget: 'document', label: { en: 'ID card' }, document_kind: 'id-card' }, '/payslip': { widget: 'document', label: { en: 'Payslip' }, document_kind: 'payslip' } },
            },
          });
        }
        if (url.startsWith('/api/programs/')) return json({ documents: [], consents: [] });
        if (url === '/api/documents?limit=100') {
          reads.push(url);
          return json({ items: [earlier('old-id', 'id-card'), earlier('old-payslip', 'payslip')] });
        }
        return json({ items: [] });
      })),
    );
    render(<ApplicationRoutes path="/applications/a1/pages/proof" query={new URLSearchParams()} />, root);
    await vi.waitFor(() => expect(root.querySelector('#f-payslip-reuse')?.textContent).toContain('old-payslip.png'));
    expect(root.querySelector('#f-id_card-reuse')?.textContent).toContain('old-id.png');
    expect(root.querySelector('#f-id_card-reuse')?.textContent).not.toContain('old-payslip.png');
    expect(reads).toEqual(['/api/documents?limit=100']);
  });
});

const MB = 1024 * 1024;
const FORM = {
  schema: { type: 'object', properties: { name: { type: 'string' }, town: { type: 'string' }, proof: { type: 'string' } } },
  ui_schema: {
    pages: [
      { id: 'about', title: { en: 'About you' }, fields: ['/name', '/town'] },
      { id: 'proof', title: { en: 'Proof' }, fields: ['/proof'] },
    ],
    fields: { '/name': { widget: 'text', label: { en: 'Name' } }, '/town': { widget: 'text', label: { en: 'Town' } }, '/proof': { widget: 'document', label: { en: 'Proof of address' }, document_kind: 'proof' } },
  },
};

/** One application of the form above; ``patch`` answers a PATCH (or fails it). */
function serve(id: string, patch: (body: Record<string, unknown>) => Promise<Response>) {
  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
  vi.stubGlobal(
    'fetch',
    withScreen(
      vi.fn(async (url: string, init: RequestInit = {}) => {
        if (init.method === 'PATCH') return patch(JSON.parse(String(init.body)));
        if (url.startsWith('/api/applications/')) return json({ application_id: id, program_id: 'p-proof', form_id: 'f-proof', form_version: 1, status: 'draft', answers: { name: 'Amina' }, editable: true, version: 7 });
        if (url.startsWith('/api/forms/')) return json(FORM);
        if (url.startsWith('/api/programs/')) return json({ documents: [{ kind: 'proof', label: { en: 'Proof' }, content_types: ['application/pdf', 'image/jpeg'], max_bytes: 8 * MB }], consents: [] });
        return json({ items: [] });
      }),
    ),
  );
}

/** Type as a person would: the page has drawn what was typed before the next action. */
async function type(selector: string, value: string) {
  const input = root.querySelector<HTMLInputElement>(selector)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((r) => setTimeout(r, 20));
}

const save = () => root.querySelector<HTMLButtonElement>('form button[type=submit]')!;

describe('a question page on a phone with a poor connection', () => {
  beforeEach(() => {
    useCatalogForTests('en', en as Catalog);
    useStore(memoryStore());
    setOfflineNote(undefined);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('says "Saving…" while the answers are being saved', async () => {
    let answer: (r: Response) => void = () => undefined;
    serve('q1', () => new Promise((resolve) => (answer = resolve)));
    render(<ApplicationRoutes path="/applications/q1/pages/about" query={new URLSearchParams()} />, root);
    await vi.waitFor(() => expect(root.querySelector('#f-town')).not.toBeNull());
    await type('#f-town', 'Rabat');
    save().click();
    await vi.waitFor(() => expect(save().textContent).toBe('Saving…'));
    expect(save().disabled).toBe(true);
    answer(new Response(JSON.stringify({ application_id: 'q1', answers: { name: 'Amina', town: 'Rabat' }, version: 8 }), { status: 200 }));
    await vi.waitFor(() => expect(location.pathname).toBe('/applications/q1/pages/proof'));
  });

  it('keeps what was typed on the device: a reload finds it', async () => {
    serve('q2', async () => new Response('{}', { status: 200 }));
    render(<ApplicationRoutes path="/applications/q2/pages/about" query={new URLSearchParams()} />, root);
    await vi.waitFor(() => expect(root.querySelector('#f-town')).not.toBeNull());
    await type('#f-town', 'Fès');
    await new Promise((r) => setTimeout(r, 400));
    render(null, root);
    render(<ApplicationRoutes path="/applications/q2/pages/about" query={new URLSearchParams()} key="again" />, root);
    await vi.waitFor(() => expect(root.querySelector<HTMLInputElement>('#f-town')?.value).toBe('Fès'));
    expect(root.querySelector('#kept-note')?.textContent).toContain('typed on this phone');
  });

  it('without a connection, keeps the save on the phone, says so and goes on', async () => {
    serve('q3', async () => Promise.reject(new TypeError('Failed to fetch')));
    render(<ApplicationRoutes path="/applications/q3/pages/about" query={new URLSearchParams()} />, root);
    await vi.waitFor(() => expect(root.querySelector('#f-town')).not.toBeNull());
    await type('#f-town', 'Tanger');
    save().click();
    await vi.waitFor(() => expect(location.pathname).toBe('/applications/q3/pages/proof'));
    expect(offlineNote()).toBe('kept');
    expect(await pendingSave('q3')).toMatchObject({ patch: { name: 'Amina', town: 'Tanger' }, version: 7, pages: ['about'] });
  });

  it('gives a document question the size the programme allows, as the documents page does', async () => {
    serve('q4', async () => new Response('{}', { status: 200 }));
    render(<ApplicationRoutes path="/applications/q4/pages/proof" query={new URLSearchParams()} />, root);
    await vi.waitFor(() => expect(root.querySelector('#f-proof-size-hint')?.textContent).toContain('8 MB'));
    expect(root.querySelector<HTMLInputElement>('#f-proof')?.accept).toBe('application/pdf,image/jpeg');
  });
});
