// The staff console's work from start to end, in a real browser against the local stack, each
// staff member signed in through the dev IdP's pages:
//   an administrator creates a programme (the error summary first), sets its required documents
//   and a consent statement, creates a form, publishes it, makes a new version from the
//   published one, edits it with the live preview, publishes it and maps it to the programme,
//   and opens the programme;
//   a person applies to it (agreeing to the statement) and asks to change a verified detail;
//   the administrator closes the programme;
//   a reviewer finds the application in the queue of the closed programme and by the reference
//   the person was shown, starts review and approves it, and approves the change request;
//   the administrator archives the programme after a confirmation, and edits the profile form
//   with its live preview.
// axe-core, a screenshot and the CSP / page-error watch on every page.
//
//   node tests/browser/staff.mjs   (env: BASE_URL, PERSON, ARTIFACTS)
import { endRun, expect, launch, reportFailure, Watched } from './lib.mjs';
import { expectErrorSummary, staffSignIn } from './staff_lib.mjs';

const base = process.env.BASE_URL;
const person = process.env.PERSON ?? '6684027513';
const artefacts = process.env.ARTIFACTS ?? 'test-artifacts';
const PROGRAM = 'winter-support';
const FORM = 'winter-support-form';
const CONSENT = 'share_with_health';
const OTP = '111111';
const DETAILS = {
  description: { en: 'Help with heating in winter.', fr: 'Une aide pour le chauffage en hiver.', ar: 'مساعدة في التدفئة في الشتاء.' },
  eligibility: { en: 'Households with a child under 5.', fr: 'Les foyers avec un enfant de moins de 5 ans.', ar: 'الأسر التي لديها طفل دون 5 سنوات.' },
  benefit: { en: '80 a month from November to March', fr: '80 par mois de novembre à mars', ar: '80 شهريًا من نوفمبر إلى مارس' },
};
const steps = [];
const step = (text) => {
  steps.push(text);
  console.error(`[staff] ${text}`);
};

const browser = await launch();
const watched = [];
function watch(label) {
  const w = new Watched(browser, base, artefacts, `staff-flow-${label}`);
  watched.push(w);
  return w;
}

async function submitForm(page, selector) {
  await page.locator(`main form:has(${selector}) button[type=submit]`).click();
}

async function createProgramme(w) {
  const page = w.page;
  await page.locator('main a[href="/staff/programs"]').click();
  await page.locator('main a[href="/staff/programs/new"]').click();
  await page.waitForSelector('#program-name-en');
  await submitForm(page, '#program-name-en');
  await expectErrorSummary(page, ['program-name-en']);
  await w.check('new-programme-errors');
  await page.locator('#program-name-en').fill('Winter support');
  await page.locator('#program-name-fr').fill('Aide hivernale');
  await page.locator('#program-name-ar').fill('دعم الشتاء');
  await page.locator('#program-id').fill(PROGRAM);
  await submitForm(page, '#program-name-en');
  await page.waitForURL(`${base}/staff/programs/${PROGRAM}`);
  await page.waitForSelector('#program-eligibility-en');
  expect((await page.locator('main h1').innerText()).includes('Winter support'), 'the new programme’s page does not show its name');
  expect((await page.locator('main .govuk-summary-list').first().innerText()).includes('Draft'), 'a new programme is not a draft');
  await w.check('programme-draft');
  step('administrator: programme created as a draft (after the error summary)');
}

