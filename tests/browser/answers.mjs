// After the journey has sent an application: the pages that show it back to the person, at 360 and
// 320 CSS px (200% and 400% zoom of a 640/1280 px window), in English and Arabic — my applications
// (cards, no table), everything you have sent us (answers in words, documents by file name), the
// receipt (reference, QR code, print button) and the HTML export (cards in the person's language).
// Nothing scrolls sideways; axe-core and the CSP watch run on each; screenshots go to ARTIFACTS.
//
//   node tests/browser/answers.mjs   (env: BASE_URL, PERSON, ARTIFACTS)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endRun, expect, launch, reportFailure, repo, Watched } from './lib.mjs';

const base = process.env.BASE_URL;
const person = process.env.PERSON ?? '8267411571';
const artefacts = process.env.ARTIFACTS ?? 'test-artifacts';
const OTP = '111111';
const catalog = (code) => JSON.parse(readFileSync(join(repo, 'frontend/src/i18n', `${code}.json`), 'utf8'));
const browser = await launch();
const watched = [];
const steps = [];
let failure;

async function logIn(page) {
  await page.goto(`${base}/api/auth/login/esignet?return_to=/applications`);
  await page.waitForSelector('#individual_id');
  await page.fill('#individual_id', person);
  if (await page.locator('#secret').isVisible().catch(() => false)) await page.fill('#secret', OTP);
  await Promise.all([page.waitForNavigation(), page.click('button[name=step][value=login]')]);
  if (await page.locator('#secret').isVisible().catch(() => false)) {
    await page.fill('#secret', OTP);
    await Promise.all([page.waitForNavigation(), page.click('button[name=step][value=login]')]);
  }
  if (await page.locator('button[name=decision][value=allow]').count()) await page.click('button[name=decision][value=allow]');
  await page.waitForURL((url) => url.origin === new URL(base).origin, { timeout: 60000 });
}

async function fits(page, width, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow <= 0, `${what} scrolls sideways by ${overflow}px at ${width} px`);
}

async function pagesIn(code, width) {
  const words = catalog(code);
  const w = new Watched(browser, base, artefacts, `answers-${code}-${width}`);
  watched.push(w);
  const page = await w.open({ viewport: { width, height: 720 } });
  await page.addInitScript((lang) => localStorage.setItem('ssp-lang', lang), code);
  await logIn(page);

  await page.goto(`${base}/applications?lang=${code}`);
  await page.waitForSelector('main .govuk-summary-card');
  expect((await page.locator('main table').count()) === 0, 'my applications is still a table');
  await fits(page, width, 'my applications');
  await w.check('my-applications');
  const href = await page.locator('main .govuk-summary-card h2 a').first().getAttribute('href');
  const id = href.split('/').pop();

  await page.goto(`${base}/me/submissions?lang=${code}`);
  await page.waitForSelector('main .govuk-summary-list');
  const shown = await page.locator('main').innerText();
  expect(!/\b\d{4}-\d{2}-\d{2}\b/.test(shown), `a date as digits on everything you have sent us: ${shown.slice(0, 400)}`);
  expect(!/\bdoc-[a-z0-9]+/.test(shown), 'a document id on everything you have sent us');
  expect(shown.includes('.png'), 'the documents sent are not named by file name');
  await fits(page, width, 'everything you have sent us');
  await w.check('submissions');

  await page.goto(`${base}/applications/${id}/confirmation?lang=${code}`);
  await page.waitForSelector('main svg.ssp-qr');
  expect((await page.locator('#receipt').innerText()).length > 0, 'no receipt');
  expect((await page.locator('main .ssp-no-print button').innerText()).includes(words['confirm.print']), 'no print button');
  await fits(page, width, 'the receipt');
  await w.check('receipt');
  await page.emulateMedia({ media: 'print' });
  expect((await page.locator('.govuk-service-navigation, .ssp-no-print').first().isVisible()) === false, 'the menu or buttons would print');
  await w.check('receipt-print');
  await page.emulateMedia({ media: 'screen' });

  // The export downloads (Content-Disposition: attachment): its HTML read and shown as it is.
  const html = await page.evaluate(async (locale) => (await fetch(`/api/me/export?format=html&locale=${locale}`)).text(), code);
  expect(!/\d{4}-\d{2}-\d{2}T\d{2}/.test(html.split('</style>')[1]), 'an ISO timestamp in the export');
  expect(!html.includes('<table'), 'the export still has tables');
  await page.setContent(html);
  await fits(page, width, 'the export');
  if (code === 'ar') expect(await page.evaluate(() => document.documentElement.dir === 'rtl'), 'the Arabic export is not right to left');
  await page.screenshot({ path: join(artefacts, `answers-${code}-${width}-export.png`), fullPage: true });
  steps.push(`${code} at ${width} px`);
}

try {
  for (const code of ['en', 'ar']) for (const width of [360, 320]) await pagesIn(code, width);
} catch (error) {
  failure = error;
  await reportFailure(watched, artefacts);
}
await endRun(browser, watched, failure, { steps });
