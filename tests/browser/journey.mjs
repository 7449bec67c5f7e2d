// The registrant's whole journey in a real browser, against a running local stack:
// log in through the dev IdP, apply across pages (leave and resume on another device, a session
// that expires mid-form), upload a document, check answers, submit, see the reference; a
// reviewer asks for information, the person answers in place, the reviewer approves and enrols,
// the timeline shows each step, the enrolments page the programme, and the export downloads. In
// any language (LOCALE), keyboard only (KEYBOARD=1), with axe-core, screenshots and a watch for
// CSP violations and page errors on every page.
//
//   node tests/browser/journey.mjs   (env: BASE_URL, PERSON, LOCALE, KEYBOARD, REVIEWER_TOKEN, ARTIFACTS)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endRun, expect, launch, pngFile, reportFailure, repo, Watched } from './lib.mjs';

const base = process.env.BASE_URL;
const person = process.env.PERSON ?? '8267411571';
const locale = process.env.LOCALE ?? 'en';
const keyboard = process.env.KEYBOARD === '1';
const reviewerToken = process.env.REVIEWER_TOKEN;
const adminToken = process.env.ADMIN_TOKEN;
const artefacts = process.env.ARTIFACTS ?? 'test-artifacts';
const name = `${locale}${keyboard ? '-keyboard' : ''}`;
const PROGRAM = 'child-support-grant';
let programName = '';
let statementsSet = false;
const OTP = '111111';
const catalog = (code) => JSON.parse(readFileSync(join(repo, 'frontend', 'src', 'i18n', `${code}.json`), 'utf8'));
const english = catalog('en');
const messages = catalog(locale);
/** A catalog text in the run's language, placeholders filled. */
const text = (key, vars = {}) => (messages[key] ?? english[key]).replace(/\{(\w+)\}/g, (_, v) => String(vars[v]));
// What the reviewer writes, in the person's language.
const REASONS = {
  en: ['Please upload a clearer copy of the birth certificate.', 'All conditions are met.'],
  fr: ['Merci d’envoyer une copie plus lisible de l’acte de naissance.', 'Toutes les conditions sont remplies.'],
  ar: ['يرجى رفع نسخة أوضح من شهادة الميلاد.', 'جميع الشروط مستوفاة.'],
}[locale];
// The choices the person makes — a select, radios, a checkbox group — as [question, answers] in
// the words of the run's language (infra/local/seed.py), checked on check your answers and in
// the timeline's answers.
const CHOSEN = {
  en: {
    region: ['Region where you live', ['Coast']],
    role: ["You are the children's", ['Grandparent']],
    kinds: ['What kind of support do you receive?', ['Food or food vouchers', 'Health care']],
  },
  fr: {
    region: ['Région où vous habitez', ['Littoral']],
    role: ['Vous êtes pour les enfants', ['Grand-parent']],
    kinds: ["Quel type d'aide recevez-vous ?", ['Nourriture ou bons alimentaires', 'Soins de santé']],
  },
  ar: {
    region: ['المنطقة التي تسكن فيها', ['الساحلية']],
    role: ['صلتك بالأطفال', ['أحد الأجداد']],
    kinds: ['ما نوع الدعم الذي تتلقاه؟', ['غذاء أو قسائم غذائية', 'رعاية صحية']],
  },
}[locale];
// The children the person lists (the sample form's repeating group, version 2), each with a
// birth certificate uploaded on the child's own page: [name, day, month, year, relationship radio].
const CHILDREN = {
  en: [['Zawadi Okafor', '3', '5', '2019', '#f-relationship-2'], ['Tunde Okafor', '14', '2', '2016', '#f-relationship'], ['Neema Okafor', '1', '11', '2021', '#f-relationship-2']],
  fr: [['Grâce Mbemba', '3', '5', '2019', '#f-relationship-2'], ['Noël Mbemba', '14', '2', '2016', '#f-relationship'], ['Divine Mbemba', '1', '11', '2021', '#f-relationship-2']],
  ar: [['نور حداد', '3', '5', '2019', '#f-relationship-2'], ['يوسف حداد', '14', '2', '2016', '#f-relationship'], ['ليلى حداد', '1', '11', '2021', '#f-relationship-2']],
}[locale];
const steps = [];
const step = (text) => {
  steps.push(text);
  console.error(`[${name}] ${text}`);
};

const browser = await launch();
const watched = [];
function watch(label) {
  // Every registrant page the journeys see is also judged at 320 px and at 200% zoom.
  const w = new Watched(browser, base, artefacts, `${name}-${label}`, { reflow: label === 'person' });
  watched.push(w);
  return w;
}

// --- how a person moves: mouse, or keyboard only ----------------------------------------------

/**
 * Tab (Shift+Tab with `back`: the header's links from a page's heading) until the element
 * matching `selector` has focus; check the focus is visible.
 */
