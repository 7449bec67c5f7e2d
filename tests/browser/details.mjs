// What people type is accepted and every message says what is wrong (issue 21), in Arabic at
// 320 CSS px with the keyboard: "change your details" with a phone number typed with an Arabic
// keyboard, spaces and dashes (refused first without its country code, with the catalog's words),
// the country chosen by name, the success banner and the number read left to right on "my
// details"; then a question page where the name from the national ID is text marked so, the phone
// is typed the same way, and a date with a month name and Arabic-Indic digits, refused first
// with a two-digit year. axe-core, a screenshot and the CSP watch on each step.
//
//   node tests/browser/details.mjs   (env: BASE_URL, ARTIFACTS, PERSON)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endRun, expect, launch, reportFailure, repo, Watched } from './lib.mjs';

const base = process.env.BASE_URL;
const artefacts = process.env.ARTIFACTS ?? 'test-artifacts';
const person = process.env.PERSON ?? '3927160485';
const PROGRAM = 'child-support-grant';
const ar = JSON.parse(readFileSync(join(repo, 'frontend/src/i18n/ar.json'), 'utf8'));
const browser = await launch();
const watched = [];
const steps = [];
let failure;

async function noSidewaysScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow <= 0, `${page.url()} scrolls sideways by ${overflow}px at 320 px`);
}

/** Keyboard: Tab until `selector` has focus. */
async function tabTo(page, selector) {
  for (let i = 0; i < 120; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${selector} with Tab on ${page.url()}`);
}

async function typeInto(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text); // an Arabic keyboard's digits, as the phone would send them
}

async function logIn(w, next) {
  const page = w.page;
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}&lang=ar`);
  await page.locator('main a.govuk-button[href*="/api/auth/login/"]').first().click();
  await page.waitForSelector('#individual_id');
  await page.locator('#individual_id').fill(person);
  const submit = async () => {
    const navigated = page.waitForNavigation({ waitUntil: 'domcontentloaded' });
    await page.locator('button[name=step][value=login]').click();
    await navigated;
  };
  if (await page.locator('#secret').isVisible().catch(() => false)) await page.locator('#secret').fill('111111');
  await submit();
  if (await page.locator('#secret').isVisible().catch(() => false)) {
    await page.locator('#secret').fill('111111');
    await submit();
  }
  if (await page.locator('button[name=decision][value=allow]').count()) await page.locator('button[name=decision][value=allow]').click();
  await page.waitForURL((url) => url.origin === new URL(base).origin && url.pathname === next, { timeout: 60000 });
}

