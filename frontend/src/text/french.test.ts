/** French typography: a (non-breaking) space before a colon ("Nom complet : …"), in every French text. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colon, useCatalogForTests, type Catalog } from '../i18n';
import fr from '../i18n/fr.json';

/** Texts with a colon stuck to the word before it (not a URL's "https://", not a time "14:30"). */
export function colonsWithoutSpace(texts: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (key: string, value: unknown) => {
    if (typeof value === 'string') {
      if (/[^\s\u00a0\u202f]:(?!\/\/)(?=\s|$|\{)/.test(value)) found.push(`${key}: ${value}`);
    } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(`${key}.${k}`, v);
  };
  for (const [key, value] of Object.entries(texts)) walk(key, value);
  return found;
}

describe('French texts', () => {
  it('put a space before each colon', () => {
    expect(colonsWithoutSpace(fr)).toEqual([]);
  });
  it('the check finds a colon stuck to its word', () => {
    expect(colonsWithoutSpace({ a: 'Nom complet: Amina', b: 'Nom complet\u00a0: Amina', c: 'https://example.org à 14:30', d: 'Source:{source}' })).toEqual(['a: Nom complet: Amina', 'd: Source:{source}']);
  });

  it('a colon a page puts after a text of the catalogs comes from colon(), which spaces it in French', () => {
    useCatalogForTests('fr', fr as Catalog);
    expect(colon()).toBe('\u00a0: ');
    useCatalogForTests('en', {} as Catalog);
    expect(colon()).toBe(': ');
    const pages = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? pages(path) : /\.tsx$/.test(name) && !/\.test\./.test(name) ? [path] : [];
      });
    // "{t('timeline.reason')}: " or {': '} in JSX: "Motif: …" on a French page.
    const byHand = pages(join(__dirname, '..')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /\)\}:\s*[<{]|\)\}: $|\{['"]: ['"]\}/.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(byHand).toEqual([]);
  });
});
