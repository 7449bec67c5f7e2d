// `make bench`, frontend part: the first page's weight (gzipped JS+CSS), how long the home page
// takes on a slow 3G phone, every registrant page's cold and warm time on slow 3G, and
// Lighthouse's mobile performance and accessibility scores and LCP for the home, programmes and
// form pages, against the local stack started here on free ports (served compressed, as
// CloudFront would). Prints one line per figure. BENCH_ONLY=home|pages|lighthouse runs one part;
// BENCH_PAGES=<regexp> only the pages whose name matches.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const frontend = resolve(fileURLToPath(new URL('..', import.meta.url)));
const repo = resolve(frontend, '..');
const dist = join(frontend, 'dist');
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
// The first page is one answer (the HTML with the registrant app's code and styles inline), which
// must arrive no later than the page's data, asked for as it starts to arrive: 2 s x 50 KB/s.
const BUDGET = 100 * 1024;
// DevTools' "Slow 3G": 2 s round trip, 400 kbit/s each way; and a mid-range phone's CPU (4x).
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50_000, uploadThroughput: 50_000 };

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

function bundle() {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const inline = (pattern) => [...html.matchAll(pattern)].reduce((n, m) => n + gzipSync(m[1], { level: 9 }).length, 0);
  const total = gz(join(dist, 'index.html'));
  const sizes = { js: inline(/<script[^>]*>([^]*?)<\/script>/g), css: inline(/<style[^>]*>([^]*?)<\/style>/g) };
  console.log(`frontend first page: ${kb(total)} gzipped in one answer, its HTML with the app inline (JS ${kb(sizes.js)}, CSS ${kb(sizes.css)}, each gzipped alone); budget ${kb(BUDGET)}${total < BUDGET ? '' : ' EXCEEDED'}`);
  const chunks = readdirSync(join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `${f.replace(/-[\w-]{8}\.js$/, '')} ${kb(gz(join(dist, 'assets', f)))}`);
  console.log(`frontend chunks loaded on demand (the staff console, with staff.html's copy of the app; the other catalogs; gzipped): ${chunks.join(', ')}`);
}

async function startStack() {
  const dir = mkdtempSync(join(tmpdir(), 'ssp-bench-'));
  const ready = join(dir, 'ready.json');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SSP_') && !k.startsWith('AWS_')));
  const python = existsSync(join(repo, '.venv/bin/python')) ? join(repo, '.venv/bin/python') : 'python3';
  const child = spawn(python, ['-m', 'infra.local.launcher', '--free-ports', '--data-dir', join(dir, 'data'), '--ready-file', ready], { cwd: repo, env, stdio: 'ignore' });
  const deadline = Date.now() + 120_000;
  while (!existsSync(ready)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('the local stack did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  const info = JSON.parse(readFileSync(ready, 'utf8'));
  return {
    ...info,
    stop: async () => {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An HTTP/2 front for the local stack (CloudFront's protocol), in a process of its own
 * (scripts/h2front.mjs): its URL and how to stop it. */
async function http2Front(target, dir) {
  const key = join(dir, 'front.key');
  const cert = join(dir, 'front.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1', '-days', '1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const child = spawn(process.execPath, [join(frontend, 'scripts', 'h2front.mjs'), target, key, cert], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (data) => resolve(String(data).trim()));
    child.once('exit', () => reject(new Error('the HTTP/2 front did not start')));
  });
  return {
    url: `https://127.0.0.1:${port}`,
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r()));
    },
  };
}

async function slow3g(base) {
  const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--ignore-certificate-errors'] });
  const page = await browser.newPage({ viewport: { width: 412, height: 823 }, isMobile: true, ignoreHTTPSErrors: true });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(() => {
    window.__lcp = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__lcp = entry.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  await page.goto(base + '/', { waitUntil: 'load', timeout: 120_000 });
  await page.waitForSelector('.govuk-service-navigation__list', { state: 'attached', timeout: 120_000 });
  const figures = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
    lcp: window.__lcp,
    ready: performance.now(),
  }));
  await browser.close();
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`frontend home on slow 3G (2 s RTT, 400 kbit/s, 4x CPU, ${protocol}): first content ${s(figures.fcp)}, LCP ${s(figures.lcp)}, app ready ${s(figures.ready)}`);
}

