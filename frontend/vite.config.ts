/// <reference types="vitest/config" />
// The build of the registrant app and the staff console: one static bundle, no inline script,
// no eval (the strict CSP of DESIGN.md section 9), an RTL twin of every stylesheet (rtlcss),
// and the English home page pre-rendered into index.html so people see it before JS runs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import rtlcss from 'rtlcss';
import { readsFor, urlOf } from './src/api/page_reads.js';
import { PAGE_PATHS, ROUTE_CHUNKS, routeChunk } from './src/route_chunks.js';

const en = JSON.parse(readFileSync(new URL('./src/i18n/en.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** Rules that read left to right in Arabic too (`.ssp-ltr`: phone numbers, emails, references):
 * rtlcss must not flip them. Its ignore directive is a comment, which minifying removes, so the
 * directive is put back here, before rtlcss reads the minified stylesheet. */
const KEEP_LEFT_TO_RIGHT = /\.ssp-ltr\b/;

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

/** index.html: the early script (src/api/early.ts, a chunk of its own) before the app, so that a
 * page's reads start as soon as that small script arrives rather than once the app's code has. */
function earlyReads(): Plugin {
  return {
    name: 'ssp-early-reads',
    apply: 'build',
    buildStart() {
      this.emitFile({ type: 'chunk', id: fileURLToPath(new URL('./src/api/early.ts', import.meta.url)), name: 'early' });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const early = Object.values(ctx.bundle ?? {}).find((chunk) => chunk.type === 'chunk' && chunk.name === 'early' && chunk.isEntry);
        if (!early || early.type !== 'chunk') return html;
        const preloads = early.imports.filter((file) => !html.includes(file)).map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`).join('\n    ');
        const tag = `<script type="module" async crossorigin src="/${early.fileName}"></script>`;
        return html.replace('<script type="module"', `${preloads ? preloads + '\n    ' : ''}${tag}\n    <script type="module"`);
      },
    },
  };
}

/** A `Link` header's value: what the browser asks for as soon as the page's HTML arrives. */
function linkHeader(reads: string[], modules: string[]): string {
  const fetches = [...reads, '/api/session'].map((url) => `<${url}>; rel=preload; as=fetch; crossorigin`);
  return [...fetches, ...modules.map((file) => `</${file}>; rel=modulepreload; crossorigin`)].join(', ');
}

/**
 * The `Link` header for each page's HTML (issue 21's slow-3G goal): the page's API
 * reads (api/page_reads.ts, the app's own table), the session and the page's chunk with the
 * chunks it imports, by path pattern (route_chunks.ts). Without it a page's data and code are
 * asked for only once a script has arrived: a round trip (2 s on slow 3G) later.
 *
 * dist/page-links.json holds `patterns` (space-separated, in the order they are tried) and, for
 * each pattern, its header, where `{n}` is the path's n-th `*` segment. The local stack's portal
 * (infra/local/portal.py) and CloudFront's viewer-response function (infra/template.yaml, from
 * its key value store, which the deployment fills from this file: docs/deploy.md) both read it.
 * Each read named here is one the app takes on the page it loads on (api/prefetch.ts), at start.
 */
export function pageLinks(chunks: { fileName: string; moduleIds: string[]; imports: string[] }[]): Record<string, string> {
  const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const closure = (fileName: string, into = new Set<string>()): Set<string> => {
    if (into.has(fileName)) return into;
    into.add(fileName);
    for (const imported of byFile.get(fileName)?.imports ?? []) closure(imported, into);
    return into;
  };
  const holding = (module: string) => chunks.find((chunk) => chunk.moduleIds.some((id) => id.endsWith(`/src/${module}`)));
  const main = holding('main.tsx');
  if (!main) throw new Error('page-links: no chunk holds src/main.tsx');
  const loaded = closure(main.fileName);
  const modules = (path: string): string[] => {
    const chunk = routeChunk(path);
    if (!chunk) return [];
    const holder = holding(ROUTE_CHUNKS[chunk]);
    if (!holder) throw new Error(`page-links: no chunk holds src/${ROUTE_CHUNKS[chunk]}`);
    return [...closure(holder.fileName)].filter((file) => !loaded.has(file));
  };
  const links: Record<string, string> = { patterns: PAGE_PATHS.join(' ') };
  for (const pattern of PAGE_PATHS) {
    let n = 0;
    const sample = pattern.replace(/\*/g, () => `{${++n}}`);
    links[pattern] = linkHeader(
      readsFor(sample).map(([path, query]) => `/api${urlOf(path, query)}`),
      modules(sample),
    );
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
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [item] : []));
      this.emitFile({ type: 'asset', fileName: 'page-links.json', source: JSON.stringify(pageLinks(chunks), null, 1) });
    },
  };
}

/** Files the service worker keeps at install (the registrant app's shell and its page chunks);
 * the staff console, the other catalogs and the RTL stylesheet are kept when first used. */
export function shellFiles(fileNames: string[]): string[] {
  const kept = fileNames.filter((name) => name === 'index.html' || (name.startsWith('assets/') && /\.(js|css)$/.test(name) && !/\.rtl\.css$/.test(name) && !/^assets\/(console|fr|ar)-/.test(name)));
  return ['/boot.js', '/favicon.svg', ...kept.map((name) => `/${name}`)].sort();
}

/** dist/sw.js from src/offline/sw.js: the shell's files and a version that changes with them. */
function serviceWorker(): Plugin {
  return {
    name: 'ssp-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const shell = shellFiles(Object.keys(bundle));
      const template = readFileSync(new URL('./src/offline/sw.js', import.meta.url), 'utf8');
      const version = createHash('sha256').update(template).update(JSON.stringify(shell)).digest('hex').slice(0, 12);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: template.replace('__VERSION__', version).replace('__SHELL__', JSON.stringify(shell)) });
    },
  };
}

export default defineConfig({
  plugins: [earlyReads(), rtlStylesheets(), shellHtml(), serviceWorker(), pageLinksFile()],
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
  },
  server: { proxy: { '/api': 'http://localhost:8000' } },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
