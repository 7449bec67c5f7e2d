/**
 * What people type, put in the form it is checked and sent in: the same rules as the server's
 * `chalicelib/forms/typed.py` (both tested on `typed_examples.json`).
 * - Arabic-Indic (٠–٩) and Persian (۰–۹) digits, which an Arabic keyboard produces, become ASCII;
 * - a phone number loses the spaces, dashes, dots and brackets people write it with;
 * - a number may use the Arabic decimal separator (٫) or a decimal comma.
 */

const ARABIC_INDIC_ZERO = 0x0660;
const PERSIAN_ZERO = 0x06f0;
const PHONE_SEPARATORS = /[\s\u00a0\u2000-\u200f\u202f\u2060\-\u2010-\u2015\u2212.()[\]/]/g;
const PHONE_NAME = /(^|_)(phone|mobile|telephone|tel|msisdn)(_|$)/i;

/** The text with Arabic-Indic and Persian digits as ASCII digits. */
export function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code - (code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO));
  });
}

/** A phone number as typed, with ASCII digits and no separators. */
export function phoneNumber(text: string): string {
  return asciiDigits(text).replace(PHONE_SEPARATORS, '');
}

/** Whether a string question asks for a phone number (its autocomplete token, else its name). */
export function isPhone(name: string, schema: Record<string, any>, autocomplete?: string): boolean {
  if (schema.type !== 'string' || 'enum' in schema) return false;
  if (autocomplete) return (autocomplete.split(/\s+/).pop() ?? '').startsWith('tel');
  return PHONE_NAME.test(name);
}

/** A number as typed ("١٢", "2,5", "2٫5", "1 200"), or NaN when it is not one. */
export function typedNumber(text: string): number {
  const plain = asciiDigits(text)
    .trim()
    .replace(/[\s\u00a0\u202f\u066c]/g, '')
    .replace(/[,\u066b]/, '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(plain)) return NaN;
  return Number(plain);
}
