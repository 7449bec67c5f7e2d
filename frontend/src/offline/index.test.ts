import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client';
import { keepPage, pagesOf, pendingSave, queueSave, useStore } from './drafts';
import { offlineNote, sendWaiting, setOfflineNote, startOffline } from './index';
import { memoryStore } from './store';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

beforeAll(() => startOffline({ registerWorker: false }));
beforeEach(() => {
  useStore(memoryStore());
  setOfflineNote(undefined);
  vi.unstubAllGlobals();
});

describe('answers waiting on the device when the connection returns', () => {
  it('sends them with the version they were made against, then says they are saved', async () => {
    await keepPage('a1', 'about', { name: 'Amina' });
    await queueSave('a1', 'about', { name: 'Amina' }, 3);
    const calls: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => (calls.push({ url, init }), json({ application_id: 'a1', answers: { name: 'Amina' }, version: 4 }))));
    await sendWaiting();
    expect(calls.map((c) => [c.url, c.init.method, JSON.parse(String(c.init.body))])).toEqual([['/api/applications/a1', 'PATCH', { answers: { name: 'Amina' }, version: 3 }]]);
    expect(await pendingSave('a1')).toBeUndefined();
    expect(await pagesOf('a1')).toEqual({});
    expect(offlineNote()).toBe('sent');
  });

  it('puts them on top of the current version when the person changed it elsewhere', async () => {
    await queueSave('a1', 'about', { name: 'Amina' }, 3);
    const versions: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const body = JSON.parse(String(init.body));
        versions.push(body.version);
        return body.version === 3 ? json({ error: { code: 'changed_meanwhile', message: 'changed', current: { status: 'draft', version: 5 } } }, 409) : json({ application_id: 'a1', version: 6 });
      }),
    );
    await sendWaiting();
    expect(versions).toEqual([3, 5]);
    expect(await pendingSave('a1')).toBeUndefined();
  });

  it('keeps them while there is still no connection', async () => {
    await queueSave('a1', 'about', { name: 'Amina' }, 3);
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await sendWaiting();
    expect(await pendingSave('a1')).toBeDefined();
    expect(offlineNote()).toBeUndefined();
  });

  it('says so when the server refuses them, and keeps them for the person to check', async () => {
    await queueSave('a1', 'about', { age: 'x' }, 3);
    vi.stubGlobal('fetch', vi.fn(async () => json({ error: { code: 'validation_failed', message: 'no', fields: { '/answers/age': 'type' } } }, 422)));
    await sendWaiting();
    expect(await pendingSave('a1')).toBeDefined();
    expect(offlineNote()).toBe('not_sent');
  });
});

describe('nothing personal stays on the device', () => {
  it('forgets everything on logout, even when the answer is lost', async () => {
    await keepPage('a1', 'about', { name: 'Amina' });
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await api('POST', '/auth/logout', { body: {} }).catch(() => undefined);
    expect(await pagesOf('a1')).toEqual({});
  });

  it('forgets an application’s answers once it is sent', async () => {
    await keepPage('a1', 'about', { name: 'Amina' });
    await keepPage('a2', 'about', { name: 'Amina' });
    vi.stubGlobal('fetch', vi.fn(async () => json({ application_id: 'a1', status: 'submitted' })));
    await api('POST', '/applications/a1/submit', { body: {} });
    expect(await pagesOf('a1')).toEqual({});
    expect(await pagesOf('a2')).toEqual({ about: { name: 'Amina' } });
  });
});
