/**
 * The set-up task list's rules, without drawing anything: each task's status, what a person needs
 * that the programme lacks (the same rule as the server's `catalogue.missing_for_opening`, so
 * "Open the programme" is offered exactly when the API would open it), and the date helpers of
 * the details page (a day picked in the browser <-> the API's RFC 3339 moment).
 */

/** What the task list reads of a programme (the admin API's view). */
export interface SetupProgram {
  program_id: string;
  state: string;
  name?: unknown;
  description?: unknown;
  eligibility?: unknown;
  benefit?: unknown;
  decision_days?: number | null;
  opens_at?: string | null;
  closes_at?: string | null;
  policy?: { kind?: string; cooldown_days?: number };
  documents?: { kind?: string }[];
  consents?: unknown[];
  /** The kinds the mapped form's document questions ask for (the admin API's view). */
  form_document_kinds?: string[];
  form_id?: string | null;
  form_version?: number | null;
}

export type TaskId = 'details' | 'form' | 'documents' | 'consents' | 'policy' | 'reviewers' | 'open';
/** `cannot_start`: the last task, while something a person needs is missing; `info`: nothing to do in the portal. */
export type TaskStatus = 'not_started' | 'in_progress' | 'completed' | 'cannot_start' | 'info';

/** The texts a person reads before applying, each needed in every language (the server's PERSON_TEXTS). */
export const PERSON_TEXTS = ['name', 'description', 'eligibility', 'benefit'] as const;
export type PersonText = (typeof PERSON_TEXTS)[number];
export const PORTAL_LOCALES = ['en', 'fr', 'ar'] as const;
export const MAX_DECISION_DAYS = 365;

/** One thing missing before the programme can open: the API's pointer, and the task that gives it. */
export interface Missing {
  pointer: string;
  task: TaskId;
}

function textOf(value: unknown, locale: string): string {
  const map = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const text = map[locale];
  return typeof text === 'string' ? text.trim() : '';
}

/** What a person needs and the programme lacks, in the order the task list asks for it. */
export function missingForOpening(program: SetupProgram): Missing[] {
  const missing: Missing[] = [];
  for (const name of PERSON_TEXTS) {
    for (const code of PORTAL_LOCALES) if (!textOf(program[name], code)) missing.push({ pointer: `/${name}/${code}`, task: 'details' });
  }
  if (program.decision_days == null) missing.push({ pointer: '/decision_days', task: 'details' });
  if (!program.form_id) missing.push({ pointer: '/form', task: 'form' });
  const accepted = new Set((program.documents ?? []).map((rule) => rule.kind));
  for (const kind of program.form_document_kinds ?? []) if (!accepted.has(kind)) missing.push({ pointer: `/documents/${kind}`, task: 'documents' });
  return missing;
}

/** The details asked beyond the name every programme is created with. */
function detailsStarted(program: SetupProgram): boolean {
  const texts = PERSON_TEXTS.some((name) => PORTAL_LOCALES.some((code) => (name !== 'name' || code !== 'en') && textOf(program[name], code)));
  return texts || program.decision_days != null || Boolean(program.closes_at) || Boolean(program.opens_at);
}

export function canOpen(program: SetupProgram): boolean {
  return (program.state === 'draft' || program.state === 'closed') && missingForOpening(program).length === 0;
}

export function taskStatus(program: SetupProgram, task: TaskId): TaskStatus {
  const missing = missingForOpening(program);
  switch (task) {
    case 'details':
      if (!missing.some((m) => m.task === 'details')) return 'completed';
      return detailsStarted(program) ? 'in_progress' : 'not_started';
    case 'form':
      return program.form_id ? 'completed' : 'not_started';
    case 'documents':
      // Optional, unless the form asks for a kind of document the programme does not accept yet.
      if (missing.some((m) => m.task === 'documents')) return (program.documents ?? []).length ? 'in_progress' : 'not_started';
      return (program.documents ?? []).length ? 'completed' : 'not_started';
    case 'consents':
      return (program.consents ?? []).length ? 'completed' : 'not_started';
    case 'policy':
      return program.policy?.kind ? 'completed' : 'not_started'; // every programme starts with "one at a time"
    case 'reviewers':
      return 'info';
    case 'open':
      if (program.state === 'open') return 'completed';
      return missing.length ? 'cannot_start' : 'not_started';
  }
}

/** The tasks in their sections, in order; `optional` ones never hold back opening. */
export const SECTIONS: { id: string; tasks: { id: TaskId; optional?: boolean }[] }[] = [
  { id: 'about', tasks: [{ id: 'details' }] },
  { id: 'apply', tasks: [{ id: 'form' }, { id: 'documents', optional: true }, { id: 'consents', optional: true }, { id: 'policy' }] },
  { id: 'review', tasks: [{ id: 'reviewers', optional: true }] },
  { id: 'open', tasks: [{ id: 'open' }] },
];

/** How many of the tasks a person's needs depend on are done (the line above the list). */
export function progress(program: SetupProgram): { done: number; total: number } {
  const counted: TaskId[] = ['details', 'form', 'policy', 'open'];
  return { done: counted.filter((task) => taskStatus(program, task) === 'completed').length, total: counted.length };
}

// --- dates: a day picked with <input type=date> <-> the API's moment --------------------------------

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The day (YYYY-MM-DD, in the browser's time zone) a moment falls on; '' for none. */
export function dayOf(moment: string | null | undefined): string {
  if (!moment) return '';
  const date = new Date(moment);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The moment the API keeps for a picked day: applications open at the start of the opening day
 * and close at the end of the closing day, in the administrator's time zone (sent with its offset).
 * `null` for no day; `undefined` for something that is not a day.
 */
export function momentOf(day: string, edge: 'start' | 'end'): string | null | undefined {
  if (!day.trim()) return null;
  const found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!found) return undefined;
  const [year, month, date] = [Number(found[1]), Number(found[2]), Number(found[3])];
  const local = edge === 'start' ? new Date(year, month - 1, date, 0, 0, 0) : new Date(year, month - 1, date, 23, 59, 59);
  if (local.getFullYear() !== year || local.getMonth() !== month - 1 || local.getDate() !== date) return undefined;
  const offset = -local.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${year}-${pad(month)}-${pad(date)}T${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}${zone}`;
}
