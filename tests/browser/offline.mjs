// A dropped connection loses nothing (issue 21), at 320 CSS px with the keyboard: a person types
// answers on a question page, the connection drops, the page is reloaded (the service worker
// serves the app and the page visited before; the answers come back from IndexedDB), "Save and
// continue" keeps them on the phone and says so, the connection returns and they are saved on
// the server, said so too. Logging out then leaves nothing of the person on the device: no
// answers in IndexedDB, no copy of their data in the service worker's caches.
//
//   node tests/browser/offline.mjs   (env: BASE_URL, ARTIFACTS, PERSON)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endRun, expect, launch, reportFailure, repo, Watched } from './lib.mjs';

const base = process.env.BASE_URL;
const artefacts = process.env.ARTIFACTS ?? 'test-artifacts';
const person = process.env.PERSON ?? '8267411571';
const words = JSON.parse(readFileSync(join(repo, 'frontend/src/i18n/en.json'), 'utf8'));
const browser = await launch();
const steps = [];
const w = new Watched(browser, base, artefacts, 'offline');
let failure;

async function logIn(page) {
  await page.goto(`${base}/login?next=/programs`);
  await page.locator('main a.govuk-button[href*="/api/auth/login/"]').first().click();
  await page.waitForSelector('#individual_id');
  await page.locator('#individual_id').fill(person);
  if (await page.locator('#secret').isVisible().catch(() => false)) await page.locator('#secret').fill('111111');
  let next = page.waitForNavigation({ waitUntil: 'domcontentloaded' });
  await page.locator('button[name=step][value=login]').click();
  await next;
  if (await page.locator('#secret').isVisible().catch(() => false)) {
    await page.locator('#secret').fill('111111');
    next = page.waitForNavigation({ waitUntil: 'domcontentloaded' });
    await page.locator('button[name=step][value=login]').click();
    await next;
  }
  if (await page.locator('button[name=decision][value=allow]').count()) await page.locator('button[name=decision][value=allow]').click();
  await page.waitForURL(/\/programs$/, { timeout: 60000 });
}

/** What the device holds: keys in the app's IndexedDB store, and the service worker's data caches. */
function onDevice(page) {
  return page.evaluate(async () => {
    const keys = await new Promise((resolve) => {
      const open = indexedDB.open('ssp-offline', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('kv');
      open.onsuccess = () => {
        const request = open.result.transaction('kv').objectStore('kv').getAllKeys();
        request.onsuccess = () => {
          open.result.close();
          resolve(request.result.map(String));
        };
      };
      open.onerror = () => resolve([]);
    });
    const cached = [];
    for (const name of await caches.keys()) if (name.startsWith('ssp-data')) for (const request of await (await caches.open(name)).keys()) cached.push(new URL(request.url).pathname);
    return { keys, cached };
  });
}

const typedOnPage = (page) =>
  page.evaluate(() => ({
    size: document.querySelector('#f-household_size')?.value,
    role: document.querySelector('input[type=radio][name*=caregiver_role]:checked')?.value ?? null,
    other: document.querySelector('input[type=radio][name*=receives_other_support]:checked')?.value ?? null,
  }));

try {
  const page = await w.open({ viewport: { width: 320, height: 640 } });
  await logIn(page);
  const id = await page.evaluate(async () => {
    const session = await (await fetch('/api/session')).json();
    const created = await fetch('/api/programs/child-support-grant/applications', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token }, body: '{}' });
    return (await created.json()).application_id;
  });
  const question = `${base}/applications/${encodeURIComponent(id)}/pages/household`;
  // The first visit installs the service worker; the page is then visited as a person would
  // come back to it, its data going through the worker.
  await page.goto(question);
  await page.waitForSelector('#f-household_size');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForSelector('#f-household_size');
  expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the service worker does not control the page');
  await w.check('question-online');
  steps.push('service worker installed and in control');

  // Typed with the keyboard, online; then the connection drops and the page is reloaded.
  await page.locator('#f-household_size').focus();
  await page.keyboard.type('4');
  await page.locator('input[type=radio][name*=caregiver_role]').first().focus();
  await page.keyboard.press('Space');
  await page.locator('input[type=radio][name*=receives_other_support]').last().focus();
  await page.keyboard.press('Space');
  await page.waitForTimeout(600); // kept as the person types (after a short pause)
  const problemsBefore = w.problems.length;
  await w.context.setOffline(true);
  await page.reload();
  await page.waitForSelector('#f-household_size');
  const typed = await typedOnPage(page);
  expect(typed.size === '4' && typed.role && typed.other, `after an offline reload the typed answers are gone: ${JSON.stringify(typed)}`);
  expect((await page.locator('#kept-note').innerText()).includes(words['offline.restored']), 'the page does not say the answers were put back');
  await w.check('question-offline-reloaded');
  steps.push('offline reload: the page and the typed answer came back');

  // Save and continue, still offline: kept on the phone, and said so.
  await page.locator('main form button[type=submit]').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#connection-note >> text=${words['offline.kept']}`);
  await w.check('saved-on-phone');
  expect((await onDevice(page)).keys.some((k) => k.startsWith('pending:')), 'no save is waiting on the device');
  steps.push('save offline: kept on this phone, said so');

  // Back online: sent, and said so; the server has the answer.
  await w.context.setOffline(false);
  await page.waitForSelector(`#connection-note >> text=${words['offline.sent']}`, { timeout: 30000 });
  // Errors of requests made while there was no connection are what offline means, not faults.
  w.problems.splice(problemsBefore, w.problems.length - problemsBefore, ...w.problems.slice(problemsBefore).filter((p) => !/ERR_INTERNET_DISCONNECTED|net::ERR_FAILED|Failed to fetch/.test(p)));
  const saved = await page.evaluate(async (path) => (await (await fetch(path, { headers: { 'X-SSP-Cache': 'refresh' } })).json()).answers, `/api/applications/${encodeURIComponent(id)}`);
  expect(saved.household_size === 4 && saved.caregiver_role === typed.role && String(saved.receives_other_support) === typed.other, `the server does not have the answers typed offline: ${JSON.stringify(saved)} (typed ${JSON.stringify(typed)})`);
  expect(!(await onDevice(page)).keys.some((k) => k.startsWith('pending:')), 'the save is still waiting after it was sent');
  await w.check('sent-when-online');
  steps.push('back online: saved on the server, said so');

  // Logging out leaves nothing of the person on the device.
  expect((await onDevice(page)).cached.length > 0, 'the service worker kept none of the pages visited');
  const menu = page.locator('.govuk-service-navigation__toggle');
  if (await menu.isVisible()) await menu.click();
  await page.locator('button:has-text("' + words['nav.logout'] + '"), a:has-text("' + words['nav.logout'] + '")').first().click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.waitForTimeout(500);
  const left = await onDevice(page);
  expect(left.keys.filter((k) => k !== 'owner').length === 0 && !left.keys.includes('owner'), `answers left on the device after logout: ${left.keys}`);
  expect(left.cached.length === 0, `copies of the person's data left after logout: ${left.cached}`);
  steps.push('logout: nothing of the person left on the device');
} catch (error) {
  failure = error;
  await reportFailure([w], artefacts);
}
await endRun(browser, [w], failure, { steps });