async function tabTo(page, selector, { back = false, max = 80 } = {}) {
  await page.waitForLoadState('domcontentloaded');
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const found = await page
      .evaluate((sel) => {
      const el = document.activeElement;
      if (!el || !el.matches(sel)) return null;
      const style = getComputedStyle(el);
      const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none' || style.backgroundColor === 'rgb(255, 221, 0)';
      return { visible };
      }, selector)
      // A page still settling (a redirect landing) restarts the search on the new document.
      .catch(async (error) => {
        if (!/context was destroyed|navigation/i.test(String(error))) throw error;
        await page.waitForLoadState('domcontentloaded');
        return null;
      });
    if (found) {
      expect(found.visible, `focus is not visible on ${selector} (${page.url()})`);
      return;
    }
  }
  throw new Error(`could not reach ${selector} with ${back ? 'Shift+Tab' : 'Tab'} on ${page.url()}`);
}

async function activate(page, selector, { back = false } = {}) {
  if (keyboard) {
    await tabTo(page, selector, { back });
    const tag = await page.evaluate(() => document.activeElement.tagName + ':' + (document.activeElement.type || ''));
    await page.keyboard.press(/INPUT:(radio|checkbox)/.test(tag) ? 'Space' : 'Enter');
  } else {
    await page.locator(selector).first().click();
  }
}

async function type(page, selector, text) {
  if (keyboard) {
    await tabTo(page, selector);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  } else {
    await page.locator(selector).fill(text);
  }
}

/** The service navigation's link to `path` (in the header, before the page's heading). */
const nav = (path) => `.govuk-service-navigation a[href="${path}"]`;

/**
 * Going to a page of the app. Keyboard only, by following links: `hops` are [link selector,
 * path it leads to, {back}] one page after another, and focus lands on each new page's heading
 * (where the next Tab starts). The pointer runs load the last address.
 */
async function visit(page, hops) {
  if (!keyboard) return page.goto(base + hops[hops.length - 1][1]);
  for (const [selector, path, options] of hops) {
    await activate(page, selector, options);
    await page.waitForURL((url) => url.pathname === path);
    await landed(page);
  }
}

/** After the app moved to another page: focus on its heading (or main), as a screen reader expects. */
async function landed(page) {
  await page.waitForFunction(() => document.activeElement?.matches('main h1, #main-content'));
}

/** A radio among several: the keyboard reaches the group and moves to it with the arrow keys. */
async function chooseRadio(page, first, option) {
  if (!keyboard) return page.locator(option).check();
  await tabTo(page, first);
  for (let i = 0; i < 10 && !(await page.locator(option).isChecked()); i++) await page.keyboard.press('ArrowDown');
  expect(await page.locator(option).evaluate((el) => el === document.activeElement && el.checked), `the arrow keys did not reach ${option}`);
}

/** An option of a select: with the keyboard, the arrow keys on the closed select. */
async function chooseOption(page, selector, value) {
  if (!keyboard) return page.locator(selector).selectOption(value);
  await tabTo(page, selector);
  for (let i = 0; i < 20 && (await page.locator(selector).inputValue()) !== value; i++) await page.keyboard.press('ArrowDown');
  expect((await page.locator(selector).inputValue()) === value, `the arrow keys did not choose ${value} in ${selector}`);
}

async function upload(page, selector, file) {
  if (keyboard) {
    const chooser = page.waitForEvent('filechooser');
    await tabTo(page, selector);
    await page.keyboard.press('Space');
    await (await chooser).setFiles(file);
  } else {
    await page.locator(selector).setInputFiles(file);
  }
}

// --- steps ---------------------------------------------------------------------------------------

async function chooseLanguage(w) {
  const page = w.page;
  if (locale === 'en') return;
  await activate(page, `header a[hreflang="${locale}"]`);
  await page.waitForFunction((lang) => document.documentElement.lang === lang, locale);
}

async function assertDirection(page) {
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    direction: getComputedStyle(document.body).direction,
    css: [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.getAttribute('href')).join(' '),
    productRight: document.querySelector('.govuk-header__product-name')?.getBoundingClientRect().right ?? 0,
    width: innerWidth,
  }));
  expect(facts.lang === locale, `<html lang> is ${facts.lang}, not ${locale}`);
  if (locale === 'ar') {
    expect(facts.dir === 'rtl' && facts.direction === 'rtl', `Arabic is not right-to-left: ${JSON.stringify(facts)}`);
    expect(facts.css.includes('.rtl.css'), `the right-to-left stylesheet is not in use: ${facts.css}`);
    expect(facts.productRight > facts.width / 2, 'the service name is not on the right in Arabic');
  } else {
    expect(facts.dir === 'ltr' && facts.direction === 'ltr', `${locale} is not left-to-right: ${JSON.stringify(facts)}`);
  }
}

async function submitAndWait(page, selector) {
  const navigated = page.waitForNavigation({ waitUntil: 'domcontentloaded' });
  await activate(page, selector);
  await navigated;
}

