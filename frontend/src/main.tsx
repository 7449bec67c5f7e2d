/** Entry point: styles, language, session, then the app replaces the pre-rendered shell. */
import './styles/app.scss';
import { render } from 'preact';
import { App } from './App';
import { initialLocale, isLocale, setLocale } from './i18n';
import { interceptLinks, navigate } from './router';
import { refreshSession } from './session';

async function start(): Promise<void> {
  document.body.classList.add('govuk-frontend-supported');
  const params = new URLSearchParams(location.search);
  const asked = params.get('lang');
  const chosen = isLocale(asked) ? asked : initialLocale();
  const localeReady = setLocale(chosen, { persist: isLocale(asked) || chosen !== 'en' });
  const sessionReady = refreshSession();
  interceptLinks();
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
