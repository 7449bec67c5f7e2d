import { render } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import { type Catalog } from '../../i18n';
import { loggedInRoot } from '../../test_support/dom';
import ar from '../../i18n/ar.json';
import { Messages } from './index';

const root = loggedInRoot('ar', ar as Catalog);

const SENT = {
  items: [
    { message_id: 'm1', event_type: 'application.submitted', channel: 'sms', state: 'sent', body: 'Layla, we received your application. Call 0712 345 678.', sent_at: '2026-12-06T16:50:00Z' },
    { message_id: 'm2', event_type: 'application.submitted', channel: 'email', state: 'parked', subject: 'We received your application', body: 'Hello Layla,', sent_at: '2026-12-06T16:50:00Z' },
  ],
};

describe('the messages sent to the person, on a phone in Arabic', () => {
  it('are a list, not a three-column table, each in its own direction with a phone number in order', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(SENT), { status: 200 })));
    render(<Messages />, root);
    await vi.waitFor(() => expect(root.querySelectorAll('.ssp-message')).toHaveLength(2));
    expect(root.querySelector('table')).toBeNull();
    const [sms, email] = [...root.querySelectorAll('.ssp-message')];
    const body = sms.querySelector('.ssp-message__body');
    expect(body?.getAttribute('dir')).toBe('auto');
    expect(body?.textContent).toBe('Layla, we received your application. Call \u20660712 345 678\u2069.');
    expect(sms.querySelector('.ssp-message__meta')?.textContent).toContain((ar as Record<string, unknown>)['messages.channel.sms'] as string);
    expect(email.querySelector('.govuk-tag--red')?.textContent).toBe((ar as Record<string, unknown>)['messages.state.parked'] as string);
    expect(email.textContent).toContain('We received your application');
  });
});
