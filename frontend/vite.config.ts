/// <reference types="vitest/config" />
// The build of the registrant app and the staff console: one static bundle, no inline script,
// no eval (the strict CSP of DESIGN.md section 9), an RTL twin of every stylesheet (rtlcss),
// and the English home page pre-rendered into index.html so people see it before JS runs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import rtlcss from 'rtlcss';
import { readsFor, urlOf } from './src/api/page_reads.js';
import { PAGE_PATHS } from './src/page_paths.js';

const en = JSON.parse(readFileSync(new URL('./src/i18n/en.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** Rules that read left to right in Arabic too (`.ssp-ltr`: phone numbers, emails, references):
 * rtlcss must not flip them. Its ignore directive is a comment, which minifying removes, so the
 * directive is put back here, before rtlcss reads the minified stylesheet. */
const KEEP_LEFT_TO_RIGHT = /\.ssp-ltr\b/;

/** Modules kept out of the registrant app's one chunk: the staff console (its own page, staff.html)
 * and the French and Arabic catalogs (only for those who choose them). */
const OWN_CHUNK = /\/src\/staff\/|\/src\/i18n\/(fr|ar)\.json$/;

/** For each emitted stylesheet `x.css`, emit `x.rtl.css` made by rtlcss (GOV.UK Frontend has no RTL). */
function rtlStylesheets(): Plugin {
  return {
    name: 'ssp-rtl-stylesheets',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const [fileName, asset] of Object.entries(bundle)) {
        if (asset.type !== 'asset' || !fileName.endsWith('.css')) continue;
        const source = typeof asset.source === 'string' ? asset.source : new TextDecoder().decode(asset.source);
        this.emitFile({ type: 'asset', fileName: fileName.replace(/\.css$/, '.rtl.css'), source: rtlcss.process(source, {}, [], { pre: keepLeftToRight, post: () => undefined }) });
      }
    },
  };
}

function keepLeftToRight(root: import('postcss').Root, postcss: typeof import('postcss')): void {
  root.walkRules(KEEP_LEFT_TO_RIGHT, (rule) => {
    rule.before(postcss.comment({ text: 'rtl:ignore' }));
  });
}

/**
 * index.html: fill `%t:key%` from the English catalog, and put boot.js right after the
 * stylesheet link. The browser then fetches the CSS, boot.js and the app in parallel (one round
 * trip on a slow network, not two); boot.js runs before the first paint and, for Arabic, points
 * the link at the RTL twin so the page never flashes left-to-right. GET /api/session is not
 * preloaded here but in the HTML answer's `Link` header (pageLinks below): the service worker's
 * copy of this page has none, so a warm page's first session read may take the worker's copy.
 */
function shellHtml(): Plugin {
  return {
    name: 'ssp-shell-html',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        html = html.replace(/%t:([\w.]+)%/g, (_m, key: string) => {
          const value = en[key];
          if (typeof value !== 'string') throw new Error(`index.html: no English text for ${key}`);
          return value;
        });
        const links = [...html.matchAll(/<link rel="stylesheet"[^>]*href="([^"]+)"[^>]*>/g)];
        if (links.length === 0) return html; // dev server: Vite injects styles itself
        const boot = '<script src="/boot.js"></script>';
        html = html.replace(boot, '');
        for (const link of links) html = html.replace(link[0], `<link rel="stylesheet" href="${link[1]}" data-ltr="${link[1]}">`);
        const last = links[links.length - 1][1];
        return html.replace(`data-ltr="${last}">`, `data-ltr="${last}">\n    ${boot}`);
      },
    },
  };
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page's own Content-Security-Policy, first in its <head>: a script or style inline in it
 * runs only if it is one of the build's (its hash is here). It narrows the HTTP header's policy
 * (the local stack's portal and CloudFront send one that allows inline code, this being the only
 * page that has any), so the two cannot disagree after a deployment. */
function withPolicy(html: string, scripts: string[], styles: string[]): string {
  const policy = `script-src 'self' ${scripts.map(sha256).join(' ')}; style-src 'self' ${styles.map(sha256).join(' ')}`.replace(/ ;/g, ';').trim();
  return html.replace('<meta charset="utf-8">', () => `<meta charset="utf-8">\n    <meta http-equiv="Content-Security-Policy" content="${policy}">`);
}

/**
 * index.html carries the registrant app's code, its stylesheet and boot.js inline (issue 21's
 * slow-3G goal). On a 2 s round trip whatever the HTML names arrives 2 s after it, however small;
 * written into the HTML, the code arrives with it while the page's data (named in the HTML's Link
 * header) is on its way: every registrant page is usable as soon as its data is there.
 *
 * An inline module has no URL, so nothing may import it: the registrant app is one chunk (see
 * manualChunks), its own dynamic imports point at /assets/ (not at ./, which would be relative to
 * the page), and no chunk it loads imports it back (checked here). The staff console's chunks do
 * import the app's modules: the console is served as staff.html, the same page with the app's
 * chunk as a file (/staff/* in portal.py and in CloudFront's routing function).
 */
