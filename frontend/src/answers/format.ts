/**
 * One way of showing an answer, wherever it is shown: check your answers, the application's page,
 * "everything you have sent us", the reviewer's view and the receipt. The HTML export follows the
 * same rules on the server (`chalicelib/person/format.py`).
 *
 * - nothing given: "Not answered"
 * - yes/no (a boolean, whatever the widget): "Yes" / "No", never "true"
 * - a date: in words in the reader's language ("5 June 2031", "5 juin 2031")
 * - several choices: a list written the language's way ("A, B and C", "A، وB")
 * - a choice: its option's label in the reader's language
 * - a document: its file name, never its id
 * - a repeating group: how many were added ("2 children")
 */
import { formatDate, localized, locale, t } from '../i18n';

/** What the formatter needs of a question: its kind and its options (the form model's `Field` has both). */
export interface AnswerShape {
  kind: string;
  options?: { value: unknown; label: unknown }[];
  repeat?: { itemLabel?: unknown; itemsLabel?: unknown };
}

/** A document an answer may name: its id and the file name shown instead. */
export interface NamedDocument {
  document_id: string;
  file_name?: string | null;
}

export function formatAnswer(shape: AnswerShape, value: unknown, documents: NamedDocument[] = []): string {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0 && shape.kind !== 'group')) return t('common.not_answered');
  if (shape.kind === 'group') {
    return t('group.added', { count: Array.isArray(value) ? value.length : 0, item: localized(shape.repeat?.itemLabel), items: localized(shape.repeat?.itemsLabel) });
  }
  if (shape.kind === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(`${value}T00:00:00`);
  if (shape.kind === 'document') {
    const found = documents.find((d) => d.document_id === value);
    return found?.file_name || t('answers.document_sent');
  }
  const one = (v: unknown): string => {
    const option = (shape.options ?? []).find((o) => o.value === v);
    if (option) return localized(option.label);
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    // An address or the like: its parts in order, never "[object Object]" or JSON.
    if (v && typeof v === 'object' && !['en', 'fr', 'ar'].some((code) => code in v)) {
      return Object.values(v as Record<string, unknown>).filter((p) => p !== undefined && p !== null && p !== '').map(one).join(', ');
    }
    return localized(v);
  };
  if (Array.isArray(value)) return listOf(value.map(one));
  return one(value);
}

/** Several answers (a checkbox group) as the language writes a list: "A، وB" in Arabic, not "A, B". */
export function listOf(items: string[]): string {
  if (typeof Intl.ListFormat !== 'function') return items.join(', ');
  return new Intl.ListFormat(locale(), { type: 'unit', style: 'short' }).format(items);
}
