/**
 * What a person typed on an application and the server does not have yet, kept on the device
 * (IndexedDB) so that a reload, a dropped connection or a closed tab loses nothing:
 * - each question page's inputs as typed (`page:<application>:<page>`), until that page is saved;
 * - the saves that could not reach the server (`pending:<application>`): one JSON merge patch,
 *   later pages' patches composed onto earlier ones, with the version they were made against.
 * All of it is the person's: wiped on logout, when another person logs in on this device, and an
 * application's part when it is sent (see `offline/index.ts`).
 */
import type { Answers } from '../forms/model';
import { deviceStore, type KeyValueStore } from './store';

export type RawInputs = Record<string, unknown>;

export interface PendingSave {
  patch: Answers;
  version?: number;
  pages: string[];
  at: string;
}

let store: KeyValueStore = deviceStore();

/** Tests: use another store (memory). */
export function useStore(next: KeyValueStore): void {
  store = next;
}

const OWNER = 'owner';
const pageKey = (application: string, page: string) => `page:${application}:${page}`;
const pendingKey = (application: string) => `pending:${application}`;

export async function keepPage(application: string, page: string, raw: RawInputs): Promise<void> {
  await store.set(pageKey(application, page), raw);
}

export function dropPage(application: string, page: string): Promise<void> {
  return store.del(pageKey(application, page));
}

/** Every page of the application with inputs kept on the device: `{page: inputs}`. */
export async function pagesOf(application: string): Promise<Record<string, RawInputs>> {
  const prefix = pageKey(application, '');
  const found: Record<string, RawInputs> = {};
  for (const key of await store.keys()) {
    if (!key.startsWith(prefix)) continue;
    const raw = await store.get<RawInputs>(key);
    if (raw) found[key.slice(prefix.length)] = raw;
  }
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The merge patch that does what ``first`` then ``second`` do (RFC 7396 applied twice). */
export function composePatches(first: Answers, second: Answers): Answers {
  const result: Record<string, unknown> = { ...first };
  for (const [key, value] of Object.entries(second)) {
    result[key] = isObject(value) && isObject(result[key]) ? composePatches(result[key] as Answers, value as Answers) : value;
  }
  return result as Answers;
}

/** ``answers`` with a JSON merge patch applied (RFC 7396): what the server will hold once it is sent. */
export function applyPatch(answers: Answers, patch: Answers): Answers {
  const result: Record<string, unknown> = { ...answers };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (isObject(value)) result[key] = applyPatch(isObject(result[key]) ? (result[key] as Answers) : {}, value as Answers);
    else result[key] = value;
  }
  return result as Answers;
}

/** A save that did not reach the server: composed with any waiting already. */
export async function queueSave(application: string, page: string, patch: Answers, version: number | undefined): Promise<PendingSave> {
  const waiting = await store.get<PendingSave>(pendingKey(application));
  const next: PendingSave = waiting
    ? { patch: composePatches(waiting.patch, patch), version: waiting.version ?? version, pages: [...new Set([...waiting.pages, page])], at: new Date().toISOString() }
    : { patch, version, pages: [page], at: new Date().toISOString() };
  await store.set(pendingKey(application), next);
  return next;
}

export function pendingSave(application: string): Promise<PendingSave | undefined> {
  return store.get<PendingSave>(pendingKey(application));
}

/** The applications with a save waiting. */
export async function waitingApplications(): Promise<string[]> {
  return (await store.keys()).filter((k) => k.startsWith('pending:')).map((k) => k.slice('pending:'.length));
}

/** The server has it now: the waiting save and the inputs of the pages it carried go. */
export async function sent(application: string, pending: PendingSave): Promise<void> {
  const now = await pendingSave(application);
  // Something queued meanwhile (a later page) stays; only what was sent goes.
  if (now && now.at === pending.at) await store.del(pendingKey(application));
  for (const page of pending.pages) await dropPage(application, page);
}

/** Everything kept for one application (it was sent, or withdrawn). */
export async function forgetApplication(application: string): Promise<void> {
  for (const key of await store.keys()) if (key === pendingKey(application) || key.startsWith(pageKey(application, ''))) await store.del(key);
}

/** Everything kept on this device (logout). */
export function forgetEverything(): Promise<void> {
  return store.clear();
}

/** Whose answers these are: another person logging in on this device finds none of them. */
export async function claimFor(registrantId: string): Promise<void> {
  const owner = await store.get<string>(OWNER);
  if (owner === registrantId) return;
  await store.clear();
  await store.set(OWNER, registrantId);
}
