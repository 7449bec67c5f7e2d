import { beforeEach, describe, expect, it } from 'vitest';
import { applyPatch, claimFor, composePatches, forgetApplication, keepPage, pagesOf, pendingSave, queueSave, sent, useStore, waitingApplications } from './drafts';
import { memoryStore } from './store';

beforeEach(() => useStore(memoryStore()));

describe('answers kept on the device', () => {
  it('keeps what was typed on each page until that page is saved', async () => {
    await keepPage('a1', 'about', { name: 'Amina' });
    await keepPage('a1', 'household', { size: '3' });
    await keepPage('a2', 'about', { name: 'Omar' });
    expect(await pagesOf('a1')).toEqual({ about: { name: 'Amina' }, household: { size: '3' } });
  });

  it('composes a later page’s save onto an earlier one, keeping the first version', async () => {
    await queueSave('a1', 'about', { name: 'Amina', address: { city: 'Rabat' } }, 4);
    const both = await queueSave('a1', 'household', { address: { street: '1 rue' }, pets: null }, 5);
    expect(both.patch).toEqual({ name: 'Amina', address: { city: 'Rabat', street: '1 rue' }, pets: null });
    expect(both.version).toBe(4);
    expect(both.pages).toEqual(['about', 'household']);
    expect(await waitingApplications()).toEqual(['a1']);
  });

  it('applies a merge patch as the server will (null removes)', () => {
    expect(applyPatch({ name: 'A', pets: 2, address: { city: 'X' } }, { pets: null, address: { street: 'Y' } })).toEqual({ name: 'A', address: { city: 'X', street: 'Y' } });
    expect(composePatches({ a: { b: 1 } }, { a: null })).toEqual({ a: null });
  });

  it('once sent, forgets the save and its pages but not what was queued meanwhile', async () => {
    await keepPage('a1', 'about', { name: 'Amina' });
    const first = await queueSave('a1', 'about', { name: 'Amina' }, 1);
    await new Promise((r) => setTimeout(r, 2));
    await queueSave('a1', 'household', { size: 3 }, 1);
    await sent('a1', first);
    expect(await pendingSave('a1')).toBeDefined();
    expect(await pagesOf('a1')).toEqual({});
  });

  it('forgets an application when it is sent, and everything when another person logs in', async () => {
    await claimFor('person-1');
    await keepPage('a1', 'about', { name: 'Amina' });
    await queueSave('a1', 'about', { name: 'Amina' }, 1);
    await keepPage('a2', 'about', { name: 'Amina' });
    await forgetApplication('a1');
    expect(await pagesOf('a1')).toEqual({});
    expect(await pendingSave('a1')).toBeUndefined();
    await claimFor('person-1');
    expect(await pagesOf('a2')).toEqual({ about: { name: 'Amina' } });
    await claimFor('person-2');
    expect(await pagesOf('a2')).toEqual({});
  });
});
