import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useCatalogForTests, type Catalog } from '../../i18n';
import en from '../../i18n/en.json';
import { ApplicationRoutes } from './routes';
import { drawingRoot } from '../../test_support/dom';

const root = drawingRoot();

describe('a question page with several document questions', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks once for the documents uploaded before, and each question offers its own kind', async () => {
    useCatalogForTests('en', en as Catalog);
    const earlier = (id: string, kind: string) => ({ document_id: id, kind, file_name: `${id}.png`, content_type: 'image/png', size: 1000, status: 'available', application_id: 'old' });
    const reads: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
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
      }),
    );
    render(<ApplicationRoutes path="/applications/a1/pages/proof" query={new URLSearchParams()} />, root);
    await vi.waitFor(() => expect(root.querySelector('#f-payslip-reuse')?.textContent).toContain('old-payslip.png'));
    expect(root.querySelector('#f-id_card-reuse')?.textContent).toContain('old-id.png');
    expect(root.querySelector('#f-id_card-reuse')?.textContent).not.toContain('old-payslip.png');
    expect(reads).toEqual(['/api/documents?limit=100']);
  });
});
