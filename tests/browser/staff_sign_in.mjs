// An administrator signs in to the staff console through the dev IdP (code flow with PKCE from
// the browser), sees the programs, and opens the sample form in the editor, whose live preview
// is drawn by the registrant app's renderer. axe-core and the CSP watch run on every page.
//
//   node tests/browser/staff_sign_in.mjs   (env: BASE_URL, ARTIFACTS)
import { expect, launch, Watched } from './lib.mjs';

const base = process.env.BASE_URL;
const browser = await launch();
const w = new Watched(browser, base, process.env.ARTIFACTS ?? 'test-artifacts', 'staff');
let failure;
try {
  const page = await w.open();
  await page.goto(`${base}/staff`);
  await page.waitForSelector('main button.govuk-button');
  await w.check('sign-in');
  await page.locator('main button.govuk-button').click();
  await page.waitForSelector('#username');
  await w.check('idp-staff');
  await page.locator('#username').selectOption('admin');
  await page.locator('#secret').fill('111111');
  await page.locator('button[name=step][value=login]').click();
  await page.waitForURL(`${base}/staff`);
  await page.waitForSelector('main ul a[href="/staff/programs"]');
  await w.check('home');
  await page.locator('main a[href="/staff/programs"]').click();
  await page.waitForSelector('main a[href="/staff/programs/child-support-grant"]');
  await w.check('programs');
  await page.locator('main a[href="/staff/programs/child-support-grant"]').click();
  await page.waitForSelector('main a[href^="/staff/forms/"]');
  await w.check('program');
  await page.locator('main a[href^="/staff/forms/"]').click();
  await page.waitForSelector('.ssp-preview #f-household_size');
  await w.check('form-editor');
  expect(await page.locator('#schema').evaluate((t) => t.value.includes('household_size')), 'the schema editor is empty');
} catch (error) {
  failure = error;
}
await browser.close();
console.log(JSON.stringify({ problems: w.problems, axe: w.axe, failure: failure ? String(failure.stack ?? failure) : null }, null, 1));
if (failure || w.problems.length || w.axe.length) process.exit(1);
