// Shared by the browser journeys: Debian's Chromium through playwright-core, a watch on the
// console (CSP violations, page errors), axe-core on every page, screenshots as artefacts.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
export const repo = resolve(here, '..', '..');
// The Node packages live in frontend/ (one package-lock for the app and its tests).
const require = createRequire(join(repo, 'frontend', 'package.json'));
const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// The axe-core rules whose outcome changes with the page's width.
const LAYOUT_RULES = ['target-size', 'scrollable-region-focusable', 'meta-viewport'];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--no-first-run',
      '--disable-features=Translate,OptimizationHints,MediaRouter',
      '--metrics-recording-only',
    ],
  });
}

/** A browser context whose pages report CSP violations, console errors and uncaught errors. */
export class Watched {
  /** With `reflow`, every page checked is also judged at 320 px and at 200% zoom (below). */
  constructor(browser, base, artefacts, name, { reflow = false } = {}) {
    this.reflow = reflow;
    this.browser = browser;
    this.base = base;
    this.origin = new URL(base).origin;
    this.artefacts = artefacts;
    this.name = name;
    this.problems = [];
    this.axe = [];
    this.shots = 0;
    mkdirSync(artefacts, { recursive: true });
  }

  async open(options = {}) {
    this.context = await this.browser.newContext({ viewport: { width: 1024, height: 800 }, ...options });
    await this.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
      });
    });
    this.page = await this.context.newPage();
    // Generous: make test runs this beside the rest of the suite on two shared cores.
    this.page.setDefaultTimeout(45000);
    this.page.setDefaultNavigationTimeout(60000);
    this.page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const url = message.location()?.url ?? '';
      const text = message.text();
      // Only our origin's pages are judged here; a 4xx answer the page handles is not an error.
      if (url && !url.startsWith(this.origin) && !text.startsWith('CSP violation')) return;
      if (/Failed to load resource: the server responded with a status of (401|404|409|422)/.test(text)) return;
      this.problems.push(`console error on ${this.page.url()}: ${text}`);
    });
    this.page.on('pageerror', (error) => this.problems.push(`page error on ${this.page.url()}: ${error.message}`));
    // Requests still waiting for an answer, to tell a hung server from a broken page.
    this.inFlight = new Map();
    this.page.on('request', (request) => this.inFlight.set(request, Date.now()));
    for (const done of ['requestfinished', 'requestfailed']) this.page.on(done, (request) => this.inFlight.delete(request));
    return this.page;
  }

  /** Screenshot and axe-core for the page as it is now. */
  async check(label) {
    const page = this.page;
    await page.waitForLoadState('networkidle').catch(() => undefined);
    this.shots += 1;
    const file = join(this.artefacts, `${this.name}-${String(this.shots).padStart(2, '0')}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    if (!page.url().startsWith(this.origin)) return;
    await this.runAxe(label);
    if (this.reflow && !new URL(page.url()).pathname.startsWith('/staff')) await this.checkReflow(label);
  }

  async runAxe(label, rules) {
    const page = this.page;
    const builder = new AxeBuilder({ page }).withTags(AXE_TAGS);
    const results = await (rules ? builder.withRules(rules) : builder).analyze();
    for (const violation of results.violations) {
      this.axe.push(`${label} (${page.url()}): ${violation.id} – ${violation.help} – ${violation.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
    }
  }

  /**
   * WCAG 1.4.10 and 1.4.4 on a phone: at 320 CSS px (a small phone, or a 1280 px window at 400%
   * zoom) and at 640 px (a 1280 px window at 200% zoom), nothing scrolls sideways; at 320 px the
   * axe-core rules whose outcome depends on the width run again (touch targets). A page that
   * scrolls sideways is screenshot at that width. The page is then put back at its width.
   */
  async checkReflow(label) {
    const page = this.page;
    const size = page.viewportSize();
    for (const [width, height, what] of [
      [320, 640, '320 px'],
      [640, 400, '200% zoom'],
    ]) {
      await page.setViewportSize({ width, height });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) {
        this.problems.push(`${label} (${page.url()}) scrolls sideways by ${overflow}px at ${what} (WCAG 1.4.10)`);
        await page.screenshot({ path: join(this.artefacts, `${this.name}-${String(this.shots).padStart(2, '0')}-${label}-${width}.png`), fullPage: true });
      }
      if (width === 320) await this.runAxe(`${label} at 320 px`, LAYOUT_RULES);
    }
    await page.setViewportSize(size);
  }

  pending() {
    return [...this.inFlight].map(([request, started]) => `${request.method()} ${request.url()} (${Math.round((Date.now() - started) / 1000)} s)`);
  }

  async close() {
    await this.context?.close();
  }
}

/** What each watched page showed when the run failed: a screenshot, the text of `region`, and requests still waiting. */
export async function reportFailure(watched, artefacts, region = 'body') {
  for (const w of watched) {
    await w.page?.screenshot({ path: `${artefacts}/${w.name}-failure.png`, fullPage: true }).catch(() => undefined);
    const text = await w.page?.locator(region).innerText().catch(() => '');
    if (text) console.error(`[${w.name}] ${region} at failure (${w.page.url()}):\n${text.slice(0, 1500)}`);
    if (w.inFlight?.size) console.error(`[${w.name}] requests without an answer:\n${w.pending().join('\n')}`);
    if (w.problems?.length) console.error(`[${w.name}] console and page errors so far:\n${w.problems.join('\n')}`);
  }
}

/**
 * The end of a run: the browser closed, the result printed as JSON for test_browser.py (with the
 * watched pages' problems and axe violations), and exit code 1 when anything went wrong.
 */
export async function endRun(browser, watched, failure, result) {
  const problems = watched.flatMap((w) => w.problems);
  const axe = watched.flatMap((w) => w.axe);
  await browser.close();
  console.log(JSON.stringify({ ...result, problems, axe, failure: failure ? String(failure.stack ?? failure) : null }, null, 1));
  if (failure || problems.length || axe.length) process.exit(1);
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** A tiny valid PNG (4×4, red), as a file a person would pick. */
export function pngFile(name = 'birth-certificate.png') {
  const bytes = Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000004000000040802000000269309290000001049444154789c63f8cfc000470cc47100ae930ff1d05f239e0000000049454e44ae426082',
    'hex',
  );
  return { name, mimeType: 'image/png', buffer: bytes };
}
