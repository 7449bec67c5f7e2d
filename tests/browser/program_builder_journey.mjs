// Issue 15's journey, in a real browser against the local stack: an administrator signed in
// through the dev IdP sets up a Child Support Grant with the programme's task list and builds its
// form from nothing with the form builder — two pages, a date, a phone number with its own error
// message in English, French and Arabic, a choose-one with a question shown only for one answer,
// and a household-members group with a birth certificate per child — without typing any JSON;
// publishes it, maps it, opens the programme (refused until then), and a person applies with it,
// reading the phone number's own message in each language. axe-core, a screenshot and the CSP /
// page-error watch on every page, the builder's included.
//
//   node tests/browser/program_builder_journey.mjs   (env: BASE_URL, PERSON, ARTIFACTS)
import { endRun, expect, launch, pngFile, reportFailure, Watched } from './lib.mjs';
import { staffSignIn } from './staff_lib.mjs';

const base = process.env.BASE_URL;
const person = process.env.PERSON ?? '8267411571';
const artefacts = process.env.ARTIFACTS ?? 'test-artifacts';
const run = process.env.RUN_SUFFIX ?? ''; // another run against the same stack
const PROGRAM = `csg-built${run}`;
const FORM = `csg-built-form${run}`;
const OTP = '111111';
const PHONE_MESSAGE = {
  en: 'Enter a phone number, like 0712 345 678',
  fr: 'Saisissez un numéro de téléphone, par exemple 0712 345 678',
  ar: 'أدخل رقم هاتف، مثل 0712 345 678',
};
const DETAILS = {
  name: { en: 'Child Support Grant', fr: 'Allocation de soutien à l’enfant', ar: 'منحة دعم الطفل' },
  description: { en: 'A monthly grant for people caring for children under 18.', fr: 'Une allocation mensuelle pour les personnes qui ont des enfants de moins de 18 ans à charge.', ar: 'منحة شهرية لمن يرعون أطفالًا دون سن 18 عامًا.' },
  eligibility: { en: 'You care for at least one child under 18 who lives with you.', fr: 'Vous avez à charge au moins un enfant de moins de 18 ans qui vit avec vous.', ar: 'ترعى طفلًا واحدًا على الأقل دون سن 18 عامًا يعيش معك.' },
  benefit: { en: '300 a month for each child', fr: '300 par mois pour chaque enfant', ar: '300 شهريًا لكل طفل' },
};
const steps = [];
const step = (text) => {
  steps.push(text);
  console.error(`[builder-journey] ${text}`);
};

const browser = await launch();
const watched = [];
function watch(label) {
  const w = new Watched(browser, base, artefacts, `builder-journey-${label}`);
  watched.push(w);
  return w;
}

/** An element by its id, whatever characters the id holds (member questions' ids have a dot). */
const byId = (page, id) => page.locator(`[id="${id}"]`);

async function fillTexts(page, prefix, texts) {
  for (const [code, text] of Object.entries(texts)) await byId(page, `${prefix}-${code}`).fill(text);
}

/** Follow a task's link once the list is drawn with the programme's data (not a first drawing
 * that its read then redraws under the click), and wait for the task's own page. */
async function openTask(page, name) {
  await page.waitForLoadState('networkidle');
  const link = page.locator('.govuk-task-list__link', { hasText: name });
  const to = new URL(await link.getAttribute('href'), page.url());
  await link.click();
  await page.waitForURL((url) => url.pathname === to.pathname);
}

async function taskStatus(page, name) {
  const item = page.locator('.govuk-task-list__item', { has: page.locator('.govuk-task-list__link', { hasText: name }) });
  return (await item.locator('.govuk-task-list__status').innerText()).trim();
}

// --- the administrator --------------------------------------------------------------------------