async function changeYourDetails(w) {
  const page = w.page;
  await logIn(w, '/me/edit');
  await page.waitForSelector('#f-phone');
  const body = await page.locator('main').innerText();
  expect(!/street_address|postal_code|preferred_language/.test(body), 'an internal key shows on "change your details"');
  expect(body.includes(ar['profile.field.address.street_address']) && body.includes(ar['profile.gender.Female']), 'the address parts or gender are not in Arabic');
  expect((await page.locator('label[for="f-name"]').innerText()).trim() === 'الاسم الكامل', 'the name is marked optional');
  expect(await page.locator('select#f-address-country').count(), 'the country is not a select');
  expect(await page.locator('select#f-preferred_language').count(), 'the language is not a select');
  expect((await page.locator('#f-phone').getAttribute('dir')) === 'ltr', 'the phone box does not read left to right');
  await noSidewaysScroll(page);
  await w.check('edit');

  // Without a country code: refused, and the message says what is expected.
  await typeInto(page, '#f-phone', '٠٧١٢ ٣٤٥ ٦٧٨');
  await tabTo(page, 'main form button[type=submit]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.govuk-error-summary');
  const summary = await page.locator('.govuk-error-summary').innerText();
  expect(summary.includes(ar['field.error.phone_international']), `the summary does not say what a phone number needs: ${summary}`);
  expect(!summary.includes(`${ar['profile.field.phone']}:`), 'the summary still puts "Label:" before the message');
  await w.check('edit-phone-refused');

  // (The person's ID gave +212600334455 and Morocco: both change, so there is something to save.)
  await typeInto(page, '#f-phone', '+٢١٢ ٦٦١-٢٢-٣٣-٤٤');
  await tabTo(page, 'select#f-address-country');
  for (let i = 0; i < 250 && (await page.locator('select#f-address-country').inputValue()) !== 'TN'; i++) await page.keyboard.press('ArrowDown');
  expect((await page.locator('select#f-address-country').inputValue()) === 'TN', 'the arrow keys did not reach Tunisia');
  await tabTo(page, 'main form button[type=submit]');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/me`);
  await page.waitForSelector('.govuk-notification-banner--success');
  const banner = await page.locator('.govuk-notification-banner--success').innerText();
  expect(banner.includes(ar['profile.saved']) || banner.includes(ar['profile.change_requested']), `the banner does not say what happened: ${banner}`);
  // A verified number stays until the programme team agrees; a self-declared one changes at once.
  const phone = page.locator('main bdi[dir="ltr"]', { hasText: /^\+2126(00334455|61223344)$/ });
  // The banner comes with the page; the details follow with their read.
  await phone.first().waitFor({ timeout: 15000 }).catch(() => undefined);
  expect(await phone.count(), 'my details does not show the phone number plain and left to right');
  expect((await phone.first().evaluate((el) => getComputedStyle(el).direction)) === 'ltr', 'the phone number is not laid out left to right');
  expect((await page.locator('main').innerText()).includes('المغرب'), 'the country is not named in Arabic');
  await noSidewaysScroll(page);
  await w.check('details-saved');
  steps.push('change your details in ar: phone typed with an Arabic keyboard, spaces and dashes; country by name; banner; left to right');
}

async function questionPage(w) {
  const page = w.page;
  await page.goto(`${base}/programs/${PROGRAM}`);
  await page.waitForSelector('main button.govuk-button');
  await page.locator('main button.govuk-button').click();
  await page.waitForURL(/\/applications\/[^/]+$/);
  const application = new URL(page.url()).pathname;
  await page.waitForSelector('.govuk-task-list a');
  await page.locator('.govuk-task-list a').first().click();
  await page.waitForSelector('#f-phone');
  expect(!(await page.locator('input#f-name').count()), 'the name from the national ID is still a box');
  expect((await page.locator('#f-name').innerText()).includes(ar['id_fields.from_national_id']), 'the name is not marked "From your national ID"');
  expect((await page.locator('main').innerText()).includes(ar['id_fields.how_to_correct']), 'nothing says how to correct a wrong ID record');
  await typeInto(page, '#f-phone', '٠٧٠٠ ١١١-٢٢٢');
  await tabTo(page, '#f-region');
  await page.keyboard.press('ArrowDown');
  await noSidewaysScroll(page);
  await w.check('question-page');
  await tabTo(page, 'main form button[type=submit]');
  const before = page.url();
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.href !== before);

  // A child's page: the date of birth with a month name and Arabic-Indic digits.
  await page.goto(`${base}${application}/pages/children/members/0`);
  await page.waitForSelector('#f-birth_date-day');
  await typeInto(page, '#f-name', 'سامي');
  await typeInto(page, '#f-birth_date-day', '٣');
  await typeInto(page, '#f-birth_date-month', 'مارس');
  await typeInto(page, '#f-birth_date-year', '٢١');
  await tabTo(page, 'main form button[type=submit]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#f-birth_date-error');
  const said = await page.locator('#f-birth_date-error').innerText();
  const [yearBefore, yearAfter] = ar['field.error.year_two_digits'].split(/\{[Ll]abel\}/);
  expect(said.includes(yearBefore) && said.includes(yearAfter), `a two-digit year is not refused with its own message: ${said}`);
  const childSummary = await page.locator('.govuk-error-summary').innerText();
  expect(childSummary.includes(yearBefore) && !childSummary.includes(`: ${yearBefore}`), `the error summary puts a label before the message: ${childSummary}`);
  await w.check('question-page-two-digit-year');
  await typeInto(page, '#f-birth_date-year', '٢٠٢١');
  await tabTo(page, 'main form button[type=submit]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('#f-birth_date-error'));
  await noSidewaysScroll(page);
  await w.check('question-page-date-accepted');
  steps.push('question page in ar: the name from the national ID as text; a phone in Arabic digits; a month name; a two-digit year refused');

  // Check your answers: the name from the national ID has the note instead of a Change link.
  await page.goto(`${base}${application}/check`);
  await page.waitForSelector('main .govuk-summary-list');
  const nameRow = page.locator('main .govuk-summary-list__row', { has: page.locator('dt', { hasText: 'الاسم الكامل' }) }).first();
  expect((await nameRow.innerText()).includes(ar['id_fields.from_national_id']), 'check your answers does not mark the name as from the national ID');
  expect(!(await nameRow.locator('a').count()), 'check your answers offers to change the name from the national ID');
  await noSidewaysScroll(page);
  await w.check('check-answers');
  steps.push('check your answers in ar: the name from the national ID marked so, no Change link');
}

try {
  const w = new Watched(browser, base, artefacts, 'details-ar');
  watched.push(w);
  await w.open({ viewport: { width: 320, height: 720 } });
  await changeYourDetails(w);
  await questionPage(w);
} catch (error) {
  failure = error;
  await reportFailure(watched, artefacts);
}
await endRun(browser, watched, failure, { steps });
