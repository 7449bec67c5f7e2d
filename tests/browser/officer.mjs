// A field officer in the browser, with the edge agent's local service (`edge_agent serve`, started
// by the local stack beside the SBI simulator): signs in to the staff console through the dev IdP
// and pairs with the agent while a second console pairs too (each finds its own code on the
// agent's status page, the other's code is refused, one unpairs without ending the other); is
// refused for a device that is not ready and for a capture of low quality (the score shown), then
// verified; applies for the sample programme with the person (the registrant renderer, each child
// of a repeating group with a document, a document from a file, an expired sign-in that comes back
// to the same page with what was typed, the network dropping at the desk, the session ending
// mid-form and the draft coming back in the next session, the consent statement read in French
// and agreed by the person), submits, and finds it in today's list. A page of another origin
// cannot use the agent, even with the pairing secret. Then the person logs in and sees
// "submitted with the help of an officer".
//
//   node tests/browser/officer.mjs   (env: BASE_URL, ARTIFACTS, EDGE_URL, SBI_URL, IDP_URL, PERSON, ADMIN_TOKEN)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endRun, expect, launch, pngFile, reportFailure, repo, Watched } from './lib.mjs';
import { STAFF_CODE, staffSignIn } from './staff_lib.mjs';

const base = process.env.BASE_URL;
const artefacts = process.env.ARTIFACTS ?? 'test-artifacts';
const edge = process.env.EDGE_URL;
const sbi = process.env.SBI_URL;
const idp = process.env.IDP_URL;
const person = process.env.PERSON;
const adminToken = process.env.ADMIN_TOKEN;
const PROGRAM = 'child-support-grant';
const en = JSON.parse(readFileSync(join(repo, 'frontend/src/i18n/en.json'), 'utf8'));
const STATEMENT = {
  id: 'share_with_health',
  text: { en: 'I agree that the programme may confirm my household with the health service.', fr: 'J’accepte que le programme vérifie mon foyer auprès du service de santé.', ar: 'أوافق على أن يتحقق البرنامج من أسرتي لدى الخدمة الصحية.' },
  required: true,
};

const browser = await launch();
const watched = [];
const steps = [];
const result = { steps };
let failure;

