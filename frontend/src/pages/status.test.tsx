import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCatalogForTests, type Catalog } from '../i18n';
import en from '../i18n/en.json';
import { drawingRoot } from '../test_support/dom';
import { StatusCheck } from './status';

const root = drawingRoot();
beforeEach(() => useCatalogForTests('en', en as Catalog));
afterEach(() => vi.unstubAllGlobals());

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const type = (id: string, value: string) => {
  const input = root.querySelector<HTMLInputElement>(`#${id}`)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
};
const fill = () => {
  type('reference', 'k7m q2x p4h');
  type('dob-day', '12');
  type('dob-month', '4');
  type('dob-year', '1987');
};
const submit = async () => {
  await settle(); // the typed values are in the page's state once it has drawn again
  root.querySelector<HTMLFormElement>('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  await settle();
  await settle();
};

describe('checking a status without logging in', () => {
  it('sends the reference and the date as typed, and shows only the status and the next step', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ reference: 'K7M-Q2X-P4H', status: 'info_requested', next_step: 'log_in_to_answer' }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    render(<StatusCheck />, root);
    fill();
    await submit();
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(JSON.parse(String(init.body))).toEqual({ reference: 'k7m q2x p4h', date_of_birth: '1987-04-12' });
    expect(root.querySelector('[role=status]')?.textContent).toContain('We need more information from you');
  });

  it('says the same thing for a wrong reference or a wrong date, in the error summary', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: { code: 'no_match', message: 'x' } }), { status: 404 })));
    render(<StatusCheck />, root);
    fill();
    await submit();
    expect(root.querySelector('.govuk-error-summary')?.textContent).toContain(en['status_check.no_match']);
    expect(root.querySelector('[role=status]')).toBeNull();
  });

  it('asks for a real date before sending anything', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    render(<StatusCheck />, root);
    type('reference', 'K7M-Q2X-P4H');
    type('dob-day', '31');
    type('dob-month', '13');
    type('dob-year', '1987');
    await submit();
    expect(fetch).not.toHaveBeenCalled();
    expect(root.querySelector('.govuk-error-summary')?.textContent).toContain(en['status_check.date_invalid']);
  });
});
