import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, onBusy, retryDelayMs, timing } from './client';

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

const BUSY = { error: { code: 'service_busy', message: 'busy' } };

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('a busy service (503)', () => {
  it('is tried again with the very same request, and the person is told meanwhile', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(answer(503, BUSY, { 'Retry-After': '2' }))
      .mockResolvedValueOnce(answer(503, BUSY, { 'Retry-After': '1' }))
      .mockResolvedValueOnce(answer(200, { status: 'submitted' }));
    vi.stubGlobal('fetch', fetch);
    const waits: number[] = [];
    vi.spyOn(timing, 'sleep').mockImplementation(async (ms) => {
      waits.push(ms);
    });
    const told: boolean[] = [];
    const stop = onBusy((busy) => told.push(busy));

    const result = await api<{ status: string }>('POST', '/applications/a1/submit', { body: {}, headers: { 'Idempotency-Key': 'submit-key-1' } });
    stop();

    expect(result.status).toBe('submitted');
    expect(fetch).toHaveBeenCalledTimes(3);
    const keys = fetch.mock.calls.map(([, init]) => (init as RequestInit & { headers: Record<string, string> }).headers['Idempotency-Key']);
    expect(keys).toEqual(['submit-key-1', 'submit-key-1', 'submit-key-1']);
    expect(fetch.mock.calls.map(([, init]) => (init as RequestInit).body)).toEqual(['{}', '{}', '{}']);
    expect(waits[0]).toBeGreaterThanOrEqual(1600);
    expect(waits[0]).toBeLessThanOrEqual(2400);
    expect(told).toEqual([true, false]);
  });

  it('gives up after a few tries with the error the API sent', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => answer(503, BUSY, { 'Retry-After': '1' })));
    vi.spyOn(timing, 'sleep').mockResolvedValue(undefined);
    const failed = await api('PATCH', '/applications/a1', { body: { answers: {} } }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ApiError);
    expect((failed as ApiError).code).toBe('service_busy');
    expect((globalThis.fetch as ReturnType<typeof vi.fn>).mock.calls.length).toBe(4);
  });

  it('is not what a 409 or a 429 gets: those are answered at once', async () => {
    const fetch = vi.fn(async () => answer(409, { error: { code: 'changed_meanwhile', message: 'x' } }));
    vi.stubGlobal('fetch', fetch);
    await expect(api('PATCH', '/applications/a1', { body: {} })).rejects.toMatchObject({ status: 409 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('retryDelayMs', () => {
  it('follows Retry-After, capped, with jitter; doubles without it', () => {
    for (let i = 0; i < 20; i += 1) {
      expect(retryDelayMs('3', 1)).toBeGreaterThanOrEqual(2400);
      expect(retryDelayMs('3', 1)).toBeLessThanOrEqual(3600);
      expect(retryDelayMs('600', 1)).toBeLessThanOrEqual(8 * 1000 * 1.2);
      expect(retryDelayMs(null, 2)).toBeGreaterThanOrEqual(3200);
    }
  });
});
