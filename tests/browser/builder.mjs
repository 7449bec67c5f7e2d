// The form builder in a real browser, an administrator signed in through the dev IdP's pages:
// a form built from nothing without typing JSON (two pages, a choose-one with a condition, a
// phone number with its own error message in three languages, a date, household members with a
// document per member), the live preview switched to French, Arabic and a phone's width, the
// list of what is missing followed to its place, undo, reordering by keyboard, autosave, the
// version published, then a new version showing what changed and a question copied from the
// question bank. The builder's pages in English, French and Arabic, and at 320 px.
// axe-core, a screenshot and the CSP / page-error watch on every page.
//
//   node tests/browser/builder.mjs   (env: BASE_URL, ARTIFACTS)
import { endRun, expect, launch, reportFailure, Watched } from './lib.mjs';
import { staffSignIn } from './staff_lib.mjs';

const base = process.env.BASE_URL;
const artefacts = process.env.ARTIFACTS ?? 'test-artifacts';
const FORM = `built-${Date.now().toString(36)}`;
const steps = [];
const step = (text) => {
  steps.push(text);
  console.error(`[builder] ${text}`);
};

const browser = await launch();
const watched = [];
let failure = null;

const byId = (page, id) => page.locator(`[id="${id}"]`);

/** One text in the three languages, side by side. */
async function fill3(page, id, [en, fr, ar]) {
  await byId(page, `${id}-en`).fill(en);
  await byId(page, `${id}-fr`).fill(fr);
  await byId(page, `${id}-ar`).fill(ar);
}

/** Add a question of `type` at the end of page `index`; its name (the builder opens its editor). */
async function addQuestion(page, index, type) {
  const before = await page.locator('main li[id^="q-"]').evaluateAll((els) => els.map((e) => e.id));
  await byId(page, `page-${index}-add-type`).selectOption(type);
  await byId(page, `page-${index}-add`).click();
  await page.waitForFunction((n) => document.querySelectorAll('main li[id^="q-"]').length > n, before.length);
  const after = await page.locator('main li[id^="q-"]').evaluateAll((els) => els.map((e) => e.id));
  return after.find((id) => !before.includes(id)).slice(2);
}

async function openDetails(page, innerId) {
  const open = await byId(page, innerId).evaluate((el) => el.closest('details').open);
  if (!open) await page.locator(`details:has([id="${innerId}"]) > summary`).click();
}

async function build(w) {
  const page = w.page;
  await page.goto(`${base}/staff/forms`);
  await page.waitForSelector('#new-form-id');
  await page.locator('#new-form-id').fill(FORM);
  await page.locator('main form:has(#new-form-id) button[type=submit]').click();
  await page.waitForURL(`${base}/staff/forms/${FORM}/versions/1?done=created`);
  await page.waitForSelector('#form-title-en');
  await w.check('new-form');
  expect((await page.locator('h1').innerText()).includes('New form'), 'the builder does not show the new form');
  await fill3(page, 'form-title', ['Child Support Grant', 'Allocation de soutien à l’enfant', 'منحة دعم الطفل']);
  await fill3(page, 'page-0-title', ['About you', 'Vous concernant', 'معلومات عنك']);
  // The starter's question: opened, labelled in three languages.
  await byId(page, 'q-full_name-edit').click();
  await fill3(page, 'q-full_name-label', ['Full name', 'Nom complet', 'الاسم الكامل']);
  await byId(page, 'q-full_name-autocomplete').selectOption('name');
  await byId(page, 'q-full_name-prefill').selectOption('profile.name');

  // Choose one, with a condition on a long text.
  const role = await addQuestion(page, 0, 'choose_one');
  await fill3(page, `q-${role}-label`, ['You are the children’s', 'Vous êtes pour les enfants', 'صلتك بالأطفال']);
  await fill3(page, `q-${role}-choice-0`, ['Parent', 'Parent', 'أحد الوالدين']);
  await fill3(page, `q-${role}-choice-1`, ['Other caregiver', 'Autre personne', 'مقدم رعاية آخر']);
  const other = await addQuestion(page, 0, 'long_text');
  await fill3(page, `q-${other}-label`, ['How are you related?', 'Quel est votre lien ?', 'ما صلة القرابة؟']);
  await byId(page, `q-${other}-condition-question`).selectOption(role);
  await byId(page, `q-${other}-condition-op`).selectOption('is');
  await byId(page, `q-${other}-condition-answer`).selectOption('other_caregiver');
  await w.check('choose-one-condition');
  step('a choose-one with a condition, in words');

  // A phone number with its own error message in three languages; a date.
  const phone = await addQuestion(page, 0, 'phone');
  await fill3(page, `q-${phone}-label`, ['Phone number', 'Numéro de téléphone', 'رقم الهاتف']);
  await openDetails(page, `q-${phone}-error-wrong_format-en`);
  await fill3(page, `q-${phone}-error-wrong_format`, ['Enter a phone number, like 0712 345 678', 'Saisissez un numéro de téléphone, comme 0712 345 678', 'أدخل رقم هاتف، مثل 0712 345 678']);
  const birth = await addQuestion(page, 0, 'date');
  await fill3(page, `q-${birth}-label`, ['Date of birth', 'Date de naissance', 'تاريخ الميلاد']);
  await byId(page, `q-${birth}-autocomplete`).selectOption('bday');
  step('a phone number with its own error message in three languages, a date');

  // Page two: household members, a document per child.
  await page.locator('#add-page').click();
  await byId(page, 'page-1-title-en').waitFor();
  await fill3(page, 'page-1-title', ['Your children', 'Vos enfants', 'أطفالك']);
  const children = await addQuestion(page, 1, 'household');
  await fill3(page, `q-${children}-label`, ['Children under 18 in your care', 'Enfants de moins de 18 ans à votre charge', 'الأطفال دون 18 سنة في رعايتك']);
  await fill3(page, `q-${children}-item-label`, ['child', 'enfant', 'طفل']);
  await fill3(page, `q-${children}-items-label`, ['children', 'enfants', 'أطفال']);
  await byId(page, `q-${children}-member-name-edit`).click();
  await fill3(page, `q-${children}.name-label`, ['Child’s full name', 'Nom complet de l’enfant', 'الاسم الكامل للطفل']);
  await byId(page, `q-${children}.name-household-field`).selectOption('name');
  await byId(page, `q-${children}-add-member-question-type`).selectOption('date');
  await byId(page, `q-${children}-add-member-question`).click();
  await byId(page, `q-${children}.question_1-label-en`).waitFor();
  await fill3(page, `q-${children}.question_1-label`, ['Child’s date of birth', 'Date de naissance de l’enfant', 'تاريخ ميلاد الطفل']);
  await byId(page, `q-${children}-add-member-question-type`).selectOption('document');
  await byId(page, `q-${children}-add-member-question`).click();
  await byId(page, `q-${children}.question_2-label-en`).waitFor();
  await fill3(page, `q-${children}.question_2-label`, ['Child’s birth certificate', 'Acte de naissance de l’enfant', 'شهادة ميلاد الطفل']);
  await byId(page, `q-${children}.question_2-document-kind`).fill('birth_certificate');
  await w.check('household');
  step('household members with a document per child, on a second page');

  // Autosave with the draft's revision.
  await page.waitForFunction(() => /Draft saved at/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 20000 });
  step('the draft saved by itself');
  return { role, other, phone, birth, children };
}

