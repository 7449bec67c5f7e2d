import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawingRoot } from '../test_support/dom';
import { useApi } from './hooks';
import { forgetPrefetched, prefetch, readsFor } from './prefetch';

const root = drawingRoot();

function Names({ path }: { path: string }) {
  const loaded = useApi<{ items: string[] }>(path);
  return <p id="names">{loaded.data?.items.join(',') ?? 'loading'}</p>;
}

afterEach(() => {
  vi.unstubAllGlobals();
  forgetPrefetched();
});

describe('a page’s data asked for with its code', () => {
  it('knows what each registrant page reads: one request per page', () => {
    expect(readsFor('/programs')).toEqual([['/programs']]);
    expect(readsFor('/applications/csg_abc')).toEqual([['/applications/csg_abc/screen']]);
    for (const page of ['pages/household', 'pages/children/members/0', 'documents', 'check', 'confirmation']) expect(readsFor(`/applications/csg_abc/${page}`)).toEqual([['/applications/csg_abc/screen']]);
    expect(readsFor('/messages')).toEqual([['/me/messages', { limit: '50' }]]);
    expect(readsFor('/me/submissions', 'fr')).toEqual([['/me/submissions', { locale: 'fr' }], ['/me/change-requests']]);
    expect(readsFor('/staff/review')).toEqual([]);
  });

  it('the page takes the answer already on its way instead of asking again', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ items: ['a', 'b'] }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    prefetch('/programs');
    prefetch('/programs'); // a second navigation to it meanwhile asks nothing more
    render(<Names path="/programs" />, root);
    await vi.waitFor(() => expect(root.querySelector('#names')?.textContent).toBe('a,b'));
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('coming back to a page reads again: an answer from before a change made meanwhile is never shown', async () => {
    let status = 'submitted';
    const fetch = vi.fn(async () => new Response(JSON.stringify({ items: [status] }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    prefetch('/applications'); // read on the way through a page that links to it, not taken
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    await new Promise((settle) => setTimeout(settle, 0));
    status = 'info_requested'; // a reviewer decides
    prefetch('/applications'); // the person follows the link
    render(<Names path="/applications" />, root);
    await vi.waitFor(() => expect(root.querySelector('#names')?.textContent).toBe('info_requested'));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('on a good connection always asks the network first (no copy from the last visit)', async () => {
    const seen: (string | null)[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        seen.push(new Headers(init.headers).get('X-SSP-Cache'));
        return new Response(JSON.stringify({ items: ['now'] }), { status: 200 });
      }),
    );
    Object.defineProperty(navigator, 'connection', { value: { effectiveType: '4g' }, configurable: true });
    render(<Names path="/enrolments" />, root);
    await vi.waitFor(() => expect(root.querySelector('#names')?.textContent).toBe('now'));
    expect(seen).toEqual([null]);
  });

  it('on a slow connection shows the service worker’s copy at once, then the current data', async () => {
    Object.defineProperty(navigator, 'connection', { value: { effectiveType: '3g' }, configurable: true });
    const answers = [
      new Response(JSON.stringify({ items: ['old'] }), { status: 200, headers: { 'X-SSP-Cached': '1' } }),
      new Response(JSON.stringify({ items: ['new'] }), { status: 200 }),
    ];
    const seen: (string | null)[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        seen.push(new Headers(init.headers).get('X-SSP-Cache'));
        return answers.shift()!;
      }),
    );
    render(<Names path="/applications" />, root);
    await vi.waitFor(() => expect(root.querySelector('#names')?.textContent).toBe('new'));
    expect(seen).toEqual(['prefer', null]);
  });
});
