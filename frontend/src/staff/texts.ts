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

const ARABIC_LETTER = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/;
const LATIN_LETTER = /[A-Za-z\u00C0-\u024F]/;

/** Whether ``text``, given for ``locale``, looks like the first language's ``source`` left
 * untranslated: Arabic without an Arabic letter, or another language's text word for word the
 * same as the source's when it is more than one word ("Photo" may well be French). Only ever a
 * reason to ask the administrator to check, never to refuse. */
export function looksUntranslated(source: string | undefined, text: string, locale: string): boolean {
  if (locale === 'ar') return LATIN_LETTER.test(text) && !ARABIC_LETTER.test(text);
  const words = (value: string) => value.toLocaleLowerCase().split(/\s+/).filter((word) => LATIN_LETTER.test(word));
  const mine = words(text);
  return Boolean(source) && mine.length > 1 && mine.join(' ') === words(source!).join(' ');
}