async function setUpProgramme(w) {
  const page = w.page;
  await page.locator('main a[href="/staff/programs"]').click();
  await page.locator('main a[href="/staff/programs/new"]').click();
  await page.waitForSelector('#program-name-en');
  await fillTexts(page, 'program-name', DETAILS.name);
  await page.locator('#program-id').fill(PROGRAM);
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(`${base}/staff/programs/${PROGRAM}`);
  await page.locator('#setup-link').click();
  await page.waitForURL(`${base}/staff/programs/${PROGRAM}/setup`);
  await page.waitForSelector('.govuk-task-list');
  // Only the name is given (in three languages): the details are started, not done.
  expect((await taskStatus(page, 'Programme details')) === 'In progress', 'a new programme’s details are not “In progress”');
  expect((await taskStatus(page, 'Application form')) === 'Not started', 'a new programme’s form task is not “Not started”');
  expect(!(await page.locator('button#open-programme').count()), 'an empty programme offers to open');
  const missing = await page.locator('#open-programme').innerText();
  expect(missing.includes('A published application form') && missing.includes('What people get'), `the task list does not say what is missing: ${missing}`);
  await w.check('task-list-new');
  step('administrator: programme created; its task list says what is missing before it can open');

  // Details, each text in every language side by side; the closing day picked, not typed as ISO.
  await openTask(page, 'Programme details');
  await page.waitForSelector('#setup-benefit-ar');
  for (const [field, texts] of Object.entries(DETAILS)) await fillTexts(page, `setup-${field}`, texts);
  expect((await page.locator('#setup-closes-at').getAttribute('type')) === 'date', 'the closing date is not a date picker');
  await page.locator('#setup-closes-at').fill('2031-03-31');
  await page.locator('#setup-decision-days').fill('30');
  await w.check('details');
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(`${base}/staff/programs/${PROGRAM}/setup?done=details`);
  await page.waitForSelector('.govuk-task-list');
  expect((await taskStatus(page, 'Programme details')) === 'Completed', 'the details task is not completed once every text is given');
  step('administrator: details in three languages, closing day picked, decision in 30 days');

  // The certificate each child's page asks for is a document the programme accepts.
  await openTask(page, 'Documents people send');
  await page.waitForSelector('#add-document');
  await page.locator('#add-document').click();
  await page.locator('#doc-0-kind').fill('birth_certificate');
  await fillTexts(page, 'doc-0-label', { en: 'Birth certificate', fr: 'Acte de naissance', ar: 'شهادة الميلاد' });
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(`${base}/staff/programs/${PROGRAM}/setup?done=documents`);
  step('administrator: the birth certificate accepted as a document');
}

