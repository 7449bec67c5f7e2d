import { afterEach, describe, expect, it } from 'vitest';
import { formatBytes, useCatalogForTests, type Catalog } from './index';
import en from './en.json';

describe('a file size', () => {
  afterEach(() => useCatalogForTests('en', en as Catalog));

  it('reads with the reader’s unit: MB in English, Mo in French, a word in Arabic', () => {
    useCatalogForTests('en', en as Catalog);
    expect([formatBytes(5 * 1024 * 1024), formatBytes(340 * 1024), formatBytes(73)]).toEqual(['5 MB', '340 KB', '73 B']);
    useCatalogForTests('fr', {} as Catalog);
    expect([formatBytes(9.5 * 1024 * 1024), formatBytes(340 * 1024)].map((text) => text.replace(/\s/g, ' '))).toEqual(['9,5 Mo', '340 ko']);
    useCatalogForTests('ar', {} as Catalog);
    expect(formatBytes(5 * 1024 * 1024)).toMatch(/^5\s?ميغابايت$/);
  });
});
