// An application sent (made through the API in the logged-in page: answers, a child, a birth
// certificate uploaded to the store, submitted): the pages that show it back to the person, at 360 and
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

/** Apply, upload a certificate, send: through the API from the logged-in page (as the app does). */
async function sendAnApplication(page) {
  return page.evaluate(async (png) => {
    const session = await (await fetch('/api/session')).json();
    const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token };
    const call = async (method, path, body, extra = {}) => {
      const answer = await fetch(`/api${path}`, { method, headers: { ...headers, ...extra }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = await answer.json().catch(() => ({}));
      if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(json)}`);
      return json;
    };
    const answers = {
      name: 'Amina Okafor', birthdate: '1987-04-12', phone: '+254700111222', region: 'coast', household_size: 4, caregiver_role: 'grandparent',
      receives_other_support: true, support_kinds: ['food', 'health'], other_support_details: 'Food parcels, twice a month',
      children: [{ name: 'Zawadi Okafor', birth_date: '2019-05-03', relationship: 'daughter' }],
    };
    const draft = await call('POST', '/programs/child-support-grant/applications', { answers }, { 'Idempotency-Key': `answers-${Date.now()}` });
    const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
    const declared = await call('POST', '/documents', { kind: 'birth_certificate', file_name: 'birth-certificate.png', content_type: 'image/png', size: bytes.length, application_id: draft.application_id });
    const form = new FormData();
    for (const [k, v] of Object.entries(declared.upload.fields)) form.append(k, v);
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'birth-certificate.png');
    await fetch(declared.upload.url, { method: 'POST', body: form });
    const documentId = declared.document.document_id;
    await call('POST', `/documents/${documentId}/complete`);
    const saved = await call('PATCH', `/applications/${draft.application_id}`, { answers: { children: [{ ...answers.children[0], birth_certificate: documentId }] }, version: draft.version });
    await call('POST', `/applications/${draft.application_id}/submit`, { version: saved.version, locale: 'en' }, { 'Idempotency-Key': `send-${Date.now()}` });
    return draft.application_id;
  }, pngBase64);
}

const pngBase64 = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000004000000040802000000269309290000001049444154789c63f8cfc000470cc47100ae930ff1d05f239e0000000049454e44ae426082',
  'hex',
).toString('base64');

/** Tab from the top of the page until ``selector`` has the focus (keyboard users reach it). */
async function reachByTab(page, selector, what) {
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${what} cannot be reached with the Tab key`);
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
  await reachByTab(page, 'main .govuk-summary-card h2 a', 'an application on my applications');
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
  await page.waitForSelector('main svg.ssp-qr[role=img]');
  expect((await page.locator('#receipt').innerText()).length > 0, 'no receipt');
  expect((await page.locator('main .ssp-no-print button').innerText()).includes(words['confirm.print']), 'no print button');
  await fits(page, width, 'the receipt');
  await reachByTab(page, 'main .ssp-no-print button', 'the receipt’s print button');
  await w.check('receipt');
  await page.emulateMedia({ media: 'print' });
  expect((await page.locator('.govuk-service-navigation, .ssp-no-print').first().isVisible()) === false, 'the menu or buttons would print');
  await w.check('receipt-print');
  await page.emulateMedia({ media: 'screen' });

  // The export downloads (Content-Disposition: attachment): its HTML read and shown as it is.
  const html = await page.evaluate(async (locale) => (await fetch(`/api/me/export?format=html&locale=${locale}`)).text(), code);
  expect(!/\d{4}-\d{2}-\d{2}T\d{2}/.test(html.split('</style>')[1]), 'an ISO timestamp in the export');
  expect(!html.includes('<table'), 'the export still has tables');
  // Opened as the saved file would be: a page of its own (its one inline style, allowed by the
  // export's own CSP, is not the app's to allow).
  const file = await w.context.newPage();
  await file.setContent(html);
  await fits(file, width, 'the export');
  if (code === 'ar') expect(await file.evaluate(() => document.documentElement.dir === 'rtl'), 'the Arabic export is not right to left');
  await file.screenshot({ path: join(artefacts, `answers-${code}-${width}-export.png`), fullPage: true });
  await file.close();
  steps.push(`${code} at ${width} px`);
}

try {
  const w = new Watched(browser, base, artefacts, 'answers-setup');
  watched.push(w);
  await logIn(await w.open());
  await sendAnApplication(w.page);
  steps.push('sent');
  for (const code of ['en', 'ar']) for (const width of [360, 320]) await pagesIn(code, width);
} catch (error) {
  failure = error;
  await reportFailure(watched, artefacts);
}
await endRun(browser, watched, failure, { steps });