function firstPageInline(): Plugin {
  return {
    name: 'ssp-first-page-inline',
    apply: 'build',
    enforce: 'post',
    // After Vite's own last touches to the chunks (its preload helper's markers are filled in then).
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const page = bundle['index.html'];
        if (!page || page.type !== 'asset') return;
        const html = String(page.source);
        const script = html.match(/<script type="module" crossorigin src="\/(assets\/[^"]+\.js)"><\/script>/);
        const style = html.match(/<link rel="stylesheet" href="\/(assets\/[^"]+\.css)" data-ltr="[^"]+">/);
        const boot = '<script src="/boot.js"></script>';
        const app = script && bundle[script[1]];
        const css = style && bundle[style[1]];
        if (!app || app.type !== 'chunk' || !css || css.type !== 'asset' || !html.includes(boot)) throw new Error('index.html: no app chunk, stylesheet or boot.js to write inline');
        for (const chunk of Object.values(bundle))
          if (chunk.type === 'chunk' && chunk.imports.includes(app.fileName) && !chunk.moduleIds.every((id) => OWN_CHUNK.test(id) || !id.includes('/src/')))
            throw new Error(`${chunk.fileName} imports the inline app: it would run a second copy of it`);
        this.emitFile({ type: 'asset', fileName: 'staff.html', source: withPolicy(html, [], []) });
        const code = app.code.replace(/(\bimport\(|\bfrom)\s*(["'`])\.\//g, '$1$2/assets/');
        const stylesheet = String(css.source);
        const bootCode = readFileSync(new URL('./public/boot.js', import.meta.url), 'utf8');
        for (const text of [code, stylesheet, bootCode]) if (/<\/(script|style)/i.test(text)) throw new Error('index.html: inline code holds a closing tag');
        if (code.includes('__VITE_PRELOAD__')) throw new Error('index.html: the app chunk is not final yet (a preload marker is left)');
        // (Replaced by functions: a replacement string's `$&` or `$'`, which minified code holds, would be expanded.)
        const inline = html
          .replace(style[0], () => `<style data-ltr="/${style[1]}">${stylesheet}</style>`)
          .replace(boot, () => `<script>${bootCode}</script>`)
          .replace(script[0], () => `<script type="module">${code}</script>`);
        page.source = withPolicy(inline, [bootCode, code], [stylesheet]);
      },
    },
  };
}

/**
 * The `Link` header for each page's HTML (issue 21's slow-3G goal): the page's API reads (the
 * app's own table, api/page_reads.ts) and the session, by path pattern (page_paths.ts). Without it
 * a page's data is asked for only once its code has run (the code itself comes with the HTML).
 *
 * dist/page-links.json holds `patterns` (space-separated, in the order they are tried) and, for
 * each pattern, its header, where `{n}` is the path's n-th `*` segment. The local stack's portal
 * (infra/local/portal.py) and CloudFront's viewer-response function (infra/template.yaml, from
 * its key value store, which the deployment fills from this file: docs/deploy.md) both read it.
 * Each read named here is one the app takes on the page it loads on (api/prefetch.ts), at start.
 */
export function pageLinks(): Record<string, string> {
  const links: Record<string, string> = { patterns: PAGE_PATHS.join(' ') };
  for (const pattern of PAGE_PATHS) {
    let n = 0;
    const sample = pattern.replace(/\*/g, () => `{${++n}}`);
    const reads = readsFor(sample).map(([path, query]) => `/api${urlOf(path, query)}`);
    links[pattern] = [...reads, '/api/session'].map((url) => `<${url}>; rel=preload; as=fetch; crossorigin`).join(', ');
  }
  // CloudFront's key value store holds values of up to 1,024 characters.
  for (const [key, value] of Object.entries(links)) if (value.length > 1024) throw new Error(`page-links: the header of ${key} is over 1,024 characters`);
  return links;
}

function pageLinksFile(): Plugin {
  return {
    name: 'ssp-page-links',
    apply: 'build',
    enforce: 'post',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'page-links.json', source: JSON.stringify(pageLinks(), null, 1) });
    },
  };
}

/** Files the service worker keeps at install: index.html, which holds the registrant app whole;
 * the staff console's page and chunks, the other catalogs and the RTL stylesheet are kept when
 * first used. */
export function shellFiles(fileNames: string[]): string[] {
  return ['/favicon.svg', ...fileNames.filter((name) => name === 'index.html').map((name) => `/${name}`)].sort();
}

/** dist/sw.js from src/offline/sw.js: the shell's files and a version that changes with them. */
function serviceWorker(): Plugin {
  return {
    name: 'ssp-service-worker',
    apply: 'build',
    enforce: 'post',
    // After firstPageInline: its version covers index.html as served.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const shell = shellFiles(Object.keys(bundle));
        const template = readFileSync(new URL('./src/offline/sw.js', import.meta.url), 'utf8');
        // A new build, a new worker: the other files' names carry their content's hash.
        const page = bundle['index.html'];
        const version = createHash('sha256')
          .update(template)
          .update(JSON.stringify(Object.keys(bundle).sort()))
          .update(page?.type === 'asset' ? String(page.source) : '')
          .digest('hex')
          .slice(0, 12);
        this.emitFile({ type: 'asset', fileName: 'sw.js', source: template.replace('__VERSION__', version).replace('__SHELL__', JSON.stringify(shell)) });
      },
    },
  };
}

export default defineConfig({
  plugins: [rtlStylesheets(), shellHtml(), firstPageInline(), serviceWorker(), pageLinksFile()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  css: {
    // GOV.UK Frontend keeps an Internet Explorer hack (`min-width: 0\\0`) that the minifier rejects.
    postcss: { plugins: [{ postcssPlugin: 'drop-ie-hacks', AtRule: { media: (rule: { params: string; remove(): void }) => { if (/\\0|\uFFFD/.test(rule.params)) rule.remove(); } } }] },
    preprocessorOptions: { scss: { quietDeps: true, silenceDeprecations: ['import', 'mixed-decls', 'global-builtin'] } },
  },
  build: {
    target: 'es2020',
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    // The registrant app is one chunk, written into index.html (firstPageInline): only the staff
    // console, the French and Arabic catalogs and the QR code's library stay chunks of their own.
    rollupOptions: { output: { manualChunks: (id: string) => (OWN_CHUNK.test(id) ? undefined : 'index') } },
  },
  server: { proxy: { '/api': 'http://localhost:8000' } },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
