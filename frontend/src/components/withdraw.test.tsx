import { render } from 'preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { useCatalogForTests, type Catalog } from '../i18n';
import en from '../i18n/en.json';
import { Withdraw } from './withdraw';
import { drawingRoot } from '../test_support/dom';

const root = drawingRoot();
beforeEach(() => {
  useCatalogForTests('en', en as Catalog);
});

const button = (text: string) => [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === text);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('withdrawing something', () => {
  it('asks first, withdraws only when confirmed, and can be cancelled', async () => {
    let calls = 0;
    let done = 0;
    render(<Withdraw label="Withdraw this application" warning="They will not consider it." withdraw={async () => void calls++} onDone={() => done++} />, root);
    expect(root.querySelector('.govuk-warning-text')).toBeNull();
    button('Withdraw this application')!.click();
    await settle();
    expect(root.querySelector('.govuk-warning-text__text')?.textContent).toContain('They will not consider it.');
    button('Cancel')!.click();
    await settle();
    expect(root.querySelector('.govuk-warning-text')).toBeNull();
    expect(calls).toBe(0);
    button('Withdraw this application')!.click();
    await settle();
    root.querySelector<HTMLButtonElement>('.govuk-button--warning')!.click();
    await settle();
    expect([calls, done]).toEqual([1, 1]);
  });

  it('says why when the withdrawal is refused, and stays on the page', async () => {
    let done = 0;
    const refuse = async () => {
      throw new ApiError(409, 'conflict', 'x');
    };
    render(<Withdraw label="Withdraw this consent" warning="We will delete the details." withdraw={refuse} onDone={() => done++} />, root);
    button('Withdraw this consent')!.click();
    await settle();
    root.querySelector<HTMLButtonElement>('.govuk-button--warning')!.click();
    await settle();
    expect(root.querySelector('.govuk-error-message')?.textContent).toBe('This was changed in the meantime. Reload the page and try again.');
    expect(done).toBe(0);
  });
});