async function documentRules(w) {
  const page = w.page;
  await page.locator(`main a[href="/staff/programs/${PROGRAM}/documents"]`).click();
  await page.waitForSelector('#add-document');
  await w.check('documents-empty');
  await page.locator('#add-document').click();
  await page.locator('#doc-0-kind').fill('Proof of address');
  await submitForm(page, '#doc-0-kind');
  await expectErrorSummary(page, ['doc-0-kind', 'doc-0-label-en']);
  await w.check('documents-errors');
  await page.locator('#doc-0-kind').fill('proof_of_address');
  await page.locator('#doc-0-label-en').fill('Proof of address (a bill or a lease)');
  await page.locator('#doc-0-label-fr').fill('Justificatif de domicile (facture ou bail)');
  await page.locator('#doc-0-required').uncheck();
  await page.locator('#doc-0-types-2').uncheck(); // no PNG
  await page.locator('#doc-0-max').fill('2');
  await w.check('documents-filled');
  await submitForm(page, '#doc-0-kind');
  await page.waitForURL(`${base}/staff/programs/${PROGRAM}?done=documents`);
  await page.waitForSelector('.govuk-notification-banner--success');
  expect((await page.locator('main .govuk-summary-list').first().innerText()).includes('Proof of address (a bill or a lease) (optional)'), 'the programme does not list its new optional document');
  // What the API now holds: the rule as typed, the size in bytes.
  await page.goto(`${base}/staff/programs/${PROGRAM}/documents`);
  await page.waitForSelector('#doc-0-kind');
  expect((await page.locator('#doc-0-max').inputValue()) === '2', 'the document’s size limit was not kept');
  expect(!(await page.locator('#doc-0-types-2').isChecked()) && (await page.locator('#doc-0-types-0').isChecked()), 'the document’s file types were not kept');
  expect(!(await page.locator('#doc-0-required').isChecked()), 'the document became required');
  step('administrator: a required-documents rule set (after the error summary)');
}

async function consentStatements(w) {
  const page = w.page;
  await page.goto(`${base}/staff/programs/${PROGRAM}`);
  await page.locator(`main a[href="/staff/programs/${PROGRAM}/consents"]`).click();
  await page.waitForSelector('#add-consent');
  await page.locator('#add-consent').click();
  await page.locator('#consent-0-id').fill('Share with health');
  await submitForm(page, '#consent-0-id');
  await expectErrorSummary(page, ['consent-0-id', 'consent-0-text-en']);
  await w.check('consents-errors');
  await page.locator('#consent-0-id').fill(CONSENT);
  await page.locator('#consent-0-text-en').fill('I agree that the programme team may check my household with the health office.');
  await page.locator('#consent-0-text-fr').fill('J’accepte que l’équipe du programme vérifie mon foyer auprès du bureau de santé.');
  expect(await page.locator('#consent-0-required').isChecked(), 'a new statement is not required by default');
  await submitForm(page, '#consent-0-id');
  await page.waitForURL(`${base}/staff/programs/${PROGRAM}?done=consents`);
  await page.waitForSelector('.govuk-notification-banner--success');
  expect((await page.locator('main .govuk-summary-list').first().innerText()).includes('check my household with the health office'), 'the programme does not list its consent statement');
  await w.check('consents-saved');
  step('administrator: a consent statement added (after the error summary)');
}

/** Edit a JSON editor's text as an administrator would, through a function of its value. */
async function editJson(page, id, change) {
  const value = JSON.parse(await page.locator(`#${id}`).inputValue());
  await page.locator(`#${id}`).fill(JSON.stringify(change(value), null, 2));
}

