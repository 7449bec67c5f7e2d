/**
 * index.html's early script: a few hundred bytes that arrive before the app's code and start the
 * page's reads at once (api/page_reads.ts), so that on a slow network the data and the code
 * travel together. The app takes these reads (api/prefetch.ts) instead of asking again.
 */
import { readsFor, slowConnection, urlOf, type EarlyReads } from './page_reads';

const early = window as unknown as { __sspEarly?: EarlyReads };
const started: EarlyReads['started'] = {};
// After the app's own first reads (its code came first, from the service worker): nothing to do.
for (const [path, query] of early.__sspEarly ? [] : readsFor(location.pathname)) {
  const url = urlOf(path, query);
  // The same request as the app's first read (api/client.ts: `preferCached`).
  // The body is read at once: a read the app does not take (its page changed meanwhile) would
  // otherwise hold its connection open, unread, for as long as the page lives.
  started[url] = fetch(`/api${url}`, { headers: slowConnection() ? { Accept: 'application/json', 'X-SSP-Cache': 'prefer' } : { Accept: 'application/json' }, credentials: 'same-origin' }).then(
    async (answer) => new Response(answer.status === 204 ? null : await answer.arrayBuffer(), { status: answer.status, statusText: answer.statusText, headers: answer.headers }),
  );
  started[url].catch(() => undefined); // the app reads again
}
if (!early.__sspEarly) early.__sspEarly = { at: Date.now(), started };
