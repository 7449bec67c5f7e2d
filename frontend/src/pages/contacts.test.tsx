import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCatalogForTests, type Catalog } from '../i18n';
import en from '../i18n/en.json';
import { drawingRoot } from '../test_support/dom';
import { Contacts } from './contacts';

const root = drawingRoot();
beforeEach(() => useCatalogForTests('en', en as Catalog));
afterEach(() => vi.unstubAllGlobals());

const settle = async () => {
  for (let i = 0; i < 4; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
};
const settings = (over: Record<string, unknown> = {}) => ({
  channels: ['sms'],
  default: true,
  contacts: { sms: { value: '+254700111222', source: 'id_provider', pending: null }, email: { value: null, source: null, pending: null } },
  version: 0,
  ...over,
});

describe('how we contact you', () => {
  it('offers only the channels with a verified or confirmed contact, and saves the choice', async () => {
    const calls: [string, RequestInit][] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push([url, init]);
        const answer = init?.method === 'PUT' ? settings({ channels: [], default: false }) : settings();
        return new Response(JSON.stringify(answer), { status: 200 });
      }),
    );
    render(<Contacts />, root);
    await settle();
    const sms = root.querySelector<HTMLInputElement>('#channel-sms')!;
    const email = root.querySelector<HTMLInputElement>('#channel-email')!;
    expect([sms.checked, sms.disabled, email.disabled]).toEqual([true, false, true]);
    expect(root.textContent).toContain('verified by your ID');
    sms.click();
    await settle();
    root.querySelector<HTMLFormElement>('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    const [url, init] = calls[calls.length - 1];
    expect([url, init.method, JSON.parse(String(init.body))]).toEqual(['/api/me/contacts', 'PUT', { channels: [] }]);
    expect(root.querySelector('[role=status]')?.textContent).toBe(en['contacts.saved']);
  });
});
