/**
 * The app on a phone with an unreliable connection: answers waiting on the device are sent when
 * the connection returns (and said so), the service worker keeps the app shell and the pages
 * already visited for offline use, and nothing of the person stays on the device after logout.
 */
import { afterApiCall, api, ApiError } from '../api/client';
import { forgetPrefetched } from '../api/prefetch';
import type { Application } from '../pages/application/loaded';
import { claimFor, forgetApplication, forgetEverything, pendingSave, sent, waitingApplications, type PendingSave } from './drafts';

export type OfflineNote = 'offline' | 'kept' | 'sent' | 'not_sent';

let note: OfflineNote | undefined;
const listeners = new Set<(note: OfflineNote | undefined) => void>();

export function offlineNote(): OfflineNote | undefined {
  return note;
}

export function onOfflineNote(listener: (note: OfflineNote | undefined) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setOfflineNote(next: OfflineNote | undefined): void {
  note = next;
  listeners.forEach((listener) => listener(next));
}

/** Told when a save waiting on the device reached the server: the application as it is now. */
const savedListeners = new Set<(application: Application, pages: string[]) => void>();
export function onSentFromDevice(listener: (application: Application, pages: string[]) => void): () => void {
  savedListeners.add(listener);
  return () => savedListeners.delete(listener);
}

/** Whether the browser says it is offline (a lie-free "no" is all it can say). */
export function offline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

async function sendOne(application: string, pending: PendingSave): Promise<'sent' | 'offline' | 'refused'> {
  const path = `/applications/${encodeURIComponent(application)}`;
  let version = pending.version;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const saved = await api<Application>('PATCH', path, { body: { answers: pending.patch, ...(version !== undefined ? { version } : {}) } });
      await sent(application, pending);
      savedListeners.forEach((listener) => listener(saved, pending.pages));
      return 'sent';
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 0 || error.status === 401 || error.status === 503) return 'offline';
      // Changed meanwhile (most often by this person on another tab or device): what they typed
      // here is the newer answer, so it goes on top of the current version.
      const current = (error.details.current as { version?: number } | undefined)?.version;
      if (error.code === 'changed_meanwhile' && current !== undefined && attempt === 0) {
        version = current;
        continue;
      }
      return 'refused';
    }
  }
  return 'refused';
}

let sending: Promise<void> | undefined;

/** Send every save waiting on the device; say what happened. */
export function sendWaiting(): Promise<void> {
  sending ??= (async () => {
    try {
      const waiting = await waitingApplications();
      let outcome: OfflineNote | undefined;
      for (const application of waiting) {
        const pending = await pendingSave(application);
        if (!pending) continue;
        const result = await sendOne(application, pending);
        if (result === 'offline') return;
        if (result === 'refused') outcome = 'not_sent';
        else outcome ??= 'sent';
      }
      if (outcome) setOfflineNote(outcome);
      else if (note === 'offline') setOfflineNote(undefined);
    } finally {
      sending = undefined;
    }
  })();
  return sending;
}

const APPLICATION_END = /^\/applications\/([^/]+)\/(submit|withdraw)$/;

/** Everything personal on this device: the answers kept, and the service worker's copies. */
export async function wipeDevice(): Promise<void> {
  await forgetEverything().catch(() => undefined);
  if (typeof caches !== 'undefined') {
    for (const name of await caches.keys().catch((): string[] => [])) if (name.startsWith('ssp-data')) await caches.delete(name).catch(() => false);
  }
  navigator.serviceWorker?.controller?.postMessage({ type: 'logout' });
}

/** After a change the person made: the service worker's copies (and reads started before it) are
 * out of date, and must never show the change undone. The session's copy stays. */
export async function forgetCopies(): Promise<void> {
  forgetPrefetched();
  if (typeof caches === 'undefined' || !(await caches.has('ssp-data').catch(() => false))) return;
  const cache = await caches.open('ssp-data');
  for (const request of await cache.keys()) if (new URL(request.url).pathname !== '/api/session') await cache.delete(request);
}

/** Once, at start: wire the hooks and register the service worker, once the page has loaded and
 * ``after`` (its first reads) has settled: installing, the worker downloads the app's page again,
 * which on a slow network must not hold up the data a person is waiting for. */
export function startOffline({ registerWorker, after = Promise.resolve() }: { registerWorker: boolean; after?: Promise<unknown> }): void {
  afterApiCall(async ({ method, path, status }) => {
    if (method === 'GET' || method === 'HEAD') return;
    // Logging out (even when the answer was lost): nothing of the person stays on this phone.
    if (method === 'POST' && path === '/auth/logout') return wipeDevice();
    if (status < 200 || status >= 300) return;
    await forgetCopies().catch(() => undefined);
    const ended = APPLICATION_END.exec(path);
    if (method === 'POST' && ended) await forgetApplication(decodeURIComponent(ended[1]));
  });
  window.addEventListener('online', () => void sendWaiting());
  window.addEventListener('offline', () => setOfflineNote('offline'));
  if (offline()) setOfflineNote('offline');
  if (registerWorker && 'serviceWorker' in navigator) {
    const loaded = document.readyState === 'complete' ? Promise.resolve() : new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
    void Promise.all([loaded, after.catch(() => undefined)]).then(() => navigator.serviceWorker.register('/sw.js').catch(() => undefined));
  }
}

/** The session is known: another person's answers go; this person's waiting saves are sent. */
export async function sessionKnown(session: { authenticated: boolean; registrant_id?: string }): Promise<void> {
  if (!session.authenticated || !session.registrant_id) return;
  await claimFor(session.registrant_id).catch(() => undefined);
  if (!offline()) await sendWaiting();
}