async function formVersions(w) {
  const page = w.page;
  await page.goto(`${base}/staff/forms`);
  await page.waitForSelector('#new-form-id');
  await w.check('forms');
  await page.locator('#new-form-id').fill(FORM);
  await submitForm(page, '#new-form-id');
  await page.waitForURL(`${base}/staff/forms/${FORM}/versions/1?done=created`);
  // A new form opens in the form builder (tests/browser/builder.mjs); this journey edits its JSON.
  await page.goto(`${base}/staff/forms/${FORM}/versions/1?view=json`);
  await page.waitForSelector('.ssp-preview #f-full_name');
  // Not JSON: said on the editor and in the summary.
  await page.locator('#schema').fill('{"type": "object",');
  await page.waitForSelector('.ssp-preview >> text=The preview appears once both editors hold valid JSON.');
  await submitForm(page, '#schema');
  await expectErrorSummary(page, ['schema']);
  await w.check('form-v1-invalid-json');
  await page.locator('#schema').fill(JSON.stringify({ type: 'object', properties: { full_name: { type: 'string', maxLength: 200 } }, required: ['full_name'] }, null, 2));
  await editJson(page, 'ui-schema', (ui) => ({ ...ui, fields: { '/full_name': { ...ui.fields['/full_name'], label: { en: 'Your full name', fr: 'Votre nom complet' } } } }));
  await page.waitForFunction(() => document.querySelector('.ssp-preview label[for="f-full_name"]')?.textContent?.includes('Your full name'));
  await submitForm(page, '#schema');
  await page.waitForSelector('.govuk-notification-banner--success >> text=Saved.');
  await page.locator('#publish').click();
  await page.waitForSelector('#new-version');
  expect((await page.locator('main').innerText()).includes('Published'), 'version 1 is not published');
  await w.check('form-v1-published');
  step('administrator: a form created, edited with the preview, published');

  // A new version starts from the published one.
  await page.locator('#new-version').click();
  await page.waitForURL(`${base}/staff/forms/${FORM}/versions/2?done=version`);
  await page.goto(`${base}/staff/forms/${FORM}/versions/2?view=json`);
  await page.waitForSelector('#publish');
  expect((await page.locator('#ui-schema').inputValue()).includes('Your full name'), 'version 2 does not start from the published version');
  await editJson(page, 'schema', (schema) => ({ ...schema, properties: { ...schema.properties, household_size: { type: 'integer', minimum: 1, maximum: 30 } }, required: [...schema.required, 'household_size'] }));
  await editJson(page, 'ui-schema', (ui) => ({
    pages: [{ ...ui.pages[0], fields: [...ui.pages[0].fields, '/household_size'] }],
    fields: { ...ui.fields, '/household_size': { widget: 'number', label: { en: 'How many people live in your household?', fr: 'Combien de personnes vivent dans votre foyer ?' } } },
  }));
  await page.waitForSelector('.ssp-preview #f-household_size');
  await w.check('form-v2-draft');
  await page.locator('#publish').click();
  await page.waitForSelector('#map-program');
  await page.locator('#map-program').selectOption(PROGRAM);
  await submitForm(page, '#map-program');
  await page.waitForSelector('.govuk-notification-banner--success >> text=now uses version 2');
  await w.check('form-v2-mapped');
  step('administrator: a new version from the published one, edited, published and mapped');

  // Before it can open, the programme needs what a person reads in every language (its set-up task list, issue 15).
  await page.goto(`${base}/staff/programs/${PROGRAM}/setup/details`);
  await page.waitForSelector('#setup-benefit-ar');
  for (const [field, texts] of Object.entries(DETAILS)) for (const [code, text] of Object.entries(texts)) await page.locator(`#setup-${field}-${code}`).fill(text);
  await page.locator('#setup-decision-days').fill('30');
  await submitForm(page, '#setup-decision-days');
  await page.waitForURL(`${base}/staff/programs/${PROGRAM}/setup?done=details`);
  await page.goto(`${base}/staff/programs/${PROGRAM}`);
  await page.waitForSelector(`main a[href="/staff/forms/${FORM}/versions/2"]`);
  await page.getByRole('button', { name: 'Open for applications' }).click();
  await page.waitForSelector('.govuk-notification-banner--success');
  await page.waitForFunction(() => document.querySelector('main .govuk-summary-list')?.textContent?.includes('Open'));
  await w.check('programme-open');
  step('administrator: programme opened with form version 2');
}

