import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCatalogForTests, type Catalog } from '../../i18n';
import ar from '../../i18n/ar.json';
import en from '../../i18n/en.json';
import fr from '../../i18n/fr.json';
import { drawingRoot } from '../../test_support/dom';
import { AgentError, capture, confirmPairing, isPaired, agentState, setAgentAddress, startPairing } from './agent';
import { problemText } from './common';
import { clearDraft, loadDraft, noteWork, saveDraft, todaysWork } from './desk_store';
import { Countdown } from './session';

const root = drawingRoot();
const calls: { url: string; init: RequestInit }[] = [];

function answer(status: number, body: unknown) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

beforeEach(() => {
  useCatalogForTests('en', en as Catalog);
  localStorage.clear();
  sessionStorage.clear();
  calls.length = 0;
});
afterEach(() => vi.unstubAllGlobals());

describe('the edge agent client', () => {
  it('pairs with the code the agent shows and then sends the secret, and the bearer only on a capture', async () => {
    sessionStorage.setItem('ssp-staff-token', 'the.officer.token');
    const replies = [answer(201, { pairing_id: 'p1' }), answer(200, { secret: 's3cret' }), answer(200, { queue: { pending: 0 } }), answer(201, { state: 'verified' })];
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => (calls.push({ url, init }), replies.shift()));
    expect(isPaired()).toBe(false);
    expect(await startPairing('Desk 1')).toBe('p1');
    await confirmPairing('p1', '123 456');
    expect(isPaired()).toBe(true);
    await agentState();
    await capture('7150392864', 'finger');
    const headers = calls.map((c) => c.init.headers as Record<string, string>);
    expect(calls[1].url).toBe('http://127.0.0.1:4700/v1/pairings/p1/confirm');
    expect(headers[0]['X-SSP-Pairing']).toBeUndefined();
    expect(headers[2]['X-SSP-Pairing']).toBe('s3cret');
    expect(headers[2].Authorization).toBeUndefined();
    expect(headers[3].Authorization).toBe('Bearer the.officer.token');
    expect(calls.every((c) => c.init.credentials === 'omit')).toBe(true);
  });

  it('forgets a pairing the agent no longer knows, and says so', async () => {
    localStorage.setItem('ssp-agent-pairing:http://127.0.0.1:4700', 'old');
    vi.stubGlobal('fetch', () => answer(401, { error: { code: 'pairing_required', message: 'Pair again.' } }));
    const error = await agentState().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentError);
    expect(isPaired()).toBe(false);
    expect(problemText(error)).toBe(en['officer.agent_error.pairing_required']);
  });

  it('explains an agent that does not answer and a device that is not ready, in plain words', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    expect(problemText(await agentState().catch((e: unknown) => e))).toContain('does not answer');
    vi.stubGlobal('fetch', () => answer(409, { error: { code: 'device_problem', message: 'x', device_code: '110' } }));
    expect(problemText(await capture('1', 'finger').catch((e: unknown) => e))).toBe(en['officer.device.110']);
  });

  it('only accepts a loopback address for the agent', () => {
    setAgentAddress('https://evil.example');
    setAgentAddress('http://127.0.0.1:4711/');
    expect(localStorage.getItem('ssp-agent-url')).toBe('http://127.0.0.1:4711');
  });
});

describe("the officer's drafts and today's work", () => {
  it('keeps answers by application until the portal accepts them', () => {
    saveDraft('app-1', { name: 'Amina' });
    expect(loadDraft('app-1')).toEqual({ name: 'Amina' });
    clearDraft('app-1');
    expect(loadDraft('app-1')).toBeUndefined();
  });

  it("lists today's submissions once each, newest first", () => {
    noteWork({ kind: 'submitted', session_id: 's', application_id: 'a', reference: 'R-1' });
    noteWork({ kind: 'submitted', session_id: 's', application_id: 'b', reference: 'R-2' });
    noteWork({ kind: 'submitted', session_id: 's', application_id: 'a', reference: 'R-1' });
    expect(todaysWork().map((w) => w.application_id)).toEqual(['a', 'b']);
  });
});

describe("the session's countdown", () => {
  it.each([
    ['en', en, 'Session ends in 9:5'],
    ['fr', fr, 'La session se termine dans 9:5'],
    ['ar', ar, 'تنتهي الجلسة بعد 9:5'],
  ])('shows the time left in %s', (code, catalog, text) => {
    useCatalogForTests(code as 'en', catalog as Catalog);
    render(<Countdown expiresAt={new Date(Date.now() + 599_500).toISOString()} />, root);
    expect(root.querySelector('#session-countdown')?.textContent).toContain(text);
  });
});
