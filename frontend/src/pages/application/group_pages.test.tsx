import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useCatalogForTests, type Catalog } from '../../i18n';
import en from '../../i18n/en.json';
import { ApplicationRoutes } from './routes';
import { drawingRoot } from '../../test_support/dom';
import { withScreen } from '../../test_support/screen';

const root = drawingRoot();

const form = {
  schema: {
    type: 'object',
    properties: {
      children: {
        type: 'array',
        minItems: 1,
        maxItems: 3,
        items: {
          type: 'object',
          required: ['name', 'relationship'],
          properties: { name: { type: 'string', maxLength: 100 }, relationship: { type: 'string', enum: ['son', 'daughter', 'other'] }, other: { type: 'string' } },
          if: { properties: { relationship: { const: 'other' } }, required: ['relationship'] },
          then: { required: ['other'] },
        },
      },
    },
  },
  ui_schema: {
    pages: [{ id: 'children', title: { en: 'Your children' }, fields: ['/children'] }],
    fields: {
      '/children': { widget: 'group', label: { en: 'Your children under 18' }, item_label: { en: 'child' }, items_label: { en: 'children' }, summary_field: 'name' },
      '/children/name': { widget: 'text', label: { en: 'Full name' } },
      '/children/relationship': { widget: 'radio', label: { en: 'Relationship' }, options: { son: { en: 'Son' }, daughter: { en: 'Daughter' }, other: { en: 'Other' } } },
      '/children/other': { widget: 'text', label: { en: 'How are they related?' } },
    },
  },
};

// Each test its own application: the group's pages keep the application in hand between them.
let serial = 0;
let id = 'a0';

function serve(children: unknown[]) {
  id = `a${++serial}`;
  const patches: Record<string, unknown>[] = [];
  const reads: string[] = [];
  let answers: Record<string, unknown> = { children };
  vi.stubGlobal(
    'fetch',
    withScreen(vi.fn(async (url: string, init: RequestInit = {}) => {
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
      const application = () => ({ application_id: id, program_id: `p-${children.length}`, form_id: 'f-group', form_version: 1, status: 'draft', answers, editable: true, version: 1 });
      if (init.method === 'PATCH') {
        const body = JSON.parse(String(init.body));
        patches.push(body);
        answers = { ...answers, ...body.answers };
        return json(application());
      }
      reads.push(url.split('?')[0]);
      if (url.startsWith('/api/applications/')) return json(application());
      if (url.startsWith('/api/forms/')) return json(form);
      if (url.startsWith('/api/programs/')) return json({ documents: [], consents: [] });
      return json({ items: [] });
    })),
  );
  return { patches, reads };
}

function show(path: string, query = '') {
  render(<ApplicationRoutes path={path.replace('/a1/', `/${id}/`).replace(/\/a1$/, `/${id}`)} query={new URLSearchParams(query)} />, root);
}

const at = (path: string) => path.replace('/a1/', `/${id}/`);

