/**
 * Text written by people (a form's statements, a message's body) may hold a phone number whose
 * digit groups are separated by spaces: inside Arabic, the spaces take the paragraph's right-to-left
 * direction and "0712 345 678" reads "678 345 0712". Each such number is isolated left to right
 * (U+2066 … U+2069), as the catalogs do (i18n/bidi.test.ts).
 */

/** The catalogs' pattern of a grouped number ("0712 345 678", "+254 712 345 678"). */
const GROUPED_NUMBER = /(\u2066?)(\+?\d{2,4}(?: \d{3}){2,})(\u2069?)/g;

export function isolateGroupedNumbers(text: string): string {
  return text.replace(GROUPED_NUMBER, (_, open: string, number: string, close: string) => (open && close ? `${open}${number}${close}` : `\u2066${number}\u2069`));
}