async function simulator(path, body) {
  const response = await fetch(`${sbi}/admin/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.ok, `the simulator refused ${path}: ${response.status} ${await response.text()}`);
}

/** A console error the step itself caused on purpose, taken off the page's problems (once). */
function expected(w, text) {
  const index = w.problems.findIndex((problem) => problem.includes(text));
  expect(index >= 0, `the browser did not report ${text}`);
  w.problems.splice(index, 1);
}

/** The code the agent's status page shows for this console (named in the console's hint). */
async function statusPageCode(w) {
  const hint = await w.page.locator('#pairing-code-hint').innerText();
  const label = hint.match(/“([^”]+)”/)?.[1];
  expect(label, `the console does not say which code is its own: ${hint}`);
  const page = await w.context.newPage();
  await page.goto(`${edge}/`);
  const code = (await page.locator('li', { hasText: label }).locator('.code').innerText()).replace(/\s/g, '');
  await page.close();
  expect(/^\d{6}$/.test(code), `no pairing code for ${label} on the agent's status page: ${code}`);
  return code;
}

async function startPairing(w) {
  const page = w.page;
  await page.goto(`${base}/staff/officer`);
  await page.waitForSelector('main h1');
  await page.locator('.govuk-details__summary').click();
  await page.locator('#agent-address').fill(edge);
  await page.locator('main button', { hasText: en['officer.pair'] }).click();
  await page.waitForSelector('#pairing-code');
}

async function confirmCode(w, code) {
  await w.page.locator('#pairing-code').fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await w.page.locator('main form button').click();
  await w.page.waitForSelector('#agent-paired');
}

async function pair(w) {
  const page = w.page;
  await page.locator('main a[href="/staff/officer"]').click();
  await page.waitForSelector('main h1');
  await w.check('desk-unpaired');
  // A second console (another tab, signed in too) pairs at the same moment: each has its own code.
  const other = new Watched(browser, base, artefacts, 'officer-second-console');
  watched.push(other);
  await other.open();
  await staffSignIn(other, base, 'officer');
  await startPairing(w);
  await startPairing(other);
  const code = await statusPageCode(w);
  const otherCode = await statusPageCode(other);
  const wrong = code === otherCode ? String((Number(code) + 1) % 1000000).padStart(6, '0') : otherCode; // the other console's code is wrong here
  await page.locator('#pairing-code').fill(wrong);
  await page.locator('main form button').click();
  await page.waitForSelector(`.govuk-error-summary >> text=${en['officer.agent_error.pairing_code_wrong']}`);
  await w.check('pairing-wrong-code');
  await confirmCode(other, otherCode);
  await confirmCode(w, code);
  await page.waitForSelector(`main table >> text=${en['officer.status.ready']}`);
  await w.check('desk-paired');
  // The second console unpairs: its secret is dead, this one's still works.
  await other.page.locator('main button', { hasText: en['officer.unpair'] }).click();
  await other.page.waitForSelector(`main button >> text=${en['officer.pair']}`);
  await other.close();
  await page.locator('main button', { hasText: en['officer.check_devices'] }).click();
  await page.waitForSelector('#agent-paired');
  expect(!(await page.locator('#agent-problem').count()), 'unpairing one console ended the other one too');
  steps.push("two consoles paired at once, each with its own code (the other's refused), one unpaired without the other");
}

async function captureOutcome(page, text) {
  await page.locator('main form button', { hasText: en['officer.capture'] }).click();
  await page.waitForSelector(`#capture-outcome >> text=${text}`, { timeout: 60000 });
}

async function verify(w) {
  const page = w.page;
  await simulator('person', { individualId: person });
  await page.locator('#id-number').fill(person);
  await page.locator('#modality-finger').check();
  await simulator('status', { type: 'Finger', deviceStatus: 'Not Ready' });
  await captureOutcome(page, en['officer.not_captured']);
  const notReady = await page.locator('#capture-outcome').innerText();
  expect(/not ready/i.test(notReady), `a device that is not ready is not explained: ${notReady}`);
  await w.check('capture-not-ready');
  await simulator('status', { type: 'Finger', deviceStatus: 'Ready' });
  await simulator('score', { type: 'Finger', qualityScore: 30 });
  await captureOutcome(page, en['officer.refusal.capture_low_quality']);
  expect(await page.locator('#capture-outcome >> text=Capture quality: 30').count(), 'the low quality score is not shown');
  await w.check('capture-low-quality');
  await simulator('score', { type: 'Finger', qualityScore: 90 });
  await page.locator('#capture-outcome button', { hasText: en['officer.try_again'] }).click();
  await page.waitForSelector(`#capture-outcome >> text=${en['officer.verified']}`, { timeout: 60000 });
  await w.check('capture-verified');
  steps.push('device not ready and low quality refused in plain words, then verified with the quality shown');
}

async function signInAgainAtIdp(page) {
  await page.waitForSelector('#username');
  await page.locator('#username').selectOption('officer');
  await page.locator('#secret').fill(STAFF_CODE);
  await page.locator('button[name=step][value=login]').click();
}

async function apply(w) {
  const page = w.page;
  await page.locator('#capture-outcome a').click();
  await page.waitForSelector('#session-countdown');
  await w.check('session');
  await page.locator('main button', { hasText: 'Apply for Child Support Grant' }).click();
  await page.waitForSelector('#f-name');
  const applicationUrl = page.url();
  await page.locator('#f-name').fill('Amina Okafor');
  await page.locator('#f-birthdate-day').fill('12');
  await page.locator('#f-birthdate-month').fill('4');
  await page.locator('#f-birthdate-year').fill('1990');
  await page.locator('#f-region').selectOption('coast');
  await page.locator('#f-household_size').fill('4');
  // The console keeps what was typed on this PC once the page has drawn it (an effect after the
  // render): the sign-in expires once it is kept, as it would some seconds later at a real desk.
  await page.waitForFunction(() =>
    Object.keys(localStorage).some((key) => key.startsWith('ssp-officer-draft:') && /"household_size":4\b/.test(localStorage.getItem(key) ?? '')),
  );
  // The officer's sign-in expires here: signing in again comes back to this page with what was typed.
  await page.evaluate(() => sessionStorage.removeItem('ssp-staff-token'));
  await page.reload();
  await page.locator('main button.govuk-button').click();
  await signInAgainAtIdp(page);
  await page.waitForURL(applicationUrl);
  await page.waitForSelector(`main >> text=${en['officer.draft_restored']}`);
  expect((await page.locator('#f-household_size').inputValue()) === '4' && (await page.locator('#f-name').inputValue()) === 'Amina Okafor', 'what the officer typed was lost');
  steps.push('sign-in expired mid-form: signed in again, back on the same page with what was typed');
  // The network drops at the desk: the console says so, and what is typed stays on the PC.
  await w.context.setOffline(true);
  await page.waitForSelector(`main >> text=${en['officer.offline_title']}`);
  await page.locator('#f-phone').fill('+254 700 123456');
  await page.locator('main button', { hasText: en['staff.save_draft'] }).click();
  await page.waitForSelector(`main >> text=${en['officer.draft_kept']}`);
  await w.check('offline');
  await w.context.setOffline(false);
  expected(w, 'net::ERR_INTERNET_DISCONNECTED'); // the save the network dropped
  await page.locator('main button', { hasText: en['staff.save_draft'] }).click();
  await page.waitForSelector(`main [role=status] >> text=${en['staff.saved']}`);
  steps.push('offline at the desk: said so, the draft kept, saved when the network came back');
  // The session ends while the page is being filled (as at its time limit): nothing is lost, and
  // the next session with the person finds what was typed.
  await page.locator('#f-caregiver_role-2').check();
  await page.locator('#f-receives_other_support-2').check();
  const sessionId = new URL(applicationUrl).pathname.split('/')[4];
  await page.evaluate(async (id) => {
    const token = sessionStorage.getItem('ssp-staff-token');
    await fetch(`/api/assisted/sessions/${id}/close`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' });
  }, sessionId);
  await page.locator('main button', { hasText: en['staff.save_draft'] }).click();
  await page.waitForSelector(`main >> text=${en['officer.error.assisted_session_ended']}`);
  await w.check('session-ended');
  expected(w, 'status of 403 (Forbidden)'); // the save the ended session refused
  await page.goto(`${base}/staff/officer`);
  await page.locator('#id-number').fill(person);
  await captureOutcome(page, en['officer.verified']);
  await page.locator('#capture-outcome a').click();
  await page.waitForSelector('#session-countdown');
  // Once the session's page is drawn with its reads (not a first drawing that they then redraw
  // under the click), and to the link's own page, not only a click sent.
  await page.waitForLoadState('networkidle');
  const continueLink = page.locator('main table a', { hasText: en['officer.continue_application'] });
  const continueTo = await continueLink.getAttribute('href');
  await continueLink.click();
  await page.waitForURL((url) => url.pathname === continueTo);
  await page.waitForSelector(`main >> text=${en['officer.draft_restored']}`);
  expect(await page.locator('#f-caregiver_role-2').isChecked(), 'what was typed before the session ended was lost');
  steps.push('session ended while filling: the draft came back in the next session with the person');
  // The children: a count and the youngest's birth date (form version 1), or each child in a
  // repeating group with their birth certificate (version 2), whichever the programme uses.
  if (await page.locator('#f-children_under_18').count()) {
    await page.locator('#f-children_under_18').fill('2');
    await page.locator('#f-youngest_child_birthdate-day').fill('3');
    await page.locator('#f-youngest_child_birthdate-month').fill('5');
    await page.locator('#f-youngest_child_birthdate-year').fill('2019');
  } else {
    await page.locator('main button', { hasText: /^Add a / }).first().click();
    await page.locator('#f-children-0-name').fill('Chidi Okafor');
    await page.locator('#f-children-0-birth_date-day').fill('3');
    await page.locator('#f-children-0-birth_date-month').fill('5');
    await page.locator('#f-children-0-birth_date-year').fill('2019');
    await page.locator('#f-children-0-relationship').check();
    await page.locator('#f-children-0-birth_certificate').setInputFiles(pngFile('chidi-birth-certificate.png'));
    await page.waitForSelector('#f-children-0-birth_certificate-status >> text=chidi-birth-certificate.png sent and checked.');
  }
  await page.locator('#document-birth_certificate').setInputFiles(pngFile());
  await page.waitForSelector('#document-birth_certificate-status >> text=birth-certificate.png sent and checked.');
  // The statements, read to the person in French; the person has not agreed yet: refused.
  await page.locator('#consent-language').selectOption('fr');
  const text = await page.locator(`#consent-${STATEMENT.id}-text`).innerText();
  expect(text === STATEMENT.text.fr, `the statement is not shown in French: ${text}`);
  expect((await page.locator(`#consent-${STATEMENT.id}-text`).getAttribute('lang')) === 'fr', 'the statement has no lang attribute');
  await w.check('application-filled');
  await page.locator('main form button[type=submit]').click();
  await page.waitForSelector(`.govuk-error-summary >> text=${en['officer.consent_required']}`);
  await w.check('consent-not-agreed');
  await page.locator(`#consent-${STATEMENT.id}`).check();
  await page.locator('main form button[type=submit]').click();
  await page.waitForSelector('#application-reference');
  result.reference = (await page.locator('#application-reference').innerText()).trim();
  await w.check('submitted');
  steps.push('applied with the person: form, a document, the statement read in French and agreed, submitted');
  await page.goto(`${base}/staff/officer`);
  await page.waitForSelector(`main >> text=${result.reference}`);
  await w.check('today');
  steps.push("the submission is in the officer's list of today");
}

async function anotherOriginCannotUseTheAgent(w) {
  const secret = await w.page.evaluate((address) => localStorage.getItem(`ssp-agent-pairing:${address}`), edge);
  expect(secret, 'the console kept no pairing secret');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(idp + '/.well-known/openid-configuration'); // any page of another origin
  const outcome = await page.evaluate(
    async ({ agent, secret, person }) => {
      const read = await fetch(`${agent}/v1/state`, { headers: { 'X-SSP-Pairing': secret } }).then(
        () => 'read',
        () => 'blocked',
      );
      // A "simple" request needs no preflight: the agent must refuse it by its Origin.
      await fetch(`${agent}/v1/captures`, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ registrant: person }) }).catch(() => undefined);
      return read;
    },
    { agent: edge, secret, person },
  );
  await context.close();
  expect(outcome === 'blocked', 'a page of another origin read the agent');
  const state = await w.page.evaluate(
    async ({ agent, secret }) => (await fetch(`${agent}/v1/state`, { headers: { 'X-SSP-Pairing': secret } })).json(),
    { agent: edge, secret },
  );
  expect(state.queue.delivered + state.queue.rejected === 3 && !state.capturing, `another origin made the agent capture: ${JSON.stringify(state.queue)}`);
  steps.push('a page of another origin cannot read or drive the agent, even with the secret');
}