async function buildForm(w) {
  const page = w.page;
  await page.goto(`${base}/staff/programs/${PROGRAM}/setup/form`);
  await page.locator('main a', { hasText: 'Build a new form' }).click();
  await page.waitForSelector('#new-form-id');
  await page.locator('#new-form-id').fill(FORM);
  await page.locator('main form:has(#new-form-id) button[type=submit]').click();
  await page.waitForURL(`${base}/staff/forms/${FORM}/versions/1?done=created`);
  await page.waitForSelector('#form-title-en');
  await w.check('builder-new');
  await fillTexts(page, 'form-title', DETAILS.name);

  const add = async (pageIndex, type) => {
    await page.locator(`#page-${pageIndex}-add-type`).selectOption(type);
    await page.locator(`#page-${pageIndex}-add`).click();
  };
  // Page 1, after the starter's full name: a date.
  await add(0, 'date');
  await page.waitForSelector('#q-question_1-label-en');
  await fillTexts(page, 'q-question_1-label', { en: 'Your date of birth', fr: 'Votre date de naissance', ar: 'تاريخ ميلادك' });
  // A phone number with its own error message in three languages.
  await add(0, 'phone');
  await page.waitForSelector('#q-question_2-label-en');
  await fillTexts(page, 'q-question_2-label', { en: 'Your phone number', fr: 'Votre numéro de téléphone', ar: 'رقم هاتفك' });
  await page.locator('#q-question_2 summary', { hasText: 'Error messages in your own words' }).click();
  await fillTexts(page, 'q-question_2-error-wrong_format', PHONE_MESSAGE);
  await w.check('builder-phone');
  // Choose one, and a question shown only for one of its answers.
  await add(0, 'choose_one');
  await page.waitForSelector('#q-question_3-label-en');
  await fillTexts(page, 'q-question_3-label', { en: 'How are you related to the children?', fr: 'Quel est votre lien avec les enfants ?', ar: 'ما صلتك بالأطفال؟' });
  await fillTexts(page, 'q-question_3-choice-0', { en: 'Parent', fr: 'Parent', ar: 'أحد الوالدين' });
  await fillTexts(page, 'q-question_3-choice-1', { en: 'Grandparent', fr: 'Grand-parent', ar: 'أحد الأجداد' });
  await page.locator('#q-question_3-add-choice').click();
  await fillTexts(page, 'q-question_3-choice-2', { en: 'Other', fr: 'Autre', ar: 'أخرى' });
  await add(0, 'short_text');
  await page.waitForSelector('#q-question_4-label-en');
  await fillTexts(page, 'q-question_4-label', { en: 'Tell us how you are related', fr: 'Précisez votre lien', ar: 'اذكر صلتك' });
  await page.locator('#q-question_4-condition-question').selectOption('question_3');
  await page.locator('#q-question_4-condition-op').selectOption('is');
  await page.locator('#q-question_4-condition-answer').selectOption('other');
  await w.check('builder-condition');
  step('administrator: page 1 built — full name, a date, a phone number with its own messages, a choose-one with a conditional question');

  // Page 2: the children, each with a name and a birth certificate.
  await page.locator('#add-page').click();
  await page.waitForSelector('#page-1-title-en');
  await fillTexts(page, 'page-1-title', { en: 'Your children', fr: 'Vos enfants', ar: 'أطفالك' });
  await add(1, 'household');
  await page.waitForSelector('#q-members_1-label-en');
  await fillTexts(page, 'q-members_1-label', { en: 'Your children under 18', fr: 'Vos enfants de moins de 18 ans', ar: 'أطفالك دون 18 عامًا' });
  await fillTexts(page, 'q-members_1-item-label', { en: 'child', fr: 'enfant', ar: 'طفل' });
  await fillTexts(page, 'q-members_1-items-label', { en: 'children', fr: 'enfants', ar: 'أطفال' });
  await page.locator('#q-members_1-member-name-edit').click();
  await byId(page, 'q-members_1.name-label-en').waitFor();
  await fillTexts(page, 'q-members_1.name-label', { en: 'Child’s full name', fr: 'Nom complet de l’enfant', ar: 'اسم الطفل الكامل' });
  await page.locator('#q-members_1-add-member-question-type').selectOption('document');
  await page.locator('#q-members_1-add-member-question').click();
  await byId(page, 'q-members_1.question_1-label-en').waitFor();
  await fillTexts(page, 'q-members_1.question_1-label', { en: 'Child’s birth certificate', fr: 'Acte de naissance de l’enfant', ar: 'شهادة ميلاد الطفل' });
  await byId(page, 'q-members_1.question_1-document-kind').fill('birth_certificate');
  await w.check('builder-household');
  await page.waitForSelector('#publish-title');
  const publishing = await page.locator('section[aria-labelledby="publish-title"]').innerText();
  expect(!(await page.locator('#missing-list').count()), `the builder still lists something missing: ${publishing}`);
  await page.locator('#publish').click();
  await page.waitForURL(`${base}/staff/forms/${FORM}/versions/1?done=published`);
  await page.waitForSelector('#new-version');
  await w.check('builder-published');
  expect(!(await page.locator('#json-import, textarea.ssp-json-editor').evaluateAll((els) => els.some((el) => el.value && el.value.trim() && document.activeElement === el))), 'JSON was typed');
  step('administrator: page 2 a household of children, each with a birth certificate; nothing missing; published');
}

