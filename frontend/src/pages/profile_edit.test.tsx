/** "Change your details" reads the person's details once on load (issue 21), also when the link
 * that opened it chose the language (`?lang=fr`, which the app then drops from the address). */
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
  document.body.innerHTML = '';
});

const PROFILE = { version: 1, order: ['name'], fields: { name: { value: 'Amina Okafor', source: 'self' } }, profile_form: { schema: { type: 'object', properties: { name: { type: 'string' } } }, labels: {} } };

/** The app started as a browser starts it (main.tsx) on ``url``; every request it makes. */
async function load(url: string): Promise<string[]> {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (asked: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${asked}`);
      if (asked.startsWith('/api/session')) return new Response(JSON.stringify({ authenticated: true, csrf_token: 'c' }), { status: 200 });
      if (asked === '/api/me') return new Response(JSON.stringify(PROFILE), { status: 200 });
      return new Response(JSON.stringify({ items: [] }), { status: 200 });
    }),
  );
  document.body.innerHTML = '<div id="app"></div>';
  history.replaceState(null, '', url);
  await import('../main');
  await vi.waitFor(() => expect(document.querySelector<HTMLInputElement>('#f-name')?.value).toBe('Amina Okafor'), { timeout: 5000 });
  for (let i = 0; i < 10; i += 1) await new Promise((settle) => setTimeout(settle, 10));
  return calls;
}

describe('change your details, loaded', () => {
  it('reads /api/me once', async () => {
    const calls = await load('/me/edit');
    expect(calls.filter((call) => call === 'GET /api/me')).toHaveLength(1);
  });

  it('reads /api/me once when the link chose the language, which then leaves the address', async () => {
    const calls = await load('/me/edit?lang=fr');
    expect(location.search).toBe('');
    expect(calls.filter((call) => call === 'GET /api/me')).toHaveLength(1);
  });
});