async function preview(w, names) {
  const page = w.page;
  const previewBox = page.locator('.ssp-preview');
  // A person's answer shows the conditional question.
  expect(!(await previewBox.locator(`[id="f-${names.other}"]`).count()), 'the conditional question shows before its answer');
  await previewBox.locator(`label:has-text("Other caregiver")`).click();
  await previewBox.locator(`[id="f-${names.other}"]`).waitFor();
  // The phone's own message, in French, at a phone's width.
  await page.locator('#preview-language').selectOption('fr');
  await page.locator('#preview-width').selectOption('phone');
  await previewBox.locator(`[id="f-${names.phone}"]`).fill('abc');
  await page.locator('#preview-check').click();
  await page.waitForSelector('.ssp-preview >> text=Saisissez un numéro de téléphone, comme 0712 345 678');
  // A question required when shown is not called optional once its condition holds.
  expect(!(await previewBox.locator(`label[for="f-${names.other}"]`).innerText()).includes('optional'), 'a question required when shown is called optional');
  expect((await previewBox.getAttribute('lang')) === 'fr', 'the preview is not in French');
  const width = await previewBox.evaluate((el) => el.getBoundingClientRect().width);
  expect(width <= 322, `the phone preview is ${width} px wide`);
  await w.check('preview-fr-phone');
  await page.locator('#preview-language').selectOption('ar');
  await page.waitForSelector('.ssp-preview >> text=رقم الهاتف');
  // The console's stylesheet is left to right: the preview says how to see the page right to left.
  await page.locator('#preview-note').waitFor();
  await page.locator('#preview-page').selectOption('1');
  await page.waitForSelector('.ssp-preview >> text=شهادة ميلاد الطفل');
  await page.locator('#preview-language').selectOption('en');
  await page.locator('#preview-width').selectOption('desktop');
  await page.locator('#preview-page').selectOption('0');
  step('preview: the condition, the phone message in French at 320 px, Arabic, the children page');
}

