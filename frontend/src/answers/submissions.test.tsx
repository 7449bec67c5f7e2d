import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { useCatalogForTests, type Catalog } from '../i18n';
import en from '../i18n/en.json';
import { drawingRoot } from '../test_support/dom';
import { SubmissionsPage, type Submission } from './submissions';

const root = drawingRoot();
afterEach(() => vi.unstubAllGlobals());

const SUBMISSION: Submission = {
  application_id: 'a1',
  reference: 'EM8-7VE-D2V',
  program: { name: 'Child Support Grant' },
  status: 'submitted',
  submitted_at: '2031-06-05T14:03:00Z',
  answers: [
    { pointer: '/disabled', label: 'Do you have a disability?', kind: 'radios', value: false, shown_as: false },
    { pointer: '/kinds', label: 'Help you need', kind: 'checkboxes', value: ['food', 'housing'], shown_as: ['Food', 'Housing'] },
    { pointer: '/born', label: 'Date of birth', kind: 'date', value: '2031-06-05', shown_as: '2031-06-05' },
    { pointer: '/id_card', label: 'Your ID card', kind: 'document', value: 'doc-4f1c', shown_as: 'doc-4f1c', file_name: 'id card.pdf' },
  ],
  documents: [
    { document_id: 'doc-4f1c', file_name: 'id card.pdf', size: 345678, status: 'available' },
    { document_id: 'doc-9a0b', file_name: 'blurred photo.jpg', size: 2048, status: 'replaced' },
  ],
};

describe('everything you have sent us', () => {
  it('shows each answer the way check your answers does, the documents and the change requests', async () => {
    useCatalogForTests('en', en as Catalog);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        const body = url.startsWith('/api/me/submissions') ? { items: [SUBMISSION] } : { items: [{ request_id: 'r1', field: 'name', value: 'Amina N. Okafor', status: 'pending', requested_at: '2031-05-03T10:00:00Z' }] };
        return new Response(JSON.stringify(body), { status: 200 });
      }),
    );
    render(<SubmissionsPage />, root);
    await vi.waitFor(() => expect(root.textContent).toContain('Child Support Grant'));
    await vi.waitFor(() => expect(root.textContent).toContain('Amina N. Okafor'));
    const value = (label: string) => [...root.querySelectorAll('.govuk-summary-list__row')].find((row) => row.querySelector('dt')?.textContent === label)?.querySelector('dd')?.textContent;
    expect(value('Do you have a disability?')).toBe('No');
    expect(value('Help you need')).toBe('Food, Housing');
    expect(value('Date of birth')).toBe('5 June 2031');
    expect(value('Your ID card')).toBe('id card.pdf');
    expect(root.textContent).not.toContain('doc-4f1c');
    const sent = [...root.querySelectorAll('ul.govuk-list--bullet li')].map((li) => li.textContent);
    expect(sent).toEqual(['id card.pdf (338 KB)', 'blurred photo.jpg (2 KB) Replaced by a newer file']);
    expect(root.textContent).toContain('Waiting for a decision – asked on 3 May 2031');
  });
});
