import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawingRoot } from '../test_support/dom';
import { useApi } from './hooks';
import type { EarlyReads } from './page_reads';
import { forgetPrefetched, prefetch, readsFor } from './prefetch';

const root = drawingRoot();

function Names({ path }: { path: string }) {
  const loaded = useApi<{ items: string[] }>(path);
  return <p id="names">{loaded.data?.items.join(',') ?? 'loading'}</p>;
}

afterEach(() => {
  vi.unstubAllGlobals();
  forgetPrefetched();
  delete earlyWindow().__sspEarly;
});

const earlyWindow = () => window as unknown as { __sspEarly?: EarlyReads };

/** The app as it starts on a page load: its prefetch module (and the hook that takes its reads) new. */
async function freshModules() {
  vi.resetModules();
  delete earlyWindow().__sspEarly;
  const [prefetching, hooks] = await Promise.all([import('./prefetch'), import('./hooks')]);
  function Names({ path }: { path: string }) {
    const loaded = hooks.useApi<{ items: string[] }>(path);
    return <p id="names">{loaded.data?.items.join(',') ?? 'loading'}</p>;
  }
  return { ...prefetching, Names };
}

describe('a page’s data asked for with its code', () => {
  it('knows what each registrant page reads: one request per page', () => {
    expect(readsFor('/programs')).toEqual([['/programs']]);
    expect(readsFor('/applications/csg_abc')).toEqual([['/applications/csg_abc/screen']]);
    for (const page of ['pages/household', 'pages/children/members/0', 'documents', 'check', 'confirmation']) expect(readsFor(`/applications/csg_abc/${page}`)).toEqual([['/applications/csg_abc/screen']]);
    expect(readsFor('/messages')).toEqual([['/me/messages', { limit: '50' }]]);
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

  it('a later navigation never takes a read the early script made when the page was loaded', async () => {
    const fresh = await freshModules();
    const fetch = vi.fn(async () => new Response(JSON.stringify({ items: ['with its reference'] }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const before = Promise.resolve(new Response(JSON.stringify({ items: ['before sending'] }), { status: 200 }));
    earlyWindow().__sspEarly = { at: Date.now(), started: { '/enrolments': before } };
    fresh.prefetch('/programs'); // the page the app was loaded on
    fresh.forgetPrefetched(); // the person sent their application
    fresh.prefetch('/enrolments'); // and went on
    render(<fresh.Names path="/enrolments" />, root);
    await vi.waitFor(() => expect(root.querySelector('#names')?.textContent).toBe('with its reference'));
  });

  it('an early script that runs after the app’s first reads (its code kept by the service worker) reads nothing, and no later page takes what it read', async () => {
    window.history.replaceState(null, '', '/applications/csg_abc/check');
    const fresh = await freshModules();
    let reference = '';
    const fetch = vi.fn(async () => new Response(JSON.stringify({ items: [reference || 'no reference'] }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    fresh.prefetch('/applications/csg_abc/check'); // the app's code ran first
    await import('./early'); // then the early script
    expect(fetch).toHaveBeenCalledTimes(1);
    reference = 'CSG-7KQ2';
    fresh.forgetPrefetched(); // the person sent the application within seconds
    fresh.prefetch('/applications/csg_abc/confirmation');
    render(<fresh.Names path="/applications/csg_abc/screen" />, root);
    await vi.waitFor(() => expect(root.querySelector('#names')?.textContent).toBe('CSG-7KQ2'));
    window.history.replaceState(null, '', '/');
  });

  it('takes a read index.html’s early script started before the app arrived', async () => {
    const fresh = await freshModules();
    const fetch = vi.fn(async () => new Response(JSON.stringify({ items: ['late'] }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    earlyWindow().__sspEarly = { at: Date.now(), started: { '/enrolments': Promise.resolve(new Response(JSON.stringify({ items: ['early'] }), { status: 200 })) } };
    fresh.prefetch('/enrolments');
    render(<fresh.Names path="/enrolments" />, root);
    await vi.waitFor(() => expect(root.querySelector('#names')?.textContent).toBe('early'));
    expect(fetch).not.toHaveBeenCalled();
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
