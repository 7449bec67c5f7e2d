/** A text in each of the portal's languages, as the staff forms edit it. */
import { LOCALES, type Locale } from '../i18n';

export const LOCALE_CODES = Object.keys(LOCALES) as Locale[];
export type Texts = Record<Locale, string>;

export function textsOf(value: unknown): Texts {
  const map = (value && typeof value === 'object' ? value : {}) as Record<string, string>;
  return Object.fromEntries(LOCALE_CODES.map((code) => [code, map[code] ?? ''])) as Texts;
}

/** Only the languages with a text (the API refuses empty ones). */
export function cleanTexts(texts: Texts): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).filter(([, v]) => v.trim()));
}