async function personSeesIt() {
  const w = new Watched(browser, base, artefacts, 'officer-person');
  watched.push(w);
  const page = await w.open();
  await page.goto(`${base}/login?next=/applications`);
  await page.waitForSelector('main a.govuk-button[href*="/api/auth/login/"]');
  await page.locator('main a.govuk-button[href*="/api/auth/login/"]').first().click();
  await page.waitForSelector('#individual_id');
  await page.locator('#individual_id').fill(person);
  if (await page.locator('#secret').isVisible().catch(() => false)) await page.locator('#secret').fill('111111');
  await page.locator('button[name=step][value=login]').click();
  await page.waitForLoadState('domcontentloaded');
  if (await page.locator('#secret').isVisible().catch(() => false)) {
    await page.locator('#secret').fill('111111');
    await page.locator('button[name=step][value=login]').click();
  }
  if (await page.locator('button[name=decision][value=allow]').count()) await page.locator('button[name=decision][value=allow]').click();
  await page.waitForURL((url) => url.origin === new URL(base).origin && url.pathname === '/applications', { timeout: 60000 });
  await page.waitForSelector(`main >> text=${result.reference}`);
  await page.locator('main a[href^="/applications/"]').first().click();
  await page.waitForSelector(`main >> text=${en['apply.submitted_by_officer']}`);
  await w.check('person-application');
  steps.push('the person logs in and sees it was submitted with the help of an officer');
}

try {
  const statements = await fetch(`${base}/api/admin/programs/${PROGRAM}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ consents: [STATEMENT] }),
  });
  expect(statements.ok, `setting the programme's statement failed: ${statements.status}`);
  const w = new Watched(browser, base, artefacts, 'officer');
  watched.push(w);
  await w.open();
  await staffSignIn(w, base, 'officer');
  await pair(w);
  await verify(w);
  await apply(w);
  await anotherOriginCannotUseTheAgent(w);
  await personSeesIt();
} catch (error) {
  failure = error;
  await reportFailure(watched, artefacts);
}
await endRun(browser, watched, failure, result);
