import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { type Catalog } from '../i18n';
import en from '../i18n/en.json';
import { drawingRoot, signedInStaff } from '../test_support/dom';
import { LocaleTexts } from './fields';

const root = drawingRoot();

describe('a text in each language', () => {
  signedInStaff('en', en as Catalog);

  it('asks the administrator to check a translation that looks like the English left as it was, and nothing else', () => {
    const hints = (texts: { en: string; fr: string; ar: string }) => {
      render(<LocaleTexts id="program-eligibility" legend="Who can apply" texts={texts} onChange={() => undefined} problems={[]} />, root);
      return ['en', 'fr', 'ar'].filter((code) => root.querySelector(`#program-eligibility-${code}-hint`)?.textContent?.includes('not yet translated'));
    };
    expect(hints({ en: 'You care for a child under 18.', fr: 'You care for a child under 18.', ar: 'You care for a child under 18.' })).toEqual(['fr', 'ar']);
    expect(hints({ en: 'You care for a child under 18.', fr: 'Vous avez un enfant de moins de 18 ans.', ar: 'لديك طفل دون 18 سنة.' })).toEqual([]);
    expect(root.querySelector('#program-eligibility-fr')?.getAttribute('aria-describedby')).toBeNull();
    expect(hints({ en: 'Photo', fr: 'Photo', ar: 'صورة' })).toEqual([]);
    hints({ en: 'Proof of address', fr: 'proof of  address', ar: '' });
    expect(root.querySelector('#program-eligibility-fr')?.getAttribute('aria-describedby')).toBe('program-eligibility-fr-hint');
  });
});
