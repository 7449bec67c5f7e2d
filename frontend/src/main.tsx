/**
 * Entry point: styles, language, session, then the app replaces the pre-rendered shell.
 * The page's code comes with its HTML (inline: vite.config.ts, firstPageInline); its data and the
 * session were asked for as the HTML arrived (its Link header: pageLinks), and are taken here.
 */
import './styles/app.scss';
import { render } from 'preact';
import { loadSession } from './api/client';
import { prefetch } from './api/prefetch';
import { App, preloadRoute } from './App';
import { initialLocale, isLocale, setLocale, type Locale } from './i18n';
import { sessionKnown, startOffline } from './offline';
import { interceptLinks, navigate, onNavigate } from './router';
import { setSession } from './session';

function preparePage(path: string, language?: Locale): Promise<unknown> {
  preloadRoute(path);
  return prefetch(path, language);
}

/** The session: the service worker's copy from a recent visit at once (then checked), or the network's. */
async function startSession(): Promise<void> {
  let cached = false;
  const session = await loadSession({ onCached: () => (cached = true) }).catch(() => ({ authenticated: false }));
  setSession(session);
  let current = session;
  if (cached) {
    current = await loadSession({ refresh: true }).catch(() => session);
    setSession(current);
  }
  void sessionKnown(current);
}

async function start(): Promise<void> {
  document.body.classList.add('govuk-frontend-supported');
  const params = new URLSearchParams(location.search);
  const asked = params.get('lang');
  const chosen = isLocale(asked) ? asked : initialLocale();
  const firstReads = preparePage(location.pathname, chosen); // in the language the page will be shown in (its catalog is on its way)
  // Not the page already shown (only its query changes, e.g. ?lang= dropped below): it stays
  // mounted and would never take the reads, which would be made twice.
  onNavigate((path) => void (path !== location.pathname && preparePage(path)));
  const localeReady = setLocale(chosen, { persist: isLocale(asked) || chosen !== 'en' });
  const sessionReady = startSession();
  interceptLinks();
  startOffline({ registerWorker: import.meta.env.PROD, after: Promise.allSettled([firstReads, sessionReady]) });
  await localeReady;
  const root = document.getElementById('app') as HTMLElement;
  root.textContent = '';
  render(<App />, root);
  await sessionReady;
  if (asked) {
    params.delete('lang');
    const rest = params.toString();
    navigate(location.pathname + (rest ? `?${rest}` : ''), { replace: true });
  }
}

void start();
