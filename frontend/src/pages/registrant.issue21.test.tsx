import { render } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import { type Catalog } from '../i18n';
import { loggedInRoot } from '../test_support/dom';
import en from '../i18n/en.json';
import { setSession } from '../session';
import { foldActivity, ActivityPage } from './activity_page';
import { ProfileRoutes } from './profile';
import { Applications, Home, noteLoggedOut, ProgramDetail, Programs, type Program } from './registrant';

const root = loggedInRoot('en', en as Catalog);

function serve(routes: Record<string, unknown>) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const found = Object.entries(routes).find(([prefix]) => url.startsWith(prefix));
      return new Response(JSON.stringify(found ? found[1] : { items: [] }), { status: 200 });
    }),
  );
}

const MINE = { items: [{ application_id: 'a1', program_id: 'grant', program_name: { en: 'Child Support Grant' }, status: 'submitted', reference: 'EM8-7VE-D2V', updated_at: '2031-06-05T10:00:00Z' }] };

describe('my applications on a phone', () => {
  it('are cards (a summary list each), not a four-column table', async () => {
    serve({ '/api/applications': MINE });
    render(<Applications />, root);
    await vi.waitFor(() => expect(root.textContent).toContain('Child Support Grant'));
    expect(root.querySelector('table')).toBeNull();
    const card = root.querySelector('.govuk-summary-card');
    expect(card?.querySelector('h2 a')?.getAttribute('href')).toBe('/applications/a1');
    expect([...card!.querySelectorAll('dt')].map((d) => d.textContent)).toEqual(['Status', 'Reference', 'Last updated']);
    expect(card?.textContent).toContain('5 June 2031');
  });
});

describe('the programmes', () => {
  it('are summary cards with a title bar and padded content (the text touched the card’s border)', async () => {
    serve({ '/api/programs': { programs: [{ program_id: 'grant', name: { en: 'Child Support Grant' }, description: { en: 'A monthly grant.' }, you: { can_apply: true } }] } });
    render(<Programs />, root);
    await vi.waitFor(() => expect(root.querySelector('.govuk-summary-card__title a')?.getAttribute('href')).toBe('/programs/grant'));
    expect(root.querySelector('.govuk-summary-card__content')?.textContent).toContain('A monthly grant.');
    expect(root.querySelector('.govuk-summary-card__content')?.textContent).toContain('You can apply');
  });
});

describe('a programme’s page', () => {
  it('says what it gives, until when and how long a decision takes, and links "You cannot apply" to the application there is', async () => {
    const program: Program = {
      program_id: 'grant',
      name: { en: 'Child Support Grant' },
      benefit: { en: '300 dirhams a month per child' },
      closes_at: '2031-07-31T23:59:00Z',
      decision_days: 30,
      you: { can_apply: false, reason: 'already_applied', blocking_application_id: 'a1' },
    };
    serve({ '/api/programs/': program, '/api/applications': MINE });
    render(<ProgramDetail id="grant" />, root);
    await vi.waitFor(() => expect(root.querySelector('h1')?.textContent).toBe('Child Support Grant'));
    const facts = Object.fromEntries([...root.querySelectorAll('.govuk-summary-list__row')].map((r) => [r.querySelector('dt')?.textContent, r.querySelector('dd')?.textContent]));
    expect(facts).toEqual({ 'What you get': '300 dirhams a month per child', 'Applications close': '31 July 2031', 'When you will hear': 'Usually within 30 days of applying' });
    expect(root.querySelector('#standing a')?.getAttribute('href')).toBe('/applications/a1');
  });

  it('shows only what the programme says', async () => {
    serve({ '/api/programs/': { program_id: 'grant', name: { en: 'Child Support Grant' }, you: { can_apply: true } } });
    render(<ProgramDetail id="grant" />, root);
    await vi.waitFor(() => expect(root.querySelector('h1')?.textContent).toBe('Child Support Grant'));
    expect(root.querySelector('.govuk-summary-list')).toBeNull();
  });
});

describe('logging out', () => {
  it('says you have logged out on the page you land on', async () => {
    setSession({ authenticated: false });
    noteLoggedOut();
    render(<Home />, root);
    expect(root.querySelector('[role=alert]')?.textContent).toContain('You have logged out');
    render(null, root);
    render(<Home />, root);
    expect(root.querySelector('[role=alert]')).toBeNull(); // said once
  });
});

describe('who looked at my details', () => {
  const viewed = (at: string) => ({ at, action: 'application_viewed', by: { role: 'reviewer', ref: 'staff-7f3e' }, details: { application_id: 'a1' } });

  it('folds near-identical rows in a row into one with how many times', () => {
    const rows = foldActivity([viewed('2031-06-05T15:02:00Z'), viewed('2031-06-05T15:01:00Z'), viewed('2031-06-05T15:00:00Z'), { ...viewed('2031-06-05T14:00:00Z'), action: 'profile_viewed', details: null }]);
    expect(rows.map((r) => r.count)).toEqual([3, 1]);
    expect(rows[0].firstAt).toBe('2031-06-05T15:00:00Z');
  });

  it('says which application, in words, and no staff id', async () => {
    serve({ '/api/me/activity': { items: [viewed('2031-06-05T15:02:00Z'), viewed('2031-06-05T15:01:00Z')] }, '/api/applications': MINE });
    render(<ActivityPage />, root);
    await vi.waitFor(() => expect(root.textContent).toContain('EM8-7VE-D2V'));
    expect(root.querySelectorAll('.govuk-summary-card')).toHaveLength(1);
    expect(root.querySelector('h2')?.textContent).toBe('Looked at your application (2 times)');
    expect(root.textContent).toContain('Child Support Grant');
    expect(root.textContent).not.toContain('staff-7f3e');
    expect(root.querySelector('table')).toBeNull();
  });

  it('gives rows folded within the same minute one time, not "Between 16:50 and 16:50"', async () => {
    serve({ '/api/me/activity': { items: [viewed('2031-06-05T15:02:40Z'), viewed('2031-06-05T15:02:10Z')] }, '/api/applications': MINE });
    render(<ActivityPage />, root);
    await vi.waitFor(() => expect(root.textContent).toContain('EM8-7VE-D2V'));
    expect(root.textContent).not.toContain('Between');
  });

  it('says "between" when the folded rows were at different times', async () => {
    serve({ '/api/me/activity': { items: [viewed('2031-06-05T15:02:00Z'), viewed('2031-06-05T13:01:00Z')] }, '/api/applications': MINE });
    render(<ActivityPage />, root);
    await vi.waitFor(() => expect(root.textContent).toContain('EM8-7VE-D2V'));
    expect(root.textContent).toContain('Between 5 June 2031 at');
  });
});

describe('what you agreed to share', () => {
  it('is headed with the ID provider’s name as people know it, not its configuration id', async () => {
    serve({ '/api/me/consents': { items: [{ consent_id: 'c1', kind: 'id_provider', provider: 'esignet', provider_name: { en: 'National ID', fr: 'Identité nationale' }, claims: ['name'], given_at: '2031-05-01T10:00:00Z', status: 'active' }] } });
    render(<ProfileRoutes path="/me/consents" />, root);
    await vi.waitFor(() => expect(root.querySelector('h2')?.textContent).toBe('National ID'));
    expect(root.textContent).not.toContain('esignet');
  });
});
