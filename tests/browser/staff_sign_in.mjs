// A reviewer and an administrator each sign in to the staff console through the dev IdP's real
// pages (code flow with PKCE from the browser) and reach their own pages: the administrator the
// programmes, a programme and the form editor with its live preview (drawn by the registrant
// app's renderer); the reviewer the review queue and the change requests, and not the admin's
// links. axe-core and the CSP watch run on every page.
//
//   node tests/browser/staff_sign_in.mjs   (env: BASE_URL, ARTIFACTS)
import { endRun, expect, launch, reportFailure, Watched } from './lib.mjs';
import { staffSignIn } from './staff_lib.mjs';

const base = process.env.BASE_URL;
const artefacts = process.env.ARTIFACTS ?? 'test-artifacts';
const browser = await launch();
const watched = [];
const steps = [];
let failure;

async function administrator() {
  const w = new Watched(browser, base, artefacts, 'staff-admin');
  watched.push(w);
  const page = await w.open();
  await staffSignIn(w, base, 'admin');
  for (const href of ['/staff/programs', '/staff/forms', '/staff/profile-form', '/staff/changes']) {
    expect(await page.locator(`main a[href="${href}"]`).count(), `the administrator's home has no link to ${href}`);
  }
  expect(!(await page.locator('main a[href="/staff/review"]').count()), 'the administrator is offered the review queue, which needs the reviewer role');
  await page.locator('main a[href="/staff/programs"]').click();
  await page.waitForSelector('main a[href="/staff/programs/child-support-grant"]');
  await w.check('programs');
  await page.locator('main a[href="/staff/programs/child-support-grant"]').click();
  await page.waitForSelector('main a[href^="/staff/forms/"]');
  await w.check('program');
  await page.locator('main a[href^="/staff/forms/"]').click();
  // The form opens in the form builder: the published version's preview, page by page.
  await page.waitForSelector('.ssp-preview #f-name');
  expect((await page.locator('#preview-page option').count()) === 3, "the form builder does not show the sample form's three pages");
  await w.check('form-editor');
  steps.push('administrator signed in: programmes, programme, form editor');
}

async function reviewer() {
  const w = new Watched(browser, base, artefacts, 'staff-reviewer');
  watched.push(w);
  const page = await w.open();
  await staffSignIn(w, base, 'reviewer');
  expect(!(await page.locator('main a[href="/staff/programs"]').count()), 'the reviewer is offered the programmes, which need the admin role');
  await page.locator('main a[href="/staff/review"]').click();
  await page.waitForSelector('main nav[aria-label] [aria-current="page"]');
  await w.check('queue');
  // The console in Arabic: right to left, its texts from the catalog.
  await page.locator('header a[hreflang="ar"]').click();
  await page.waitForFunction(() => document.documentElement.dir === 'rtl' && getComputedStyle(document.body).direction === 'rtl');
  await page.waitForSelector('main h1 >> text=طلبات للمراجعة');
  await w.check('queue-ar');
  await page.locator('header a[hreflang="en"]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.goto(`${base}/staff/changes`);
  await page.waitForSelector('main h1');
  await page.waitForFunction(() => !document.querySelector('main [role=status]'));
  await w.check('change-requests');
  steps.push('reviewer signed in: review queue (also in Arabic, right to left), change requests');
}

try {
  await administrator();
  await reviewer();
} catch (error) {
  failure = error;
  await reportFailure(watched, artefacts);
}
await endRun(browser, watched, failure, { steps });
