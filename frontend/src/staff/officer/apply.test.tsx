import { render } from 'preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Catalog } from '../../i18n';
import en from '../../i18n/en.json';
import { drawingRoot, signedInStaff } from '../../test_support/dom';
import { AssistedApplication } from './apply';
import { loadDraft } from './desk_store';

const root = drawingRoot();
signedInStaff('en', en as Catalog);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const FORM = {
  schema: { type: 'object', properties: { name: { type: 'string' }, household_size: { type: 'integer', minimum: 1 } } },
  ui_schema: {
    pages: [{ id: 'about', title: 'About you', fields: ['/name', '/household_size'] }],
    fields: { '/name': { widget: 'text', label: 'Full name' }, '/household_size': { widget: 'number', label: 'People in the household' } },
  },
};

function application(answers: Record<string, unknown>, version: number) {
  return { application_id: 'app-1', program_id: 'csg', form_id: 'csg-form', form_version: 1, status: 'draft', answers, version, program_name: 'Child Support Grant' };
}

/** The portal as the officer's console sees it: the session, the application (saved answers as
 * given), its form and programme; a PATCH is accepted as sent. */
function portal(saved: Record<string, unknown>) {
  let current = application(saved, 1);
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const path = new URL(url, 'http://localhost').pathname;
    const reply = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    if (path === '/api/assisted/sessions/s-1') return reply({ session_id: 's-1', status: 'open', expires_at: new Date(Date.now() + 600_000).toISOString() });
    if (path === '/api/assisted/sessions/s-1/applications/app-1' && init.method === 'PATCH') {
      const { answers } = JSON.parse(String(init.body)) as { answers: Record<string, unknown> };
      current = application({ ...current.answers, ...answers }, current.version + 1);
      return reply(current);
    }
    if (path === '/api/assisted/sessions/s-1/applications/app-1') return reply(current);
    if (path === '/api/assisted/sessions/s-1/applications/app-1/documents') return reply({ documents: [] });
    if (path === '/api/forms/csg-form/versions/1') return reply(FORM);
    if (path === '/api/programs/csg') return reply({ name: 'Child Support Grant', documents: [], consents: [] });
    return new Response('{}', { status: 404 });
  });
}

async function opened() {
  render(<AssistedApplication sessionId="s-1" applicationId="app-1" />, root);
  for (let i = 0; i < 20 && !root.querySelector('#f-name'); i++) await settle();
  return root.querySelector<HTMLInputElement>('#f-name')!;
}

function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe("what the officer types for a person stays on this PC until the portal has it", () => {
  beforeEach(() => localStorage.clear());

  it('keeps the last keystroke when the page goes away at once, before the render has saved it', async () => {
    portal({});
    const name = await opened();
    type(name, 'Amina Okafor');
    await Promise.resolve(); // drawn, its effects not yet run
    dispatchEvent(new Event('pagehide'));
    expect(loadDraft('app-1')).toEqual({ name: 'Amina Okafor' });
  });

  it('keeps nothing once the portal has what was typed, so a reload does not say a draft came back', async () => {
    portal({ name: 'Amina Okafor' });
    const name = await opened();
    await settle();
    expect(loadDraft('app-1')).toBeUndefined();
    type(name, 'Amina N. Okafor');
    await settle();
    expect(loadDraft('app-1')).toEqual({ name: 'Amina N. Okafor' });
    root.querySelector<HTMLButtonElement>('button.govuk-button--secondary')!.click();
    for (let i = 0; i < 20 && !root.textContent?.includes(en['staff.saved']); i++) await settle();
    await new Promise((resolve) => setTimeout(resolve, 150)); // the render's effects
    expect(root.textContent).toContain(en['staff.saved']);
    expect(loadDraft('app-1')).toBeUndefined();
  });
});
