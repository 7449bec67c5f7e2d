import { describe, expect, it } from 'vitest';
import ar from './ar.json';
import builderAr from '../staff/builder/i18n/ar.json';

// A phone number's digit groups are separated by spaces, which right-to-left text reorders:
// "0712 345 678" would read "678 345 0712" in Arabic unless isolated left to right (U+2066…U+2069).
const GROUPED_NUMBER = /\+?\d{2,4}(?: \d{3}){2,}/g;

function unisolated(catalog: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(catalog)) {
    if (typeof value !== 'string') continue;
    for (const match of value.matchAll(GROUPED_NUMBER)) {
      const before = value[(match.index ?? 0) - 1];
      const after = value[(match.index ?? 0) + match[0].length];
      if (before !== '\u2066' || after !== '\u2069') found.push(`${key}: ${match[0]}`);
    }
  }
  return found;
}

describe('numbers in Arabic texts', () => {
  it('keep their digit groups in order: each grouped number is isolated left to right', () => {
    expect(unisolated(ar)).toEqual([]);
    expect(unisolated(builderAr)).toEqual([]);
  });
});
