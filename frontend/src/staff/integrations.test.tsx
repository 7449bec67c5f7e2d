import { render } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import { type Catalog } from '../i18n';
import en from '../i18n/en.json';
import { signedInStaff } from '../test_support/dom';
import { IntegrationEndpoint, IntegrationsAdmin, PausedEndpoints } from './integrations';

const paused = {
  id: 'ep_0123456789abcdef',
  url: 'https://registry.ministry.example/hooks',
  description: 'Social registry',
  event_types: ['application.enrolled'],
  state: 'paused',
  paused_reason: 'failing_for_a_day',
  failing_since: '2026-12-01T08:00:00+00:00',
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('the integrations page', () => {
  signedInStaff('en', en as Catalog);

  it('tells the administrator that an endpoint failing for a day is paused', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => (String(url).includes('event-types') ? answer(200, { event_types: ['application.enrolled'] }) : answer(200, { items: [paused] }))),
    );
    const root = document.createElement('div');
    document.body.appendChild(root);
    render(<IntegrationsAdmin />, root);
    await vi.waitFor(() => expect(root.querySelector('[role=alert]')).not.toBeNull());
    expect(root.querySelector('[role=alert]')!.textContent).toContain('https://registry.ministry.example/hooks: deliveries are paused: every try has failed since');
    expect(root.querySelector('.govuk-tag')!.textContent).toBe('Paused');
    // A card per endpoint, its events a list: a table of long event names scrolled sideways on a phone.
    expect(root.querySelector('table')).toBeNull();
    expect([...root.querySelectorAll('.govuk-summary-card__content li')].map((li) => li.textContent)).toEqual(['An approved person was enrolledapplication.enrolled']);
    // Each event type that can be chosen says what it means beside its name.
    expect(root.querySelector('#type-application\\.enrolled-hint')?.textContent).toBe('An approved person was enrolled');
    render(null, root);
  });

  it('shows the paused endpoints on the console home, linked to their page, and nothing when none is', async () => {
    let items = [paused];
    const fetch = vi.fn(async () => answer(200, { items }));
    vi.stubGlobal('fetch', fetch);
    const root = document.createElement('div');
    document.body.appendChild(root);
    render(<PausedEndpoints />, root);
    await vi.waitFor(() => expect(root.querySelector('a')).not.toBeNull());
    expect(root.querySelector('a')!.getAttribute('href')).toBe('/staff/integrations/ep_0123456789abcdef');
    expect(root.textContent).toContain('deliveries are paused');
    render(null, root);
    items = [{ ...paused, state: 'active' }];
    render(<PausedEndpoints />, root);
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
    await settle();
    expect(root.textContent).toBe('');
    render(null, root);
  });

  it('shows the signing secret once after adding, and says why an address is refused', async () => {
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      if (String(url).includes('event-types')) return answer(200, { event_types: ['application.enrolled'] });
      if (init?.method === 'POST') {
        const sent = JSON.parse(String(init.body));
        if (sent.url.includes('169.254')) return answer(422, { error: { code: 'url_refused', message: 'This address is link-local or a cloud metadata service.', fields: { '/url': 'link_local_address' } } });
        return answer(201, { ...paused, state: 'active', secret: 'whsec_c2VjcmV0' });
      }
      return answer(200, { items: [] });
    });
    vi.stubGlobal('fetch', fetch);
    const root = document.createElement('div');
    document.body.appendChild(root);
    render(<IntegrationsAdmin />, root);
    await vi.waitFor(() => expect(root.querySelector('#type-application\\.enrolled')).not.toBeNull());
    const type = (url: string) => {
      const input = root.querySelector('#endpoint-url') as HTMLInputElement;
      input.value = url;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    (root.querySelector('#type-application\\.enrolled') as HTMLInputElement).click();
    type('https://169.254.169.254/');
    await settle();
    (root.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector('.govuk-error-summary')?.textContent).toContain('This address is link-local or a cloud metadata service.'));
    type('https://registry.ministry.example/hooks');
    await settle();
    (root.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(root.textContent).toContain('whsec_c2VjcmV0'));
    expect(root.textContent).toContain('it is not shown again');
    const posted = fetch.mock.calls.filter(([, init]) => init?.method === 'POST').map(([, init]) => JSON.parse(String(init!.body)));
    expect(posted[1]).toEqual({ url: 'https://registry.ministry.example/hooks', event_types: ['application.enrolled'], description: '' });
    render(null, root);
  });

  it('lists an endpoint’s deliveries as cards, each time in the console’s language', async () => {
    const delivery = { event_id: '20261206T165345673057Z-00dfa34e2d4e', event_type: 'household.changed', state: 'delivered', attempts: 1, last_status: 200, last_error: null, last_attempt_at: '2026-12-06T16:53:46Z' };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => (String(url).includes('/deliveries') ? answer(200, { items: [delivery] }) : answer(200, { ...paused, state: 'active' }))),
    );
    const root = document.createElement('div');
    document.body.appendChild(root);
    render(<IntegrationEndpoint id={paused.id} />, root);
    await vi.waitFor(() => expect(root.querySelector('.govuk-summary-card')).not.toBeNull());
    expect(root.querySelector('table')).toBeNull();
    const card = root.querySelector('.govuk-summary-card')!;
    expect(card.querySelector('h3')?.textContent).toBe('The household a person told us about changed');
    expect(card.textContent).toContain('household.changed');
    expect(card.textContent).toContain('6 December 2026 at');
    expect(card.textContent).not.toMatch(/12\/6\/2026/);
    render(null, root);
  });
});