async function logInAtIdp(w, id) {
  const page = w.page;
  await page.waitForSelector('#individual_id');
  await w.check('idp-login');
  await type(page, '#individual_id', id);
  if (await page.locator('#secret').isVisible().catch(() => false)) await type(page, '#secret', OTP);
  // The form posts to the same address: wait for the new document, not for a URL change.
  await submitAndWait(page, 'button[name=step][value=login]');
  if (await page.locator('#secret').isVisible().catch(() => false)) {
    await type(page, '#secret', OTP);
    await submitAndWait(page, 'button[name=step][value=login]');
  }
  if (await page.locator('button[name=decision][value=allow]').count()) {
    await w.check('idp-consent');
    await activate(page, 'button[name=decision][value=allow]');
  }
  await page.waitForURL((url) => url.origin === new URL(base).origin, { timeout: 60000 });
}

async function logInFromLoginPage(w, id) {
  const page = w.page;
  await page.waitForSelector('main a.govuk-button[href*="/api/auth/login/"]');
  const href = await page.locator('main a.govuk-button[href*="/api/auth/login/"]').first().getAttribute('href');
  expect(href.includes(`locale=${locale}`), `the login link does not pass the language to the IdP: ${href}`);
  await w.check('login');
  await activate(page, 'main a.govuk-button[href*="/api/auth/login/"]');
  await logInAtIdp(w, id);
}

async function saveAndContinue(page) {
  const before = page.url();
  await activate(page, 'main form button[type=submit]');
  await page.waitForURL((url) => url.href !== before);
}

/**
 * GOV.UK's "add to a list": nobody listed yet, so the first child's page comes at once; each
 * child's name, date of birth, relationship and birth certificate on their own page; then the
 * list ("You have added 2 children", Change and Remove for each) asks whether to add another.
 */
async function addChildren(w) {
  const page = w.page;
  for (const [index, [childName, day, month, year, relationship]] of CHILDREN.entries()) {
    await page.waitForURL(new RegExp(`/pages/children/members/${index}$`));
    await page.waitForSelector('#f-name');
    if (index === 0) await w.check('child-page');
    await type(page, '#f-name', childName);
    await type(page, '#f-birth_date-day', day);
    await type(page, '#f-birth_date-month', month);
    await type(page, '#f-birth_date-year', year);
    await chooseRadio(page, '#f-relationship', relationship);
    const file = `certificate-${index + 1}.png`;
    await upload(page, '#f-birth_certificate', pngFile(file));
    await page.locator('main p[role=status]').filter({ hasText: file }).locator('.govuk-tag--green').waitFor({ timeout: 60000 });
    await saveAndContinue(page);
    await page.waitForURL(/\/pages\/children$/);
    await page.waitForSelector('main .govuk-summary-list');
    const listed = await page.locator('main .govuk-summary-list__key').allInnerTexts();
    expect(listed.join('|') === CHILDREN.slice(0, index + 1).map((c) => c[0]).join('|'), `the list shows ${listed}, not the children added`);
    const removeLinks = await page.locator('main .govuk-summary-list__actions a[href$="/remove"]').count();
    expect(removeLinks === index + 1, 'each child listed does not have its Remove link');
    if (index === 1) await w.check('children-list');
    await chooseRadio(page, '#another', index + 1 < CHILDREN.length ? '#another' : '#another-no');
    await saveAndContinue(page);
  }
  step(`${CHILDREN.length} children listed, each with a birth certificate`);
}

async function fillHousehold(w) {
  const page = w.page;
  // Nothing answered: the error summary takes focus and links to the first question.
  await activate(page, 'main form button[type=submit]');
  await page.waitForSelector('.govuk-error-summary');
  // It takes focus once drawn (an effect after the paint): wait for that, not for the first frame.
  const focused = await page
    .waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'), null, { timeout: 5000 })
    .then(() => true, () => false);
  expect(focused, 'the error summary did not take focus');
  const links = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(links.includes('#f-household_size'), `the error summary does not link to the field: ${links}`);
  expect(/^(Error|Erreur|خطأ)/.test(await page.title()), 'the page title does not say there is an error');
  await w.check('household-errors');
  await type(page, '#f-household_size', '4');
  await chooseRadio(page, '#f-caregiver_role', '#f-caregiver_role-2');
  expect(!(await page.locator('#f-support_kinds, #f-other_support_details').count()), 'the conditional questions show before their condition holds');
  await activate(page, '#f-receives_other_support');
  await page.waitForSelector('#f-other_support_details');
  // The checkbox group: food (the 2nd box) and health care (the 4th).
  await activate(page, '#f-support_kinds-2');
  await activate(page, '#f-support_kinds-4');
  const ticked = await page.locator('input[name="/support_kinds"]:checked').evaluateAll((boxes) => boxes.map((b) => b.value));
  expect(ticked.join() === 'food,health', `the checkbox group holds ${ticked}, not food and health`);
  await type(page, '#f-other_support_details', 'Food parcels, twice a month');
  await w.check('household-answered');
}

