import { afterEach, describe, expect, it, vi } from 'vitest';
import { startOffline } from './index';

afterEach(() => vi.unstubAllGlobals());

describe('the service worker', () => {
  it("is registered only once the page's first reads have answered: its install must not hold up their data", async () => {
    const register = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'serviceWorker', { value: { register }, configurable: true });
    let answered!: () => void;
    startOffline({ registerWorker: true, after: new Promise<void>((resolve) => (answered = resolve)) });
    await new Promise((settle) => setTimeout(settle, 20));
    expect(register).not.toHaveBeenCalled();
    answered();
    await vi.waitFor(() => expect(register).toHaveBeenCalledWith('/sw.js'));
  });
});