/** Log in through the dev IdP (sample person) and start a draft application: the session's
 * cookies (for the logged-in pages) and the draft's id. */
async function loggedIn(base) {
  const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: ['--no-sandbox'] });
  // Only a way in for the measurement: the dev IdP's own CSP (form-action 'self') blocks its
  // redirect back in Chromium; the browser tests work around it precisely (tests/browser/lib.mjs).
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}/login?next=/programs`);
  await page.locator('main a.govuk-button[href*="/api/auth/login/"]').first().click();
  await page.locator('#individual_id').fill('6684027513');
  if (await page.locator('#secret').isVisible()) await page.locator('#secret').fill('111111');
  await page.locator('button[name=step][value=login]').click();
  if (await page.locator('#secret').isVisible().catch(() => false)) {
    await page.locator('#secret').fill('111111');
    await page.locator('button[name=step][value=login]').click();
  }
  if (await page.locator('button[name=decision][value=allow]').count()) await page.locator('button[name=decision][value=allow]').click();
  await page.waitForURL(/\/programs$/);
  const id = await page.evaluate(async () => {
    const session = await (await fetch('/api/session')).json();
    const created = await fetch('/api/programs/child-support-grant/applications', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token }, body: '{}' });
    return (await created.json()).application_id;
  });
  const cookies = await context.cookies(base);
  await browser.close();
  return { id, base, cookies, header: cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
}

/** Every page a registrant can reach, with the draft made by loggedIn(). */
function registrantPages(id) {
  const app = `/applications/${encodeURIComponent(id)}`;
  return [
    ['home', '/', false],
    ['login', '/login', false],
    ['status (no login)', '/status', false],
    ['programmes', '/programs', true],
    ['programme', '/programs/child-support-grant', true],
    ['my applications', '/applications', true],
    ['task list', app, true],
    ['question page', `${app}/pages/household`, true],
    ['documents', `${app}/documents`, true],
    ['check answers', `${app}/check`, true],
    ['confirmation', `${app}/confirmation`, true],
    ['benefits', '/enrolments', true],
    ['my details', '/me', true],
    ['change details', '/me/edit', true],
    ['sent to us', '/me/submissions', true],
    ['activity', '/me/activity', true],
    ['consents', '/me/consents', true],
    ['messages', '/messages', true],
    ['contacts', '/me/contacts', true],
  ];
}

/** The page is usable: its own heading is drawn (not the pre-rendered home page's, elsewhere)
 * and nothing says it is still loading. */
async function usable(page) {
  await page.waitForFunction(
    () => {
      const main = document.querySelector('main');
      if (!main?.querySelector('h1')) return false;
      if (location.pathname !== '/' && main.querySelector('.ssp-prerendered')) return false;
      return ![...main.querySelectorAll('[role=status]')].some((el) => /^(Loading|Chargement|جارٍ التحميل)/.test(el.textContent ?? ''));
    },
    null,
    { timeout: 120_000, polling: 50 },
  );
}

/**
 * Slow 3G figures for every registrant page: cold (a browser with nothing cached, the session
 * cookie only) and warm (the page opened again in that browser after a visit with the service
 * worker in control; the worker's own requests held for the same round trip, which the page's
 * emulation does not reach). Time from navigation start to the page usable, and the API requests
 * the page made on the cold load.
 */
/** The requests of a load as the browser saw them (DevTools protocol): a function that returns
 * them so far, each with its start and end in ms since the first, and what asked for it. */
async function recordRequests(cdp) {
  const byId = new Map();
  cdp.on('Network.requestWillBeSent', (event) => {
    if (!byId.has(event.requestId)) byId.set(event.requestId, { url: event.request.url, start: event.timestamp, end: NaN, by: event.initiator?.type ?? '', size: 0 });
  });
  cdp.on('Network.responseReceived', (event) => {
    const entry = byId.get(event.requestId);
    if (entry) entry.from = event.response.fromServiceWorker ? 'sw' : event.response.fromDiskCache ? 'cache' : '';
  });
  cdp.on('Network.loadingFinished', (event) => {
    const entry = byId.get(event.requestId);
    if (entry) Object.assign(entry, { end: event.timestamp, size: event.encodedDataLength });
  });
  return () => [...byId.values()];
}

function printWaterfall(name, requests, id) {
  const first = Math.min(...requests.map((r) => r.start));
  console.log(`  waterfall of ${name} (cold; s since navigation; initiator; bytes):`);
  for (const r of requests.sort((a, b) => a.start - b.start)) {
    const url = new URL(r.url);
    const what = (url.pathname + url.search).replace(id, '{id}');
    console.log(`    ${(r.start - first).toFixed(2).padStart(6)} -> ${Number.isNaN(r.end) ? '   ...' : (r.end - first).toFixed(2).padStart(6)}  ${r.by.padEnd(8)} ${String(r.size).padStart(6)} ${r.from ?? ''} ${what}`);
  }
}

const waterfall = Boolean(process.env.BENCH_WATERFALL);
const protocol = process.env.BENCH_HTTP1 ? 'HTTP/1.0 of the local stack' : 'HTTP/2 as from CloudFront';

async function slow3gPages(base, login, filter = null) {
  const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--ignore-certificate-errors'] });
  const rows = [];
  try {
    for (const [name, path, needsLogin] of registrantPages(login.id).filter(([n]) => !filter || filter.test(n))) {
      const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true, ignoreHTTPSErrors: true });
      // The session cookie is host-only: Chromium binds it to the scheme and port that set it (the
      // stack's own), so it is given here for the origin the pages are served from.
      const cookies = base === login.base ? login.cookies : login.cookies.map(({ name, value, httpOnly, secure, sameSite }) => ({ name, value, httpOnly, secure, sameSite, url: base }));
      if (needsLogin) await context.addCookies(cookies);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      // The API requests the page makes until it is usable (the service worker's own included once).
      let asked = [];
      const seen = new Set();
      context.on('request', (request) => {
        const url = new URL(request.url());
        if (!url.pathname.startsWith('/api/') || seen.has(request)) return;
        seen.add(request);
        if (!request.serviceWorker()) asked.push(url.pathname.replace(login.id, '{id}').replace('/api', ''));
      });
      const measure = async () => {
        const started = Date.now();
        asked = [];
        try {
          await page.goto(base + path, { waitUntil: 'commit', timeout: 120_000 });
          await usable(page);
        } catch (error) {
          const shown = await page.evaluate(() => document.querySelector('main')?.textContent?.slice(0, 200)).catch(() => '?');
          console.log(`  ${name}: not usable (${error.message.split('\n')[0]}); the page shows: ${shown}`);
          return NaN;
        }
        return Date.now() - started;
      };
      const requests = waterfall ? await recordRequests(cdp) : null;
      // A preload the page did not use (another URL, credentials or request than the page's own)
      // costs its bytes for nothing: Chromium says so on the console a few seconds after load.
      const unused = [];
      page.on('console', (message) => {
        if (/preload/i.test(message.text())) unused.push(message.text().replace(login.id, '{id}'));
      });
      const cold = await measure();
      const coldAsked = asked;
      if (requests) printWaterfall(name, requests(), login.id);
      // Let the page settle (a service worker installs, caches fill) as a person would read it,
      // and come back once with the worker in control: "warm" is a page visited before with the app
      // installed (the very first load of all happens before the worker exists).
      await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
      await measure();
      await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
      // The page's network emulation does not reach its service worker: the worker's own requests
      // are held for the same round trip here, so that a warm page is not measured on a fast network.
      await context.route(
        () => true,
        async (route) => {
          if (route.request().serviceWorker()) await new Promise((r) => setTimeout(r, SLOW_3G.latency));
          await route.continue().catch(() => undefined);
        },
      );
      const warm = await measure();
      rows.push({ name, path, cold, warm, asked: coldAsked, unused });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`frontend pages on slow 3G (2 s RTT, 400 kbit/s, 4x CPU, ${protocol}), until usable; goal cold <= 5 s, warm <= 2 s:`);
  for (const row of rows) if (!Number.isNaN(row.cold + row.warm)) console.log(`  ${row.name.padEnd(18)} cold ${s(row.cold).padStart(6)}${row.cold > 5000 ? ' OVER' : '     '}  warm ${s(row.warm).padStart(6)}${row.warm > 2000 ? ' OVER' : '     '}  ${row.path.replace(login.id, '{id}').padEnd(38)} API: ${[...new Set(row.asked)].join(', ') || '–'}`);
  for (const row of rows) if (Number.isNaN(row.cold + row.warm)) console.log(`  ${row.name.padEnd(18)} not usable (see above)`);
  for (const row of rows) for (const text of new Set(row.unused)) console.log(`  ${row.name}: ${text}`);
  return rows;
}

async function lighthouse(pages) {
  const { default: run } = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');
  const chrome = await chromeLauncher.launch({ chromePath: CHROME, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-background-networking'] });
  try {
    for (const { name, url, cookie } of pages) {
      const result = await run(url, { port: chrome.port, logLevel: 'error', onlyCategories: ['performance', 'accessibility'], extraHeaders: cookie ? { Cookie: cookie } : undefined });
      const lhr = result.lhr;
      const value = (id) => lhr.audits[id].numericValue;
      console.log(
        `lighthouse mobile ${name}: performance ${lhr.categories.performance.score?.toFixed(2)}, accessibility ${lhr.categories.accessibility.score?.toFixed(2)}, ` +
          `LCP ${(value('largest-contentful-paint') / 1000).toFixed(1)} s (FCP ${(value('first-contentful-paint') / 1000).toFixed(1)} s, TBT ${Math.round(value('total-blocking-time'))} ms, CLS ${value('cumulative-layout-shift').toFixed(3)})`,
      );
      for (const audit of Object.values(lhr.audits)) if (process.env.BENCH_VERBOSE && audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode === 'numeric') console.log(`  ${audit.id}: ${audit.displayValue}`);
    }
  } finally {
    await chrome.kill();
  }
}

bundle();
const stack = await startStack();
const frontDir = mkdtempSync(join(tmpdir(), 'ssp-bench-front-'));
const front = process.env.BENCH_HTTP1 ? null : await http2Front(stack.public_url, frontDir);
const served = front?.url ?? stack.public_url;
try {
  const only = process.env.BENCH_ONLY ?? '';
  const pagesOnly = process.env.BENCH_PAGES ? new RegExp(process.env.BENCH_PAGES) : null;
  if (!only || only === 'home') await slow3g(served);
  const login = await loggedIn(stack.public_url);
  if (!only || only === 'pages') await slow3gPages(served, login, pagesOnly);
  if (!only || only === 'lighthouse')
    await lighthouse([
      { name: 'home', url: `${stack.public_url}/` },
      { name: 'programmes', url: `${stack.public_url}/programs` },
      { name: 'form page', url: `${stack.public_url}/applications/${encodeURIComponent(login.id)}/pages/household`, cookie: login.header },
    ]);
} finally {
  await front?.close();
  rmSync(frontDir, { recursive: true, force: true });
  await stack.stop();
}