async function personApplies() {
  const w = watch('person');
  const page = await w.open();
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
  await page.waitForSelector('main button.govuk-button');
  expect((await page.locator('main').innerText()).includes('Proof of address'), 'the programme page does not list the document set by the administrator');
  await page.locator('main button.govuk-button').click();
  await page.waitForURL(/\/applications\/[^/]+$/);
  const applicationUrl = page.url();
  await page.waitForSelector('.govuk-task-list a');
  await page.locator('.govuk-task-list a').first().click();
  await page.waitForSelector('#f-household_size');
  expect((await page.locator('label[for="f-full_name"]').innerText()).includes('Your full name'), 'the person does not see version 2 of the form');
  await page.locator('#f-full_name').fill('Priya Raman');
  await page.locator('#f-household_size').fill('3');
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL((url) => url.href !== `${applicationUrl}/pages/about-you` && !url.pathname.endsWith('/about-you'));
  await page.goto(`${applicationUrl}/check`);
  await page.waitForSelector('.govuk-summary-list');
  // The statement the administrator added is there to agree to.
  await page.locator(`#consent-${CONSENT}`).check();
  await w.check('check-answers');
  await page.locator('main button.govuk-button').last().click();
  await page.waitForURL(/\/confirmation$/);
  await page.waitForSelector('.ssp-reference');
  const reference = (await page.locator('.ssp-reference').innerText()).trim();
  await w.check('confirmation');
  step(`person: applied, reference ${reference}`);

  // A verified detail cannot be edited: changing it is a request the programme team decides on.
  await page.goto(`${base}/me/edit`);
  await page.waitForSelector('#f-name');
  await page.locator('#f-name').fill('Priya Lakshmi Raman');
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(`${base}/me`);
  await page.waitForSelector('main h1');
  await w.check('change-requested');
  await w.close();
  step('person: asked to change their verified name');
  return reference;
}

async function closeProgramme(w) {
  const page = w.page;
  await page.goto(`${base}/staff/programs/${PROGRAM}`);
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('main .govuk-summary-list')?.textContent?.includes('Closed'));
  await w.check('programme-closed');
  step('administrator: programme closed');
}

async function review(reference) {
  const w = watch('reviewer');
  const page = await w.open();
  await staffSignIn(w, base, 'reviewer');
  await page.locator('main a[href="/staff/review"]').click();
  await page.waitForSelector('main nav[aria-label] [aria-current="page"]');
  // A closed programme still has its applications to decide on.
  const closed = page.locator(`main a[href^="/staff/review?program=${PROGRAM}&"]`);
  await closed.waitFor();
  expect((await closed.innerText()).includes('Winter support (Closed)'), 'the closed programme is not in the review queue');
  await closed.click();
  await page.waitForSelector(`main table a.govuk-link[href^="/staff/review/"]`);
  expect((await page.locator('main table').innerText()).includes(reference), 'the closed programme’s queue does not show the application');
  await w.check('queue-closed-programme');

  await submitForm(page, '#reference');
  await expectErrorSummary(page, ['reference']);
  await page.locator('#reference').fill('ZZZZ-0000');
  await submitForm(page, '#reference');
  await page.waitForFunction(() => document.querySelector('.govuk-error-summary')?.textContent?.includes('No application has this reference'));
  await w.check('find-unknown-reference');
  // The reviewer types the reference the person was shown, in lower case as people do.
  await page.locator('#reference').fill(reference.toLowerCase());
  await submitForm(page, '#reference');
  await page.waitForURL(/\/staff\/review\/[^/?]+$/);
  await page.waitForSelector('#decision-under_review');
  expect((await page.locator('main h1').innerText()).trim() === reference, 'finding by reference did not open that application');
  // The answers, labelled by the form version the person filled in (version 2).
  await page.waitForSelector('main .govuk-summary-list >> text=How many people live in your household?');
  expect((await page.locator('main .govuk-summary-list').first().innerText()).includes('Priya Raman'), 'the application’s answers are not shown');
  await w.check('found-by-reference');

  await page.locator('main form button[type=submit]').click();
  await expectErrorSummary(page, ['decision-under_review']);
  await page.locator('#decision-under_review').check();
  await page.locator('main form button[type=submit]').click();
  await page.waitForSelector('#decision-approved');
  await page.locator('#decision-approved').check();
  await page.locator('main form button[type=submit]').click();
  await expectErrorSummary(page, ['reason']);
  await page.locator('#reason').fill('You meet the conditions of the winter support.');
  await page.locator('main form button[type=submit]').click();
  await page.waitForSelector('#decision-enrolled');
  expect((await page.locator('main .govuk-tag').first().innerText()).includes('Approved'), 'the application is not approved');
  await w.check('approved');
  step('reviewer: found the application of a closed programme by its reference and approved it');

  await page.goto(`${base}/staff/changes`);
  await page.waitForSelector('main table a[href^="/staff/changes/"]');
  await w.check('change-requests');
  await page.locator('main table a[href^="/staff/changes/"]').first().click();
  await page.waitForSelector('#change-approve');
  const detail = await page.locator('main').innerText();
  expect(detail.includes('Priya Lakshmi Raman') && detail.includes('Priya Raman'), 'the change request does not show the current and the new value');
  await w.check('change-request');
  await page.locator('#change-reject').check();
  await page.locator('main form button[type=submit]').click();
  await expectErrorSummary(page, ['change-reason']);
  await page.locator('#change-approve').check();
  await page.locator('#change-reason').fill('Matches the birth certificate we hold.');
  await page.locator('main form button[type=submit]').click();
  await page.waitForSelector('.govuk-notification-banner--success >> text=Change approved');
  await w.check('change-approved');
  await page.goto(`${base}/staff/changes`);
  await page.waitForSelector('main >> text=No change requests are waiting.');
  await w.close();
  step('reviewer: approved the change request with a reason');
}

