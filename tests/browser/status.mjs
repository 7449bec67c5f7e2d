// The status check without logging in, in English, French and Arabic, at 320 CSS px (400% zoom),
// with the keyboard only: a reference and a date that match nothing answer in the error summary
// with the catalog's words, and nothing scrolls sideways. axe-core and the CSP watch run on each.
//
//   node tests/browser/status.mjs   (env: BASE_URL, ARTIFACTS)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endRun, expect, launch, reportFailure, repo, Watched } from './lib.mjs';

const base = process.env.BASE_URL;
const artefacts = process.env.ARTIFACTS ?? 'test-artifacts';
const browser = await launch();
const watched = [];
const steps = [];
let failure;

const catalog = (code) => JSON.parse(readFileSync(join(repo, 'frontend/src/i18n', `${code}.json`), 'utf8'));

async function checkStatus(code) {
  const words = catalog(code);
  const w = new Watched(browser, base, artefacts, `status-${code}`);
  watched.push(w);
  const page = await w.open({ viewport: { width: 320, height: 640 } });
  await page.goto(`${base}/status?lang=${code}`);
  await page.waitForSelector(`main h1 >> text=${words['status_check.title']}`);
  await w.check('empty');
  // Keyboard only: from the reference through the three date fields to the button.
  await page.locator('#reference').focus();
  await page.keyboard.type('AAA-AAA-AAA');
  for (const value of ['12', '4', '1987']) {
    await page.keyboard.press('Tab');
    await page.keyboard.type(value);
  }
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('type') === 'submit'), 'Tab after the year does not reach the button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.govuk-error-summary');
  const summary = await page.locator('.govuk-error-summary').innerText();
  expect(summary.includes(words['status_check.no_match']), `the answer is not the catalog's no-match text: ${summary}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow <= 0, `/status scrolls sideways by ${overflow}px at 320 px`);
  if (code === 'ar') expect(await page.evaluate(() => document.documentElement.dir === 'rtl'), 'the Arabic page is not right to left');
  await w.check('no-match');
  steps.push(`status check in ${code}`);
}

try {
  for (const code of ['en', 'fr', 'ar']) await checkStatus(code);
} catch (error) {
  failure = error;
  await reportFailure(watched, artefacts);
}
await endRun(browser, watched, failure, { steps });