async function missingUndoKeyboard(w, names) {
  const page = w.page;
  // A question without its Arabic label: listed, and the link goes to the field.
  await byId(page, `q-${names.birth}-edit`).click();
  await byId(page, `q-${names.birth}-label-ar`).fill('');
  await page.locator('#missing-list').waitFor();
  const link = page.locator(`#missing-list a[href="#q-${names.birth}-label-ar"]`);
  expect(await link.count(), 'the missing Arabic label is not listed');
  await byId(page, `q-${names.birth}-edit`).click(); // closed: the link must open it again
  await link.click();
  await page.waitForFunction((id) => document.activeElement?.id === id, `q-${names.birth}-label-ar`);
  await byId(page, `q-${names.birth}-label-ar`).fill('تاريخ الميلاد');
  await page.waitForFunction(() => !document.querySelector('#missing-list'));
  step('what is missing is listed, each linked to its place');

  // Undo: a removed question comes back.
  await byId(page, `q-${names.phone}-remove`).click();
  await page.waitForFunction((id) => !document.getElementById(id), `q-${names.phone}`);
  await page.locator('#undo').click();
  await byId(page, `q-${names.phone}`).waitFor();
  step('undo brings a removed question back');

  // Reorder by keyboard: the focus stays on the button that moved.
  const order = () => page.locator('main section li[id^="q-"]').evaluateAll((els) => els.map((e) => e.id));
  const before = await order();
  await byId(page, `q-${names.birth}-up`).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((b) => JSON.stringify([...document.querySelectorAll('main section li[id^="q-"]')].map((e) => e.id)) !== b, JSON.stringify(before));
  const after = await order();
  expect(after.indexOf(`q-${names.birth}`) === before.indexOf(`q-${names.birth}`) - 1, `the date did not move up: ${after}`);
  await page.waitForFunction((id) => document.activeElement?.id === id, `q-${names.birth}-up`);
  await page.keyboard.press('Space');
  await page.waitForFunction((n) => [...document.querySelectorAll('main section li[id^="q-"]')].map((e) => e.id).indexOf(n.id) === n.at, { id: `q-${names.birth}`, at: before.indexOf(`q-${names.birth}`) - 2 });
  step('questions reordered with the keyboard, the focus kept');
  await w.check('reordered');
}

async function publishAndChange(w, names) {
  const page = w.page;
  await page.waitForFunction(() => /Draft saved at/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 20000 });
  await page.locator('#publish').click();
  await page.waitForURL(`${base}/staff/forms/${FORM}/versions/1?done=published`);
  await page.waitForSelector('#new-version');
  await w.check('published');
  // What the server holds is the subset: the phone's message and the condition, as written by the builder.
  const stored = await page.evaluate(async (url) => (await fetch(url, { headers: { Authorization: `Bearer ${sessionStorage.getItem('ssp-staff-token')}` } })).json(), `${base}/api/admin/forms/${FORM}/versions/1`);
  expect(stored.status === 'published', 'the version is not published');
  expect(stored.ui_schema.fields[`/${names.phone}`].errors.wrong_format.ar === 'أدخل رقم هاتف، مثل 0712 345 678', 'the Arabic phone message was not kept');
  expect(JSON.stringify(stored.schema.allOf ?? []).includes('other_caregiver'), 'the condition was not kept');
  expect(stored.schema.properties[names.children].items.properties.question_2, 'the member document was not kept');
  step('published: the server holds the subset the builder wrote');

  await page.locator('#new-version').click();
  await page.waitForURL(`${base}/staff/forms/${FORM}/versions/2?done=version`);
  await byId(page, `q-${names.other}-remove`).waitFor();
  await byId(page, `q-${names.other}-remove`).click();
  await page.locator('#changes').waitFor();
  expect((await page.locator('#changes').innerText()).includes('How are you related?'), 'the removed question is not said');
  // The question bank: the published version's phone question, copied with its translations.
  await page.locator('#bank > summary').click();
  await page.locator('#bank-form').selectOption(FORM);
  await byId(page, `bank-copy-${names.phone}`).click();
  await byId(page, `q-${names.phone}_1`).waitFor();
  expect((await page.locator('#changes').innerText()).includes('1 question added'), 'the copied question is not said as added');
  await w.check('new-version-changes');
  step('a new version says what changed; a question copied from the bank');
}

async function languagesAndNarrow(w) {
  const page = w.page;
  for (const [code, title] of [
    ['fr', 'Avant de publier'],
    ['ar', 'قبل النشر'],
  ]) {
    await page.evaluate((c) => localStorage.setItem('ssp-lang', c), code);
    await page.reload();
    await page.waitForSelector(`text=${title}`);
    expect((await page.locator('html').getAttribute('lang')) === code, `the console is not in ${code}`);
    await page.locator('#preview-language').selectOption(code);
    expect((await page.locator('.ssp-preview').getAttribute('dir')) === (code === 'ar' ? 'rtl' : 'ltr'), `the ${code} preview is not in its direction`);
    expect(!(await page.locator('#preview-note').count()), 'the preview asks to switch the console to the language it is in');
    await w.check(`builder-${code}`);
  }
  await page.evaluate(() => localStorage.setItem('ssp-lang', 'en'));
  await page.setViewportSize({ width: 320, height: 800 });
  await page.reload();
  await page.waitForSelector('text=Before publishing');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(overflow <= 320, `the builder scrolls sideways at 320 px (${overflow} px wide)`);
  await w.check('builder-320');
  step('the builder in English, French and Arabic, and at 320 px');
}

try {
  const w = new Watched(browser, base, artefacts, 'builder');
  watched.push(w);
  await w.open();
  await staffSignIn(w, base, 'admin');
  const names = await build(w);
  await preview(w, names);
  await missingUndoKeyboard(w, names);
  await publishAndChange(w, names);
  await languagesAndNarrow(w);
} catch (error) {
  failure = error;
  await reportFailure(watched, artefacts, 'main');
}
await endRun(browser, watched, failure, { steps });
