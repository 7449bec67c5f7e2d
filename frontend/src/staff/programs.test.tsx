/** A programme's documents in the staff console (issue 21): the largest size a rule may allow is
 * the server's cap (GET /admin/document-limits), stated in the hint and never exceeded on saving. */
import { render } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import { type Catalog } from '../i18n';
import en from '../i18n/en.json';
import { drawingRoot, signedInStaff } from '../test_support/dom';
import { ProgramDocuments } from './programs';

const root = drawingRoot();
const MB = 1024 * 1024;
const PROGRAM = {
  program_id: 'csg',
  name: { en: 'Child Support Grant' },
  state: 'draft',
  version: 4,
  documents: [{ kind: 'photo', label: { en: 'Photo' }, required: true, content_types: ['image/jpeg'], max_bytes: 2 * MB }],
};

function serve(limits: { max_bytes: number; default_max_bytes: number }) {
  const patches: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      if (init.method === 'PATCH') {
        patches.push(JSON.parse(String(init.body)));
        return new Response(JSON.stringify(PROGRAM), { status: 200 });
      }
      if (url === '/api/admin/document-limits') return new Response(JSON.stringify(limits), { status: 200 });
      return new Response(JSON.stringify(PROGRAM), { status: 200 });
    }),
  );
  return patches;
}

const hintOf = (id: string) => root.querySelector(`#${id}-hint`)?.textContent;
const type = (id: string, value: string) => {
  const input = root.querySelector<HTMLInputElement>(`#${id}`)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const save = () => root.querySelector<HTMLFormElement>('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));

describe('a programme’s documents', () => {
  signedInStaff('en', en as Catalog);

  it('states the server’s cap and refuses a size above it, without sending anything', async () => {
    const patches = serve({ max_bytes: 10 * MB, default_max_bytes: 5 * MB });
    render(<ProgramDocuments id="csg" />, root);
    await vi.waitFor(() => expect(root.querySelector('#doc-0-max')).not.toBeNull());
    expect(hintOf('doc-0-max')).toBe('At most 10 MB.');
    type('doc-0-max', '15');
    await settle();
    save();
    await vi.waitFor(() => expect(root.querySelector('.govuk-error-summary')?.textContent).toContain('Document 1: enter a size above 0 and at most 10 MB'));
    expect(patches).toEqual([]);
    type('doc-0-max', '10');
    await settle();
    save();
    await vi.waitFor(() => expect(patches).toHaveLength(1));
    expect((patches[0] as { documents: { max_bytes: number }[] }).documents[0].max_bytes).toBe(10 * MB);
  });

  it('follows a smaller cap set for the portal, and a new rule starts at the server’s default', async () => {
    serve({ max_bytes: 3 * MB, default_max_bytes: 3 * MB });
    render(<ProgramDocuments id="csg" />, root);
    await vi.waitFor(() => expect(root.querySelector('#doc-0-max')).not.toBeNull());
    expect(hintOf('doc-0-max')).toBe('At most 3 MB.');
    root.querySelector<HTMLButtonElement>('#add-document')!.click();
    await vi.waitFor(() => expect(root.querySelector<HTMLInputElement>('#doc-1-max')?.value).toBe('3'));
  });
});