async function uploadDocuments(w, fileName, { problems = false, progress = false } = {}) {
  const page = w.page;
  await page.waitForSelector('#doc-birth_certificate');
  await w.check('documents');
  if (problems) {
    // The checks the browser makes before sending anything, with GOV.UK's texts, on the field
    // and in the error summary.
    for (const [file, code] of [
      [{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a scan') }, 'wrong_type'],
      [{ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) }, 'empty'],
    ]) {
      await upload(page, '#doc-birth_certificate', file);
      const expected = text(`documents.error.${code}`, { size: '5 MB' });
      await page.waitForFunction((t) => document.querySelector('main .govuk-error-message')?.textContent?.includes(t), expected);
      expect((await page.locator('.govuk-error-summary').innerText()).includes(expected), `the error summary does not say “${expected}”`);
      if (code === 'wrong_type') await w.check('documents-wrong-type');
    }
  }
  let release;
  const storage = (url) => url.origin !== new URL(base).origin;
  if (progress) {
    // Hold the upload to storage until the progress bar has been seen (and checked).
    const held = new Promise((resolve) => (release = resolve));
    await page.route(storage, async (route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue().catch(() => undefined);
    });
  }
  await upload(page, '#doc-birth_certificate', pngFile(fileName));
  if (progress) {
    const bar = page.locator('main progress.ssp-progress');
    await bar.waitFor();
    expect((await bar.getAttribute('aria-label')) === text('documents.progress'), 'the progress bar has no accessible name');
    // (A child's certificate uploaded on the child's page may be listed above it.)
    const said = await page.locator('main [role=status]').allInnerTexts();
    expect(said.some((line) => line.includes(text('documents.uploading', { name: fileName }))), 'the upload does not say what it is sending');
    await w.check('upload-progress');
    release();
  }
  // This file's own line says it was checked (an earlier document may already show green).
  await page.locator('main p[role=status]').filter({ hasText: fileName }).locator('.govuk-tag--green').waitFor({ timeout: 60000 });
  if (progress) await page.unroute(storage);
  expect(!(await page.locator('main .govuk-error-message').count()), 'an upload error is still shown after a good file');
  if (problems || progress) step('upload: GOV.UK error texts for a wrong type and an empty file, a progress bar, then checked');
}

async function apply(w) {
  const page = w.page;
  await page.goto(base + '/');
  await chooseLanguage(w);
  await assertDirection(page);
  await w.check('home');
  await activate(page, 'main a.govuk-button--start');
  await page.waitForURL(/\/login/);
  await logInFromLoginPage(w, person);
  await page.waitForURL(/\/programs$/);
  await page.waitForSelector(`main a[href="/programs/${PROGRAM}"]`);
  await assertDirection(page);
  await w.check('programs');
  await activate(page, `main a[href="/programs/${PROGRAM}"]`);
  await page.waitForSelector('main h1');
  await page.waitForSelector('main button.govuk-button');
  programName = (await page.locator('main h1').innerText()).trim();
  // The programme says whether this person can apply now (the backend's `you`).
  expect((await page.locator('main #standing').innerText()).includes(text('programs.can_apply')), 'the programme page does not say the person can apply');
  await w.check('program');
  await activate(page, 'main button.govuk-button');
  await page.waitForURL(/\/applications\/[^/]+$/);
  const applicationUrl = page.url();
  await page.waitForSelector('.govuk-task-list');
  await w.check('task-list');
  step('applied: task list shown');

  await activate(page, '.govuk-task-list a');
  await page.waitForSelector('#f-phone');
  // Verified by the ID provider, hence prefilled and not editable.
  expect(!(await page.locator('input#f-name').count()) && (await page.locator('#f-name').innerText()).includes(text('id_fields.from_national_id')), 'the name from the national ID is not shown as text marked so');
  await w.check('about-you');
  await type(page, '#f-phone', '+254 700 111 222');
  await chooseOption(page, '#f-region', 'coast');
  await saveAndContinue(page);
  step('page 1 saved as a draft');
  await addChildren(w);
  await page.waitForSelector('#f-household_size');
  return applicationUrl;
}

/** Once an application is in, the programme says why the person cannot apply again, and links to it. */
async function cannotApplyTwice(w, applicationUrl) {
  const page = w.page;
  // From the reloaded confirmation page: focus starts at the top, the service navigation is ahead.
  await visit(page, [
    [nav('/programs'), '/programs'],
    [`main a[href="/programs/${PROGRAM}"]`, `/programs/${PROGRAM}`],
  ]);
  await page.waitForSelector('main #standing');
  const standing = await page.locator('main #standing').innerText();
  expect(standing.includes(text('programs.cannot_apply')) && standing.includes(text('programs.reason.application_in_progress')), `the programme does not say why not: ${standing}`);
  const link = page.locator(`main a.govuk-button[href="${new URL(applicationUrl).pathname}"]`);
  expect((await link.innerText()).trim() === text('program.view_application'), 'the programme does not link to the application in progress');
  expect(!(await page.locator('main button.govuk-button').count()), 'the programme still offers to apply');
  await w.check('program-cannot-apply');
  step('programme page says why the person cannot apply again');
}

async function resumeOnAnotherDevice(applicationUrl) {
  const w = watch('second-device');
  const page = await w.open();
  await page.goto(`${base}/login?next=${encodeURIComponent(new URL(applicationUrl).pathname)}`);
  await logInFromLoginPage(w, person);
  await page.waitForURL(applicationUrl);
  await page.waitForSelector('.govuk-task-list');
  const status = await page.locator('.govuk-task-list__status').first().innerText();
  expect(!/not|pas|لم/i.test(status), `the first section is not completed on another device: ${status}`);
  await activate(page, '.govuk-task-list a');
  await page.waitForSelector('#f-phone');
  expect((await page.locator('#f-phone').inputValue()) === '+254700111222', 'the saved answer (without its spaces) is not there on another device');
  expect((await page.locator('#f-region').inputValue()) === 'coast', 'the saved choice is not there on another device');
  await w.check('resumed');
  await w.close();
  step('resumed on another device with the saved answer');
}

async function sessionExpiresMidForm(w) {
  // The session ends (another tab logged out, or it timed out) while the person types.
  const page = w.page;
  await fillHousehold(w);
  await w.context.clearCookies();
  await activate(page, 'main form button[type=submit]');
  await page.waitForURL(/\/login\?expired=1/);
  await page.waitForSelector('.govuk-inset-text');
  await w.check('session-expired');
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ssp-unsaved:')).map((k) => localStorage.getItem(k)));
  expect(kept.length === 1 && kept[0].includes('Food parcels'), 'the unsaved answers were not kept');
  expect(!kept[0].includes(person), 'an ID number was kept in the browser');
  await logInFromLoginPage(w, person);
  await page.waitForSelector('#f-household_size');
  expect((await page.locator('#f-other_support_details').inputValue()) === 'Food parcels, twice a month', 'the unsaved answers were not restored');
  expect((await page.locator('#f-household_size').inputValue()) === '4', 'the unsaved number was not restored');
  expect((await page.locator('#f-support_kinds-2').isChecked()) && (await page.locator('#f-support_kinds-4').isChecked()), 'the unsaved ticks were not restored');
  await w.check('restored');
  step('session expired mid-form: answers kept and restored after logging in again');
}

// The statements the English run has the programme ask for while the person is filling in.
const STATEMENTS = [
  {
    id: 'share_with_health',
    text: {
      en: 'I agree that the programme may confirm my household with the health service.',
      fr: 'J’accepte que le programme vérifie mon foyer auprès du service de santé.',
      ar: 'أوافق على أن يتحقق البرنامج من أسرتي لدى الخدمة الصحية.',
    },
    required: true,
  },
  { id: 'survey', text: { en: 'You may contact me for a survey.', fr: 'Vous pouvez me contacter pour une enquête.', ar: 'يمكنكم التواصل معي لإجراء استبيان.' }, required: false },
];

/** The programme's consent statements, set as an administrator would (PATCH with the staff token). */
async function setStatements(statements) {
  const response = await fetch(`${base}/api/admin/programs/${PROGRAM}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ consents: statements }),
  });
  expect(response.ok, `setting the programme's statements failed: ${response.status} ${await response.text()}`);
}

/**
 * Statements added after this page read the programme: sending is refused (422 on
 * /consents/<id>) and the statements appear, the required one with its error; sending again
 * unticked is stopped in the browser; ticked, it goes.
 */
async function agreeToStatements(w) {
  const page = w.page;
  const submits = [];
  const count = (request) => request.method() === 'POST' && request.url().endsWith('/submit') && submits.push(request.url());
  page.on('request', count);
  await page.locator('main button.govuk-button').click();
  await page.waitForSelector('#consent-share_with_health-error');
  expect(submits.length === 1, `expected one refused submission, saw ${submits.length}`);
  const links = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(links.includes('#consent-share_with_health'), `the error summary does not link to the statement: ${links}`);
  expect((await page.locator('label[for="consent-survey"]').innerText()).includes(text('common.optional')), 'the optional statement is not marked optional');
  await w.check('check-answers-statement-required');
  await page.locator('main button.govuk-button').click();
  await page.waitForTimeout(500);
  expect(submits.length === 1, 'an unticked required statement was sent to the server');
  await page.locator('#consent-share_with_health').check();
  page.off('request', count);
  step('consent statements: refused by the server until agreed, checked in the browser, then sent');
}

async function finish(w, applicationUrl) {
  const page = w.page;
  await saveAndContinue(page);
  await uploadDocuments(w, 'birth-certificate.png', { problems: !keyboard, progress: !keyboard && locale === 'en' });
  await activate(page, 'main button.govuk-button');
  await page.waitForURL(/\/check$/);
  await page.waitForSelector('.govuk-summary-list');
  await expectChoices(page, 'check your answers');
  const summary = await page.locator('main').innerText();
  expect(summary.includes('Food parcels, twice a month') && summary.includes('birth-certificate.png'), 'check your answers does not show the answers');
  const cards = await page.locator('main .govuk-summary-card__title').allInnerTexts();
  expect(cards.join('|') === CHILDREN.map((c) => c[0]).join('|'), `check your answers does not show each child as its own block: ${cards}`);
  expect(summary.includes('certificate-3.png'), 'check your answers does not show the third child’s certificate');
  await w.check('check-answers');
  // An administrator adds statements once the page has read the programme (the application's
  // screens read it with every page since issue 21, so earlier would show them at once).
  if (adminToken && locale === 'en' && !keyboard) {
    await setStatements(STATEMENTS);
    statementsSet = true;
    await agreeToStatements(w);
  }
  await activate(page, 'main button.govuk-button');
  await page.waitForURL(/\/confirmation$/);
  await page.waitForSelector('.ssp-reference');
  const reference = (await page.locator('.ssp-reference').innerText()).trim();
  expect(/^[A-Z0-9][A-Z0-9-]{5,}$/.test(reference), `no reference on the confirmation page: ${reference}`);
  await assertDirection(page);
  await w.check('confirmation');
  // Bookmarkable: the same address shows the same reference after a reload.
  await page.reload();
  await page.waitForSelector('.ssp-reference');
  expect((await page.locator('.ssp-reference').innerText()).trim() === reference, 'the confirmation page is not bookmarkable');
  step(`submitted: reference ${reference}`);
  return { reference, applicationId: decodeURIComponent(new URL(applicationUrl).pathname.split('/')[2]) };
}

/** The summary of answers shows each choice in the run's language, against its question. */
async function expectChoices(page, where) {
  const rows = await page.locator('main .govuk-summary-list__row').evaluateAll((list) =>
    Object.fromEntries(list.map((row) => [row.querySelector('dt')?.textContent?.trim(), row.querySelector('dd')?.textContent?.trim()])),
  );
  for (const [question, answers] of Object.values(CHOSEN)) {
    const shown = rows[question] ?? '';
    expect(shown && answers.every((a) => shown.includes(a)), `${where}: “${question}” reads “${shown}”, not ${answers.join(' and ')}`);
  }
}

/** Staff pages with a bearer token from the dev IdP (as the console keeps it after sign-in). */
async function staffContext(label, token) {
  const w = watch(label);
  await w.open();
  await w.context.addInitScript(
    ([origin, value]) => {
      if (location.origin === origin) sessionStorage.setItem('ssp-staff-token', value);
    },
    [new URL(base).origin, token],
  );
  return w;
}

async function administrator() {
  const w = await staffContext('admin', adminToken);
  const page = w.page;
  await page.goto(`${base}/staff/programs`);
  await page.waitForSelector(`main a[href="/staff/programs/${PROGRAM}"]`);
  await w.check('programs');
  await page.locator(`main a[href="/staff/programs/${PROGRAM}"]`).click();
  await page.waitForSelector('#program-eligibility-en');
  await page.locator('#program-eligibility-fr').fill('Vous avez à charge au moins un enfant de moins de 18 ans.');
  await page.locator('#program-eligibility-fr').locator('xpath=ancestor::form').locator('button[type=submit]').click();
  await page.waitForSelector('main [role=status]');
  await w.check('program-saved');
  await page.locator('main a[href^="/staff/forms/"]').click();
  // The builder's preview shows one page at a time: the household page holds the condition.
  await page.waitForSelector('#preview-page');
  const previewPages = await page.locator('#preview-page option').allTextContents();
  await page.locator('#preview-page').selectOption(String(previewPages.findIndex((label) => /household/i.test(label))));
  await page.waitForSelector('.ssp-preview #f-receives_other_support');
  expect(!(await page.locator('.ssp-preview #f-other_support_details').count()), 'the preview shows a conditional question too early');
  await page.locator('.ssp-preview #f-receives_other_support').check();
  await page.waitForSelector('.ssp-preview #f-other_support_details');
  await w.check('form-preview');
  await w.close();
  step('administrator: programme edited, form previewed with its conditions');
}

async function reviewer(applicationId, decisions) {
  const w = await staffContext('reviewer', reviewerToken);
  const page = w.page;
  await page.goto(`${base}/staff/review?program=${PROGRAM}&status=submitted`);
  await page.waitForSelector('main h1');
  await w.check('queue');
  await page.goto(`${base}/staff/review/${encodeURIComponent(applicationId)}`);
  // The household: each child as a card with their answers, each certificate saying whose it is.
  await page.waitForSelector('main .govuk-summary-card__title');
  const cards = await page.locator('main .govuk-summary-card__title').allInnerTexts();
  expect(cards.join('|') === CHILDREN.map((c) => c[0]).join('|'), `the reviewer does not see the children: ${cards}`);
  await page.waitForFunction((name) => document.querySelector('main')?.textContent?.includes(name), `certificate-3.png`);
  const main = await page.locator('main').innerText();
  expect(CHILDREN.every((c) => main.includes(c[0])) && main.includes('certificate-1.png'), 'the reviewer does not see whose certificate each is');
  for (const [to, reason] of decisions) {
    await page.waitForSelector(`#decision-${to}`);
    await w.check(`before-${to}`);
    await page.locator(`#decision-${to}`).check();
    if (reason) await page.locator('#reason').fill(reason);
    await page.locator('main form button[type=submit]').click();
    await page.waitForSelector('.govuk-notification-banner--success');
    await page.waitForFunction((status) => !document.querySelector(`#decision-${status}`), to);
  }
  await w.check('decided');
  await w.close();
  step(`reviewer: ${decisions.map((d) => d[0]).join(' → ')}`);
}

async function answerRequest(w, applicationUrl, reason) {
  const page = w.page;
  const path = new URL(applicationUrl).pathname;
  // Keyboard only, from the programme's page: back up to "My applications", then the application.
  await visit(page, [
    [nav('/applications'), '/applications', { back: true }],
    [`main a[href="${path}"]`, path],
  ]);
  await page.waitForSelector('.govuk-notification-banner');
  expect((await page.locator('.govuk-notification-banner').innerText()).includes(reason), 'the reviewer’s request is not shown');
  await w.check('information-requested');
  await activate(page, 'main a[href$="/documents"]');
  await uploadDocuments(w, 'clearer-certificate.png');
  await activate(page, 'main button.govuk-button:not(.govuk-button--secondary)');
  await page.waitForURL(/\/check$/);
  await page.waitForSelector('main .govuk-summary-list');
  if (statementsSet) {
    // Agreed to with the first submission: still ticked for the answer to the request.
    await page.waitForSelector('#consent-share_with_health');
    expect(await page.locator('#consent-share_with_health').isChecked(), 'the statement agreed to before is not ticked on resubmission');
  }
  if (keyboard) await landed(page);
  await activate(page, 'main button.govuk-button');
  await page.waitForURL(/\/confirmation$/);
  if (keyboard) await landed(page);
  step('information sent in place with a new document');
}

async function timeline(w, applicationUrl, expected) {
  const page = w.page;
  const path = new URL(applicationUrl).pathname;
  // Keyboard only, from the confirmation of the answer to the request: its link to the application.
  await visit(page, [[`main a[href="${path}"]`, path]]);
  await page.waitForSelector('.ssp-timeline');
  const shown = await page.locator('.ssp-timeline').innerText();
  for (const part of expected) expect(shown.includes(part), `the timeline lacks “${part}”:\n${shown}`);
  await expectChoices(page, 'the timeline’s answers');
  await assertDirection(page);
  await w.check('timeline');
  step('timeline shows each step with its reason');
}

async function enrolments(w) {
  const page = w.page;
  await visit(page, [[nav('/enrolments'), '/enrolments', { back: true }]]);
  await page.waitForSelector('main .govuk-summary-list');
  const shown = await page.locator('main .govuk-summary-list').innerText();
  expect(shown.includes(programName) && shown.includes(text('status.enrolled')), `the enrolments page does not show the programme:\n${shown}`);
  await assertDirection(page);
  await w.check('enrolments');
  step('enrolments page shows the programme');
}

/**
 * Enrolled, the person may apply again (one active application at a time): the new
 * application's documents page offers the birth certificate checked for the first one, and
 * using it completes the documents task without uploading anything.
 */
async function reuseForNewApplication(w) {
  const page = w.page;
  await page.goto(`${base}/programs/${PROGRAM}`);
  await page.waitForSelector('main #standing');
  expect((await page.locator('main #standing').innerText()).includes(text('programs.can_apply')), 'enrolled, the person cannot apply again');
  await page.locator('main button.govuk-button').click();
  await page.waitForURL(/\/applications\/[^/]+$/);
  await page.waitForSelector('.govuk-task-list');
  const applicationUrl = page.url();
  await expectChildrenPrefilled(w, applicationUrl);
  await page.goto(`${applicationUrl}/documents`);
  const offer = page.locator('#doc-birth_certificate-reuse');
  await offer.waitFor();
  const offered = await offer.innerText();
  expect(offered.includes('clearer-certificate.png') && offered.includes(text('documents.reuse_other_application')), `the earlier documents are not offered:\n${offered}`);
  await w.check('documents-reuse');
  await offer.locator('button').first().click();
  await page.locator('main p[role=status]').filter({ hasText: 'clearer-certificate.png' }).locator('.govuk-tag--green').waitFor();
  await page.goto(applicationUrl);
  await page.waitForSelector('#task-documents-status');
  const status = (await page.locator('#task-documents-status').innerText()).trim();
  expect(status === text('apply.status.completed'), `the documents task is not completed by the reused document: ${status}`);
  await w.check('task-list-reused');
  step('a document of the earlier application reused for a new one');
}

/** The next application starts with the children the portal remembers: listed, to confirm or change. */
async function expectChildrenPrefilled(w, applicationUrl) {
  const page = w.page;
  await page.goto(`${applicationUrl}/pages/children`);
  await page.waitForSelector('main .govuk-summary-list__key');
  const listed = await page.locator('main .govuk-summary-list__key').allInnerTexts();
  expect(listed.join('|') === CHILDREN.map((c) => c[0]).join('|'), `the next application does not start with the children: ${listed}`);
  await w.check('children-prefilled');
  step('the next application starts with the children listed before');
}

/** Enrolled, the person applies again: the children are there already (the Arabic run's check). */
async function prefilledNextTime(w) {
  const page = w.page;
  await page.goto(`${base}/programs/${PROGRAM}`);
  await page.waitForSelector('main #standing');
  await page.locator('main button.govuk-button').click();
  await page.waitForURL(/\/applications\/[^/]+$/);
  await expectChildrenPrefilled(w, page.url());
}

/** Everything about me: the JSON download, and the human-readable summary opened. */
async function exportData(w, reference) {
  const page = w.page;
  await visit(page, [[nav('/me'), '/me', { back: true }]]);
  await page.waitForSelector('main a[href^="/api/me/export"]');
  const download = async (selector) => {
    const [file] = await Promise.all([page.waitForEvent('download'), activate(page, selector)]);
    return { name: file.suggestedFilename(), body: readFileSync(await file.path(), 'utf8') };
  };
  // In the page's order: the summary, then the JSON.
  const html = await download(`main a[href="/api/me/export?format=html&locale=${locale}"]`);
  const json = await download(`main a[href="/api/me/export?locale=${locale}"]`);
  expect(json.name.endsWith('.json'), `the data download is not a JSON file: ${json.name}`);
  const data = JSON.parse(json.body);
  expect(JSON.stringify(data).includes(reference), 'the JSON export does not hold the application');
  expect(html.name.endsWith('.html'), `the summary download is not an HTML file: ${html.name}`);
  const saved = join(artefacts, `${name}-export.html`);
  (await import('node:fs')).writeFileSync(saved, html.body);
  const summary = await w.context.newPage();
  await summary.goto('file://' + saved);
  const shown = await summary.locator('body').innerText();
  expect(shown.includes(reference), 'the human-readable summary does not show the application');
  await summary.screenshot({ path: join(artefacts, `${name}-export-summary.png`), fullPage: true });
  await summary.close();
  step('export: JSON downloaded, human-readable summary opened');
}

async function ownDataPages(w) {
  const page = w.page;
  if (statementsSet) {
    await page.goto(base + '/me/consents');
    await page.waitForSelector('main h2');
    const shown = await page.locator('main').innerText();
    expect(shown.includes(STATEMENTS[0].text.en) && shown.includes(result.reference), `my consents do not list the statement agreed to:\n${shown}`);
  }
  for (const path of ['/applications', '/enrolments', '/me', '/me/edit', '/me/submissions', '/me/activity', '/me/consents']) {
    await page.goto(base + path);
    await page.waitForSelector('main h1');
    await page.waitForFunction(() => !document.querySelector('main [role=status]')?.textContent?.match(/Loading|Chargement|جارٍ/));
    await w.check(path.slice(1).replace(/\//g, '-'));
  }
  step('own data pages');
}

let failure;
const result = {};
try {
  const w = watch('person');
  await w.open();
  const applicationUrl = await apply(w);
  if (!keyboard && locale === 'en') {
    await resumeOnAnotherDevice(applicationUrl);
    await sessionExpiresMidForm(w);
  } else {
    await fillHousehold(w);
  }
  Object.assign(result, await finish(w, applicationUrl));
  await cannotApplyTwice(w, applicationUrl);
  if (reviewerToken) {
    const [reason, approval] = REASONS;
    await reviewer(result.applicationId, [['under_review', ''], ['info_requested', reason]]);
    await answerRequest(w, applicationUrl, reason);
    await reviewer(result.applicationId, [['under_review', ''], ['approved', approval], ['enrolled', '']]);
    const events = ['enrolled', 'approved', 'information_provided', 'info_requested', 'under_review', 'submitted', 'created'];
    await timeline(w, applicationUrl, [reason, approval, ...events.map((e) => text(`timeline.event.${e}`))]);
    await enrolments(w);
    await exportData(w, result.reference);
    if (locale === 'ar') await prefilledNextTime(w);
    if (locale === 'en' && !keyboard) {
      await reuseForNewApplication(w);
      await ownDataPages(w);
      if (adminToken) await administrator();
    }
  }
} catch (error) {
  failure = error;
  // What the person saw when it went wrong, and what the page said.
  await reportFailure(watched, artefacts, 'main');
}
// The other runs share the programme: it asks for no statement after this one.
if (statementsSet) await setStatements([]).catch((error) => (failure ??= error));
await endRun(browser, watched, failure, { name, ...result, steps });
