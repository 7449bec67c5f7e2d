/**
 * What the officer's console keeps on this PC: drafts of answers typed for a person, until the
 * portal accepts them (a dropped network or an expired sign-in loses nothing), and the list of
 * today's sessions and applications. Only what the person's own app would keep (no document, no
 * ID number: `keepableAnswers`); a draft is removed as soon as the portal has it.
 */
import type { Answers } from '../../forms/model';

const DRAFT = 'ssp-officer-draft:';
const TODAY = 'ssp-officer-today';

export interface WorkItem {
  kind: 'session' | 'submitted';
  at: string;
  session_id: string;
  application_id?: string;
  program?: string;
  reference?: string | null;
}

function store(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

export function saveDraft(applicationId: string, answers: Answers): void {
  store()?.setItem(DRAFT + applicationId, JSON.stringify({ answers, at: new Date().toISOString() }));
}

export function loadDraft(applicationId: string): Answers | undefined {
  const raw = store()?.getItem(DRAFT + applicationId);
  if (!raw) return undefined;
  try {
    return (JSON.parse(raw) as { answers: Answers }).answers;
  } catch {
    return undefined;
  }
}

export function clearDraft(applicationId: string): void {
  store()?.removeItem(DRAFT + applicationId);
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function todaysWork(): WorkItem[] {
  try {
    const kept = JSON.parse(store()?.getItem(TODAY) ?? 'null') as { day: string; items: WorkItem[] } | null;
    return kept && kept.day === today() ? kept.items : [];
  } catch {
    return [];
  }
}

export function noteWork(item: Omit<WorkItem, 'at'>): void {
  const items = todaysWork().filter((w) => !(w.kind === item.kind && w.session_id === item.session_id && w.application_id === item.application_id));
  store()?.setItem(TODAY, JSON.stringify({ day: today(), items: [{ ...item, at: new Date().toISOString() }, ...items].slice(0, 200) }));
}
