/**
 * Answers typed when the session expired: kept in the browser while the person logs in again,
 * and given back to the page they return to.
 */
import { keepableAnswers, type Answers, type FormModel } from '../../forms/model';

const UNSAVED = 'ssp-unsaved:';

export function takeUnsaved(id: string): Answers | undefined {
  try {
    const text = sessionStorage.getItem(UNSAVED + id) ?? localStorage.getItem(UNSAVED + id);
    localStorage.removeItem(UNSAVED + id);
    sessionStorage.removeItem(UNSAVED + id);
    return text ? (JSON.parse(text) as Answers) : undefined;
  } catch {
    return undefined;
  }
}

/** Session expired while answering: keep what may be kept, then log in again and come back. */
export function keepAndLogIn(id: string, model: FormModel, answers: Answers): void {
  try {
    localStorage.setItem(UNSAVED + id, JSON.stringify(keepableAnswers(model, answers)));
  } catch {
    /* storage full or blocked: the person retypes */
  }
  location.assign(`/login?expired=1&next=${encodeURIComponent(location.pathname + location.search)}`);
}