async function mapAndOpen(w) {
  const page = w.page;
  await page.goto(`${base}/staff/programs/${PROGRAM}/setup`);
  await page.waitForSelector('.govuk-task-list');
  await openTask(page, 'Application form');
  await page.waitForSelector('#setup-form-id');
  await page.locator('#setup-form-id').fill(FORM);
  await page.locator('main form:has(#setup-form-id) button[type=submit]').click();
  await page.waitForSelector(`#use-${FORM}-1`);
  expect((await page.locator('#setup-form-drafts').innerText()).includes('keep the version they started with'), 'the form task does not say what happens to drafts');
  await w.check('form-task');
  await page.locator(`#use-${FORM}-1`).click();
  await page.waitForURL(`${base}/staff/programs/${PROGRAM}/setup?done=form`);
  await page.waitForSelector('button#open-programme');
  expect((await taskStatus(page, 'Application form')) === 'Completed', 'the form task is not completed once a version is mapped');
  await w.check('ready-to-open');
  await page.locator('button#open-programme').click();
  await page.waitForSelector('.govuk-notification-banner--success >> text=Programme opened');
  await page.waitForFunction(() => document.querySelector('#task-open-status')?.textContent?.trim() === 'Completed');
  await w.check('opened');
  step('administrator: version 1 mapped from the task list, programme opened');
}

// --- the person ---------------------------------------------------------------------------------

async function logIn(page) {
  await page.goto(`${base}/login?next=${encodeURIComponent(`/programs/${PROGRAM}`)}`);
  await page.locator('main a.govuk-button[href*="/api/auth/login/"]').first().click();
  await page.waitForSelector('#individual_id');
  await page.locator('#individual_id').fill(person);
  if (await page.locator('#secret').isVisible().catch(() => false)) await page.locator('#secret').fill(OTP);
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.locator('button[name=step][value=login]').click()]);
  if (await page.locator('#secret').isVisible().catch(() => false)) {
    await page.locator('#secret').fill(OTP);
    await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.locator('button[name=step][value=login]').click()]);
  }
  if (await page.locator('button[name=decision][value=allow]').count()) await page.locator('button[name=decision][value=allow]').click();
  await page.waitForURL(`${base}/programs/${PROGRAM}`);
}

/** The phone number's own message, as the person reads it in `code` after a wrong answer. */
async function phoneMessageIn(w, code) {
  const page = w.page;
  if (code !== 'en' || (await page.evaluate(() => document.documentElement.lang)) !== 'en') {
    await page.locator(`header a[hreflang="${code}"]`).click();
    await page.waitForFunction((lang) => document.documentElement.lang === lang, code);
  }
  await page.locator('#f-question_2').fill('call me');
  await page.locator('main form button[type=submit]').click();
  await page.waitForSelector('.govuk-error-summary');
  const message = await page.locator('#f-question_2').evaluate((el) => el.closest('.govuk-form-group')?.querySelector('.govuk-error-message')?.textContent ?? '');
  expect(message.includes(PHONE_MESSAGE[code]), `in ${code} the phone number's error reads “${message}”, not the administrator's message`);
  expect((await page.locator('.govuk-error-summary').innerText()).includes(PHONE_MESSAGE[code]), `the error summary in ${code} does not give the phone number's own message`);
  await w.check(`phone-error-${code}`);
}

