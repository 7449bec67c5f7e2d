import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { useCatalogForTests, type Catalog } from '../../i18n';
import fr from '../../i18n/fr.json';
import { consentBody, Consents } from './consents';
import type { ConsentStatement } from './loaded';
import { drawingRoot } from '../../test_support/dom';

const root = drawingRoot();

describe('the programme’s statements on check your answers', () => {
  const statements: ConsentStatement[] = [
    { id: 'share_with_health', text: { en: 'I agree that the programme may check my household with the health service.', fr: 'J’accepte que le programme vérifie mon foyer auprès du service de santé.' }, required: true },
    { id: 'news', text: { en: 'Send me news about other programmes.' }, required: false },
  ];

  it('draws each statement as a checkbox, optional ones marked, with its own error', () => {
    useCatalogForTests('fr', fr as Catalog);
    const changes: [string, boolean][] = [];
    render(<Consents statements={statements} agreed={new Set(['news'])} errors={new Set(['share_with_health'])} onChange={(id, on) => changes.push([id, on])} />, root);
    expect(root.querySelector('legend h2')?.textContent).toBe('Ce que vous acceptez');
    const required = root.querySelector<HTMLInputElement>('#consent-share_with_health')!;
    expect(root.querySelector('label[for="consent-share_with_health"]')?.textContent).toBe('J’accepte que le programme vérifie mon foyer auprès du service de santé.');
    expect(root.querySelector('label[for="consent-news"]')?.textContent).toBe('Send me news about other programmes. (facultatif)');
    expect(required.checked).toBe(false);
    expect(root.querySelector<HTMLInputElement>('#consent-news')!.checked).toBe(true);
    expect(required.getAttribute('aria-describedby')).toBe('consent-share_with_health-error');
    expect(root.querySelector('#consent-share_with_health-error')?.textContent).toContain('Cochez la case pour accepter');
    expect(root.querySelectorAll('.govuk-form-group--error').length).toBe(1);
    required.click();
    expect(changes).toEqual([['share_with_health', true]]);
  });

  it('sends the agreement to every statement with the submission', () => {
    useCatalogForTests('fr', fr as Catalog);
    expect(consentBody(statements, new Set(['share_with_health']))).toEqual({ consents: { share_with_health: true, news: false }, locale: 'fr' });
  });
});
