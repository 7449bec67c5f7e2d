/**
 * A month as people write it in a date: a number, or its name in English, French or Arabic
 * (the names of Egypt and the Gulf, the Levant and the Maghreb), in full or shortened ("Sept",
 * "févr."), with or without accents or hamza. Used by the date question (`forms/model.ts`).
 */

const LATIN: string[][] = [
  ['january', 'janvier'],
  ['february', 'fevrier'],
  ['march', 'mars'],
  ['april', 'avril'],
  ['may', 'mai'],
  ['june', 'juin'],
  ['july', 'juillet'],
  ['august', 'aout'],
  ['september', 'septembre'],
  ['october', 'octobre'],
  ['november', 'novembre'],
  ['december', 'decembre'],
];

const ARABIC: string[][] = [
  ['يناير', 'كانون الثاني', 'جانفي', 'ينير'],
  ['فبراير', 'شباط', 'فيفري', 'فبرير'],
  ['مارس', 'اذار'],
  ['ابريل', 'نيسان', 'افريل', 'ابريل'],
  ['مايو', 'ايار', 'ماي'],
  ['يونيو', 'حزيران', 'جوان', 'يونيه'],
  ['يوليو', 'تموز', 'جويليه', 'جويلية', 'يوليوز', 'يوليه'],
  ['اغسطس', 'اب', 'اوت', 'غشت'],
  ['سبتمبر', 'ايلول', 'شتنبر'],
  ['اكتوبر', 'تشرين الاول'],
  ['نوفمبر', 'تشرين الثاني', 'نونبر'],
  ['ديسمبر', 'كانون الاول', 'دجنبر'],
];

function plainLatin(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
}

function plainArabic(text: string): string {
  return text
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '') // harakat, tatweel
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The month (1–12) a text names, or undefined when it names none or several. */
export function monthOf(text: string): number | undefined {
  const typed = text.trim();
  if (!typed) return undefined;
  if (/^\d{1,2}$/.test(typed)) {
    const number = Number(typed);
    return number >= 1 && number <= 12 ? number : undefined;
  }
  const arabic = plainArabic(typed);
  const arabicMatch = ARABIC.findIndex((names) => names.includes(arabic));
  if (arabicMatch >= 0) return arabicMatch + 1;
  const latin = plainLatin(typed);
  if (latin.length < 3) return undefined;
  const found = new Set(LATIN.flatMap((names, index) => (names.some((name) => name.startsWith(latin)) ? [index + 1] : [])));
  return found.size === 1 ? [...found][0] : undefined;
}