async function personApplies() {
  const w = watch('person');
  const page = await w.open();
  await logIn(page);
  await page.waitForSelector('main button.govuk-button');
  expect((await page.locator('main').innerText()).includes(DETAILS.benefit.en), 'the programme page does not say what a person gets');
  await w.check('programme-page');
  await page.locator('main button.govuk-button').click();
  await page.waitForURL(/\/applications\/[^/]+$/);
  const applicationUrl = page.url();
  await page.waitForSelector('.govuk-task-list a');
  await page.locator('.govuk-task-list a').first().click();
  await page.waitForSelector('#f-question_2');
  await w.check('page-1');
  for (const code of ['en', 'fr', 'ar']) await phoneMessageIn(w, code);
  await page.locator('header a[hreflang="en"]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  step('person: the phone number’s own message in English, French and Arabic');

  await page.locator('#f-full_name').fill('Amina Okafor');
  await page.locator('#f-question_1-day').fill('12');
  await page.locator('#f-question_1-month').fill('4');
  await page.locator('#f-question_1-year').fill('1987');
  await page.locator('#f-question_2').fill('0712 345 678');
  expect(!(await page.locator('#f-question_4').count()), 'the conditional question shows before its answer is chosen');
  await page.locator('#f-question_3-3').check();
  await page.waitForSelector('#f-question_4');
  await page.locator('#f-question_4').fill('Aunt');
  await w.check('page-1-filled');
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(/\/members\/0$/);
  await page.waitForSelector('#f-name');
  await page.locator('#f-name').fill('Chidi Okafor');
  await page.locator('#f-question_1').setInputFiles(pngFile('chidi-certificate.png'));
  await page.locator('main p[role=status]').filter({ hasText: 'chidi-certificate.png' }).locator('.govuk-tag--green').waitFor({ timeout: 60000 });
  await w.check('child-page');
  const before = page.url();
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL((url) => url.href !== before);
  await page.waitForSelector('#another-no');
  await page.locator('#another-no').check();
  const list = page.url();
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL((url) => url.href !== list);
  step('person: page 1 answered (the conditional question shown for “Other”), one child with a birth certificate');

  await page.goto(`${applicationUrl}/check`);
  await page.waitForSelector('.govuk-summary-list');
  const answers = await page.locator('main').innerText();
  expect(answers.replace(/\s/g, '').includes('0712345678') && answers.includes('Chidi Okafor') && answers.includes('Aunt'), 'check your answers does not show what was entered');
  await w.check('check-answers');
  await page.locator('main button.govuk-button').last().click();
  await page.waitForURL(/\/confirmation$/);
  await page.waitForSelector('.ssp-reference');
  const reference = (await page.locator('.ssp-reference').innerText()).trim();
  await w.check('confirmation');
  step(`person: applied with the built form, reference ${reference}`);
  return reference;
}

/** A new version from the published one, published, then the programme moved to it from the task list. */
async function moveToNewVersion(w) {
  const page = w.page;
  await page.goto(`${base}/staff/forms/${FORM}/versions/1`);
  await page.locator('#new-version').click();
  await page.waitForURL(`${base}/staff/forms/${FORM}/versions/2?done=version`);
  await page.waitForSelector('#publish');
  await page.locator('#publish').click();
  await page.waitForURL(`${base}/staff/forms/${FORM}/versions/2?done=published`);
  await page.goto(`${base}/staff/programs/${PROGRAM}/setup/form`);
  await page.waitForSelector(`#use-${FORM}-2`);
  const said = await page.locator('main').innerText();
  expect(said.includes('Version 2 is published and newer than the one in use'), 'the form task does not say a newer version is published');
  await w.check('form-task-newer-version');
  await page.locator(`#use-${FORM}-2`).click();
  await page.waitForURL(`${base}/staff/programs/${PROGRAM}/setup?done=form`);
  await page.goto(`${base}/staff/programs/${PROGRAM}/setup/form`);
  await page.waitForSelector('#setup-form-versions');
  expect((await page.locator('main p').first().innerText()).includes('version 2'), 'the programme does not use version 2 after moving');
  step('administrator: programme moved to version 2 from the task list');
}

let failure = null;
let reference = null;
try {
  const admin = watch('admin');
  await admin.open();
  await staffSignIn(admin, base, 'admin');
  await setUpProgramme(admin);
  await buildForm(admin);
  await mapAndOpen(admin);
  reference = await personApplies();
  await moveToNewVersion(admin);
} catch (error) {
  failure = error;
  await reportFailure(watched, artefacts, 'main');
}
await endRun(browser, watched, failure, { reference, steps });
