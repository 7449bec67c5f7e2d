/**
 * The GOV.UK error pattern for staff forms: an error summary at the top linking to each field,
 * the message on the field itself; and the problems of a failed save, in words.
 */
import { ApiError } from '../api/client';
import type { ErrorItem } from '../components/govuk';
import { errorMessage } from '../components/page';
import { has, t } from '../i18n';

/** One problem on a staff form: the id of the element it is about (for the summary's link), and what to do. */
export interface Problem {
  id: string;
  text: string;
}

export function summaryOf(problems: Problem[]): ErrorItem[] {
  return problems.map((p) => ({ href: p.id ? `#${p.id}` : '', text: p.text }));
}

export function messageFor(problems: Problem[], id: string): string | undefined {
  const found = problems.filter((p) => p.id === id).map((p) => p.text);
  return found.length ? found.join('. ') : undefined;
}

/** A field error code from the API, in words. */
function codeText(code: string): string {
  const key = `staff.error.${code}`;
  return has(key) ? t(key) : t('staff.error.other', { code });
}

/**
 * The problems of a failed save: each field error of the answer on the element `idOf` names
 * for its JSON pointer (`fallback` when none does, with the pointer said), else the error's message.
 */
export function problemsOf(error: unknown, idOf: (pointer: string) => string | undefined, fallback: string): Problem[] {
  if (error instanceof ApiError && Object.keys(error.fields).length) {
    return Object.entries(error.fields).map(([pointer, code]) => {
      const id = idOf(pointer);
      return id ? { id, text: codeText(code) } : { id: fallback, text: `${pointer}: ${codeText(code)}` };
    });
  }
  return [{ id: '', text: errorMessage(error) }];
}

/** The problems of a failed save of a one-field form, all on that field. */
export function problemsOn(error: unknown, id: string): Problem[] {
  return problemsOf(error, () => id, id).map((p) => ({ ...p, id }));
}