async function archive(w) {
  const page = w.page;
  await page.goto(`${base}/staff/programs/${PROGRAM}`);
  await page.locator(`main a[href="/staff/programs/${PROGRAM}/archive"]`).click();
  await page.waitForSelector('.govuk-warning-text');
  expect((await page.locator('main h1').innerText()).includes('Archive Winter support?'), 'the archive page does not ask for confirmation');
  await w.check('archive-confirm');
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(`${base}/staff/programs/${PROGRAM}?done=archived`);
  await page.waitForSelector('.govuk-notification-banner--success >> text=Programme archived.');
  expect((await page.locator('main .govuk-summary-list').first().innerText()).includes('Archived'), 'the programme is not archived');
  await w.check('programme-archived');
  await page.goto(`${base}/staff/programs?status=archived`);
  await page.waitForSelector(`main a[href="/staff/programs/${PROGRAM}"]`);
  await w.check('programmes-archived');
  step('administrator: programme archived after the confirmation');
}

async function profileForm(w) {
  const page = w.page;
  await page.goto(`${base}/staff/profile-form`);
  await page.waitForSelector('.ssp-preview #f-household_size');
  await w.check('profile-form');
  await editJson(page, 'profile-labels', (labels) => ({ ...labels, household_size: { ...labels.household_size, en: 'People in your household' } }));
  await page.waitForFunction(() => document.querySelector('.ssp-preview label[for="f-household_size"]')?.textContent?.includes('People in your household'));
  await submitForm(page, '#profile-labels');
  await page.waitForSelector('.govuk-notification-banner--success >> text=Profile form saved.');
  await page.waitForSelector('main >> text=Version 1, saved');
  await w.check('profile-form-saved');
  step('administrator: profile form edited with its live preview');
}

let failure;
let reference;
try {
  const admin = watch('admin');
  await admin.open();
  await staffSignIn(admin, base, 'admin');
  await createProgramme(admin);
  await documentRules(admin);
  await consentStatements(admin);
  await formVersions(admin);
  reference = await personApplies();
  await closeProgramme(admin);
  await review(reference);
  await archive(admin);
  await profileForm(admin);
} catch (error) {
  failure = error;
  await reportFailure(watched, artefacts);
}
await endRun(browser, watched, failure, { reference, steps });
