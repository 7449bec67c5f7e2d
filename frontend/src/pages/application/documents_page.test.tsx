/** The documents task while answering a request for information (issue 21: "a replaced
 * unreadable photo cannot be removed"): a file sent before and replaced by a newer checked one
 * has Remove, also once it was part of a sending (the team keeps that copy, marked as replaced);
 * when the server refuses, the page says why and what to do. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { useCatalogForTests, type Catalog } from '../../i18n';
import en from '../../i18n/en.json';
import { drawingRoot } from '../../test_support/dom';
import { ApplicationRoutes } from './routes';

const root = drawingRoot();
afterEach(() => {
  vi.unstubAllGlobals();
  render(null, root);
});

const FORM = {
  schema: { type: 'object', properties: { name: { type: 'string' } } },
  ui_schema: { pages: [{ id: 'about', title: { en: 'About you' }, fields: ['/name'] }], fields: { '/name': { widget: 'text', label: { en: 'Name' } } } },
};
const RULES = [{ kind: 'id_card', label: { en: 'ID card' }, required: true }];
const SENT = { from: 'draft', to: 'submitted', at: '2031-06-05T10:00:00Z' };
const ASKED = { from: 'under_review', to: 'info_requested', at: '2031-06-06T10:00:00Z', reason: 'The photo cannot be read.' };

const doc = (id: string, name: string, created_at: string, status = 'available') => ({ document_id: id, kind: 'id_card', file_name: name, status, application_id: 'a1', created_at });
const blurred = doc('d1', 'blurred photo.jpg', '2031-06-04T10:00:00Z');
const clear = doc('d2', 'clear photo.jpg', '2031-06-07T10:00:00Z');

function serve(documents: unknown[], { application = {}, deleted = () => new Response(null, { status: 204 }) }: { application?: Record<string, unknown>; deleted?: () => Response } = {}) {
  const calls: string[] = [];
  const program = `p-${Math.random()}`;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      calls.push(`${init.method ?? 'GET'} ${url}`);
      if (init.method === 'DELETE') return deleted();
      const whole = { application_id: 'a1', program_id: program, program_name: { en: 'Child Support Grant' }, form_id: 'f1', form_version: 1, version: 3, status: 'info_requested', editable: true, answers: { name: 'Amina' }, timeline: [SENT, ASKED], ...application };
      return new Response(JSON.stringify(url.includes('/screen') ? { application: whole, form: FORM, program: { documents: RULES, consents: [] }, documents } : { items: [] }), { status: 200 });
    }),
  );
  return calls;
}

async function show() {
  useCatalogForTests('en', en as Catalog);
  render(<ApplicationRoutes path="/applications/a1/documents" query={new URLSearchParams()} />, root);
  await vi.waitFor(() => expect(root.querySelector('h1')?.textContent).toBe('Your documents'));
}

const removeButtons = () => [...root.querySelectorAll<HTMLButtonElement>('button.ssp-link-button')];

describe('a file sent before and replaced by a newer one', () => {
  it('can be removed although it was part of a sending: the page says it left the application and the team keeps a record of it', async () => {
    const calls = serve([clear, blurred]);
    await show();
    expect(root.textContent).toContain('Files you sent before for this, which the one above replaces:');
    expect(root.textContent).toContain('If you remove a file you sent before, they keep a record of it, marked as replaced.');
    expect(removeButtons().map((b) => b.closest('li')?.querySelector('bdi')?.textContent)).toEqual(['blurred photo.jpg']);
    expect(removeButtons()[0].textContent).toBe('Remove blurred photo.jpg');
    removeButtons()[0].click();
    await vi.waitFor(() => expect(calls).toContain('DELETE /api/documents/d1'));
    await vi.waitFor(() => expect(root.querySelector('p[role=status]')?.textContent).toBe('Removed from your application: blurred photo.jpg'));
    expect(removeButtons()).toEqual([]);
    expect(root.textContent).not.toContain('Files you sent before');
  });

  it('when the server says nothing replaces it yet, the page says why and what to do, and keeps it', async () => {
    const refused = { error: { code: 'document_not_replaced', message: 'You sent this document with your application and nothing replaces it yet.' } };
    serve([clear, blurred], { deleted: () => new Response(JSON.stringify(refused), { status: 409, headers: { 'Content-Type': 'application/json' } }) });
    await show();
    removeButtons()[0].click();
    const said = 'You sent this file with your application and nothing replaces it yet. Upload a new file for it first, then remove this one.';
    await vi.waitFor(() => expect(root.querySelector('.govuk-error-summary')?.textContent).toContain(said));
    expect(root.querySelector('.govuk-error-summary a')?.getAttribute('href')).toBe('#doc-id_card');
    expect(removeButtons()).toHaveLength(1);
  });

  it('is not offered while the newer file is still being checked, nor for a member’s own certificate', async () => {
    serve([doc('d3', 'new photo.jpg', '2031-06-07T11:00:00Z', 'scanning'), blurred]);
    await show();
    expect(removeButtons()).toEqual([]);
    render(null, root);
    serve([clear, blurred, doc('d0', 'ada.png', '2031-06-03T10:00:00Z')], { application: { members: [{ group: 'children', index: 0, label: 'Ada', documents: [{ field: '/cert', document_id: 'd0' }] }] } });
    await show();
    expect(removeButtons().map((b) => b.closest('li')?.querySelector('bdi')?.textContent)).toEqual(['blurred photo.jpg']);
  });

  it('once removed, is no longer one of the application’s files on the page', async () => {
    serve([clear, { ...blurred, status: 'replaced', replaced_by: 'd2' }]);
    await show();
    expect(root.textContent).not.toContain('blurred photo.jpg');
    expect(root.textContent).not.toContain('Files you sent before');
  });
});