describe('a repeating group, as GOV.UK adds to a list', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists the children added with Change and Remove, says the limits, and asks whether to add another', async () => {
    useCatalogForTests('en', en as Catalog);
    serve([
      { name: 'Amina', relationship: 'daughter' },
      { name: 'Omar', relationship: 'son' },
    ]);
    show('/applications/a1/pages/children');
    await vi.waitFor(() => expect(root.querySelector('h1')?.textContent).toBe('Your children under 18'));
    expect(root.textContent).toContain('You have added 2 children');
    expect(root.textContent).toContain('You can add up to 3');
    // The minimum is met: no "Add at least 1 before you continue" beside the children added.
    expect(root.textContent).not.toContain('Add at least');
    const keys = [...root.querySelectorAll('.govuk-summary-list__key')].map((k) => k.textContent);
    expect(keys).toEqual(['Amina', 'Omar']);
    const links = [...root.querySelectorAll('.govuk-summary-list__actions a')].map((a) => [a.textContent, a.getAttribute('href')]);
    expect(links).toEqual([
      ['Change Amina', at('/applications/a1/pages/children/members/0')],
      ['Remove Amina', at('/applications/a1/pages/children/members/0/remove')],
      ['Change Omar', at('/applications/a1/pages/children/members/1')],
      ['Remove Omar', at('/applications/a1/pages/children/members/1/remove')],
    ]);
    expect(root.querySelector('legend')?.textContent).toBe('Do you need to add another child?');
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await vi.waitFor(() => expect(root.querySelector('#another-error')?.textContent).toContain('Select yes if you need to add another child'));
  });

  it('says the most is reached instead of offering another', async () => {
    useCatalogForTests('en', en as Catalog);
    serve([{ name: 'A', relationship: 'son' }, { name: 'B', relationship: 'son' }, { name: 'C', relationship: 'son' }]);
    show('/applications/a1/pages/children');
    await vi.waitFor(() => expect(root.textContent).toContain('You have added 3, the most this form takes'));
    expect(root.querySelector('input[name=another]')).toBeNull();
  });

  it('asks about one child on its own page, with the condition inside the child, and saves the whole list', async () => {
    useCatalogForTests('en', en as Catalog);
    const { patches, reads } = serve([{ name: 'Amina', relationship: 'daughter' }]);
    show('/applications/a1/pages/children/members/1');
    await vi.waitFor(() => expect(root.querySelector('h1')?.textContent).toBe('Add a child'));
    const name = root.querySelector<HTMLInputElement>('#f-name')!;
    name.value = 'Sara';
    name.dispatchEvent(new Event('input', { bubbles: true }));
    root.querySelector<HTMLInputElement>('input[value=other]')!.click();
    await vi.waitFor(() => expect(root.querySelector('#f-other')).not.toBeNull());
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await vi.waitFor(() => expect(root.querySelector('#f-other-error')).not.toBeNull());
    expect(patches).toEqual([]);
    root.querySelector<HTMLInputElement>('input[value=daughter]')!.click();
    await vi.waitFor(() => expect(root.querySelector('#f-other')).toBeNull());
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await vi.waitFor(() => expect(patches.length).toBe(1));
    expect(patches[0]).toEqual({ answers: { children: [{ name: 'Amina', relationship: 'daughter' }, { name: 'Sara', relationship: 'daughter' }] }, version: 1 });
    // One read of the application, its form and programme, and its documents: nothing per child.
    expect(reads.filter((r) => r.startsWith('/api/applications/')).length).toBe(1);
    // Back on the list, then another child's page: the application in hand, nothing read again.
    await new Promise((resolve) => setTimeout(resolve, 10)); // the save's answer taken in
    show('/applications/a1/pages/children');
    await vi.waitFor(() => expect(root.querySelector('[role=status]')?.textContent).toBe('You have added 2 children'));
    show('/applications/a1/pages/children/members/0');
    await vi.waitFor(() => expect(root.querySelector('h1')?.textContent).toBe('Amina'));
    expect(reads.filter((r) => r.startsWith('/api/applications/') || r === '/api/documents').length).toBe(2);
  });

  it('asks before removing a child, then saves the list without them', async () => {
    useCatalogForTests('en', en as Catalog);
    const { patches } = serve([
      { name: 'Amina', relationship: 'daughter' },
      { name: 'Omar', relationship: 'son' },
    ]);
    show('/applications/a1/pages/children/members/0/remove');
    await vi.waitFor(() => expect(root.querySelector('h1')?.textContent).toBe('Are you sure you want to remove Amina?'));
    root.querySelector<HTMLInputElement>('#remove')!.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await vi.waitFor(() => expect(patches.length).toBe(1));
    expect(patches[0]).toEqual({ answers: { children: [{ name: 'Omar', relationship: 'son' }] }, version: 1 });
  });

  it('shows each child as its own block on check your answers', async () => {
    useCatalogForTests('en', en as Catalog);
    serve([
      { name: 'Amina', relationship: 'daughter' },
      { name: 'Omar', relationship: 'son' },
    ]);
    show('/applications/a1/check');
    await vi.waitFor(() => expect(root.querySelectorAll('.govuk-summary-card').length).toBe(2));
    const titles = [...root.querySelectorAll('.govuk-summary-card__title')].map((h) => h.textContent);
    expect(titles).toEqual(['Amina', 'Omar']);
    expect(root.querySelectorAll('.govuk-summary-card')[1].textContent).toContain('Son');
    expect(root.querySelector('.govuk-summary-card__actions a')?.getAttribute('href')).toBe(at('/applications/a1/pages/children/members/0?return=check'));
  });
});
