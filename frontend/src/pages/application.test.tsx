import { render } from 'preact';
import { vi } from 'vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useCatalogForTests, type Catalog } from '../i18n';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';
import ar from '../i18n/ar.json';
import { buildModel } from '../forms/model';
import { ApplicationRoutes, consentBody, Consents, displayValue, officerNote, Timeline, type ConsentStatement } from './application';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const officer = { role: 'officer', ref: 'officer-7' };
const assisted = [
  { from: null, to: 'draft', at: '2026-03-01T09:00:00+00:00', by: officer },
  { from: 'draft', to: 'submitted', at: '2026-03-01T09:20:00+00:00', by: officer },
  { from: 'submitted', to: 'under_review', at: '2026-03-02T10:00:00+00:00', by: { role: 'reviewer', ref: 'r1' } },
];

describe('the timeline of an application an officer sent with the person', () => {
  it.each([
    ['en', en, 'Application sent with the help of an officer'],
    ['fr', fr, 'Demande envoyée avec l’aide d’un agent'],
    ['ar', ar, 'أُرسل الطلب بمساعدة موظف'],
  ])('says so in %s', (code, catalog, expected) => {
    useCatalogForTests(code as 'en', catalog as Catalog);
    render(<Timeline entries={assisted} />, root);
    const titles = [...root.querySelectorAll('.ssp-timeline__title')].map((h) => h.textContent);
    expect(titles[1]).toBe(expected);
    expect(root.textContent).toContain((catalog as unknown as Record<string, string>)['timeline.by.officer']);
    expect((catalog as unknown as Record<string, string>)['apply.submitted_by_officer']).toBeTruthy();
  });

  it('says nothing of an officer when the person sent it themselves', () => {
    useCatalogForTests('en', en);
    const own = assisted.map((e, i) => (i < 2 ? { ...e, by: { role: 'registrant', ref: 'me' } } : e));
    render(<Timeline entries={own} />, root);
    expect(root.textContent).toContain('Application sent');
    expect(root.textContent).not.toContain('officer');
    expect(officerNote({ channel: 'self', timeline: own })).toBeNull();
  });

  it('says an officer sent it only when an officer made the submission', () => {
    expect(officerNote({ channel: 'self', timeline: assisted })).toBe('apply.submitted_by_officer');
    expect(officerNote({ channel: 'assisted', timeline: assisted })).toBe('apply.submitted_by_officer');
    const sentByThePerson = assisted.map((e) => (e.to === 'submitted' ? { ...e, by: { role: 'registrant', ref: 'me' } } : e));
    expect(officerNote({ channel: 'assisted', timeline: sentByThePerson })).toBe('apply.started_by_officer');
    expect(officerNote({ channel: 'assisted', timeline: [] })).toBe('apply.started_by_officer');
  });
});

describe('a checkbox group’s answers on check your answers and in the timeline', () => {
  const model = buildModel(
    { type: 'object', properties: { kinds: { type: 'array', items: { type: 'string', enum: ['food', 'health', 'housing'] } } } },
    {
      fields: {
        '/kinds': {
          widget: 'checkbox',
          label: { en: 'Kinds' },
          options: { food: { en: 'Food', fr: 'Nourriture', ar: 'غذاء' }, health: { en: 'Health care', fr: 'Soins', ar: 'رعاية صحية' }, housing: { en: 'Housing', fr: 'Logement', ar: 'سكن' } },
        },
      },
    },
  );
  it.each([
    ['en', en, 'Food, Health care, Housing', 'Health care'],
    ['fr', fr, 'Nourriture, Soins et Logement', 'Soins'],
    ['ar', ar, 'غذاء، ورعاية صحية، وسكن', 'رعاية صحية'],
  ])('read as a list written the %s way (no Latin comma in Arabic)', (code, catalog, three, one) => {
    useCatalogForTests(code as 'en', catalog as Catalog);
    expect(model.fields['/kinds'].kind).toBe('checkboxes');
    expect(displayValue(model.fields['/kinds'], ['food', 'health', 'housing'])).toBe(three);
    expect(displayValue(model.fields['/kinds'], ['health'])).toBe(one);
  });
});

describe('the programme’s statements on check your answers', () => {
  const statements: ConsentStatement[] = [
    { id: 'share_with_health', text: { en: 'I agree that the programme may check my household with the health service.', fr: 'J’accepte que le programme vérifie mon foyer auprès du service de santé.' }, required: true },
    { id: 'news', text: { en: 'Send me news about other programmes.' }, required: false },
  ];

  it('draws each statement as a checkbox, optional ones marked, with its own error', () => {
    useCatalogForTests('fr', fr as Catalog);
    const changes: [string, boolean][] = [];
    render(<Consents statements={statements} agreed={new Set(['news'])} errors={new Set(['share_with_health'])} onChange={(id, on) => changes.push([id, on])} />, root);
    expect(root.querySelector('legend h2')?.textContent).toBe('Ce que vous acceptez');
    const required = root.querySelector<HTMLInputElement>('#consent-share_with_health')!;
    expect(root.querySelector('label[for="consent-share_with_health"]')?.textContent).toBe('J’accepte que le programme vérifie mon foyer auprès du service de santé.');
    expect(root.querySelector('label[for="consent-news"]')?.textContent).toBe('Send me news about other programmes. (facultatif)');
    expect(required.checked).toBe(false);
    expect(root.querySelector<HTMLInputElement>('#consent-news')!.checked).toBe(true);
    expect(required.getAttribute('aria-describedby')).toBe('consent-share_with_health-error');
    expect(root.querySelector('#consent-share_with_health-error')?.textContent).toContain('Cochez la case pour accepter');
    expect(root.querySelectorAll('.govuk-form-group--error').length).toBe(1);
    required.click();
    expect(changes).toEqual([['share_with_health', true]]);
  });

  it('sends the agreement to every statement with the submission', () => {
    useCatalogForTests('fr', fr as Catalog);
    expect(consentBody(statements, new Set(['share_with_health']))).toEqual({ consents: { share_with_health: true, news: false }, locale: 'fr' });
  });
});

describe('check your answers with the programme’s statements', () => {
  const health = { id: 'health', text: { en: 'I agree that the health service may confirm my household.' }, required: true };
  const later = { id: 'later', text: { en: 'I agree to be contacted for a survey.' }, required: true };
  // Each test its own programme: the page keeps programmes it has read.
  function serve(programId: string, programConsents: ConsentStatement[][], submit: (body: Record<string, unknown>) => Response, timeline: unknown[] = []) {
    const sent: Record<string, unknown>[] = [];
    let programReads = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
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
      }),
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
