// Shared by the staff browser scripts: signing in to the staff console through the dev IdP's
// real pages (the console is a public OIDC client using PKCE: it fetches the IdP's discovery
// document and exchanges the code from the browser, so the portal's CSP must allow the IdP in
// connect-src), and what every staff page is expected to show.
import { expect } from './lib.mjs';

export const STAFF_CODE = '111111';

/** From /staff to the console's home, signed in as `username` at the dev IdP. */
export async function staffSignIn(w, base, username) {
  const page = w.page;
  await page.goto(`${base}/staff`);
  await page.waitForSelector('main button.govuk-button');
  await w.check('sign-in');
  await page.locator('main button.govuk-button').click();
  await page.waitForSelector('#username');
  await w.check('idp-staff-login');
  await page.locator('#username').selectOption(username);
  await page.locator('#secret').fill(STAFF_CODE);
  await page.locator('button[name=step][value=login]').click();
  // The IdP sends the browser to /staff/callback, which exchanges the code and goes home.
  await page.waitForURL(`${base}/staff`);
  await page.waitForSelector('main a.govuk-link[href^="/staff/"]');
  const token = await page.evaluate(() => sessionStorage.getItem('ssp-staff-token'));
  expect(token && token.split('.').length === 3, 'the console kept no token after signing in');
  await w.check('home');
}

/** The error summary took focus, links to each of `ids`, and the page title says "Error:". */
export async function expectErrorSummary(page, ids) {
  await page.waitForSelector('.govuk-error-summary');
  await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
  const links = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const id of ids) {
    expect(links.includes(`#${id}`), `the error summary does not link to #${id}: ${links}`);
    const message = await page.locator(`#${id}`).evaluate((el) => el.closest('.govuk-form-group')?.querySelector('.govuk-error-message')?.textContent ?? '');
    expect(message.trim().length > 0, `#${id} has no error message beside it`);
  }
  expect((await page.title()).startsWith('Error:'), `the page title does not say there is an error: ${await page.title()}`);
  // Following a link puts the focus on the field.
  await page.locator(`.govuk-error-summary a[href="#${ids[0]}"]`).click();
  expect(await page.evaluate((id) => document.activeElement?.id === id, ids[0]), `the summary's link did not focus #${ids[0]}`);
}
