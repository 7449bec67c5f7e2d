/** The page frame: skip link, generic header (service name, no crown), languages, menu, footer. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LOCALES, locale, setLocale, t, type Locale } from '../i18n';
import { api, onBusy } from '../api/client';
import { navigate } from '../router';
import { noteLoggedOut } from '../pages/registrant';
import { refreshSession, useSession } from '../session';
import { staffLinks } from '../staff/links';
import { staffUser } from '../staff/user';

function LanguageSwitch() {
  const current = locale();
  const choose = (event: JSX.TargetedMouseEvent<HTMLAnchorElement>, next: Locale) => {
    event.preventDefault();
    void setLocale(next);
  };
  return (
    <nav aria-label={t('lang.switch')}>
      <ul class="ssp-header__languages">
        {(Object.keys(LOCALES) as Locale[]).map((code) =>
          code === current ? (
            <li key={code}>
              <span lang={code} aria-current="true">
                {LOCALES[code].name}
              </span>
            </li>
          ) : (
            <li key={code}>
              <a class="govuk-header__link" href={`?lang=${code}`} lang={code} hreflang={code} onClick={(e) => choose(e, code)}>
                {LOCALES[code].name}
              </a>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}

const WIDE = '(min-width: 40.0625em)';

/** GOV.UK's service navigation collapses behind a "Menu" button on small screens. */
function useWideScreen(): boolean {
  const [wide, setWide] = useState(() => window.matchMedia(WIDE).matches);
  useEffect(() => {
    const query = window.matchMedia(WIDE);
    const update = () => setWide(query.matches);
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return wide;
}

function ServiceNavigation({ path, staff }: { path: string; staff: boolean }) {
  const session = useSession();
  const wide = useWideScreen();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  const logout = async () => {
    try {
      await api('POST', '/auth/logout', { body: {} });
    } finally {
      await refreshSession();
      noteLoggedOut();
      navigate('/');
    }
  };
  const items: { href: string; text: string }[] = staff
    ? staffLinks(staffUser()?.roles ?? []).map((link) => ({ href: link.href, text: t(link.text) }))
    : [
        { href: '/programs', text: t('nav.programs') },
        ...(session?.authenticated
          ? [
              { href: '/applications', text: t('nav.applications') },
              { href: '/enrolments', text: t('nav.enrolments') },
              { href: '/messages', text: t('nav.messages') },
              { href: '/me', text: t('nav.profile') },
            ]
          : []),
      ];
  return (
    <section aria-label={t('nav.label')} class="govuk-service-navigation ssp-service-navigation" data-module="govuk-service-navigation">
      <div class="govuk-width-container">
        <div class="govuk-service-navigation__container">
          <nav aria-label={t('nav.label')} class="govuk-service-navigation__wrapper">
            <button
              type="button"
              class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle"
              aria-controls="navigation"
              aria-expanded={open}
              hidden={wide}
              onClick={() => setOpen(!open)}
            >
              {t('nav.label')}
            </button>
            <ul class="govuk-service-navigation__list" id="navigation" hidden={!wide && !open}>
              {items.map((item) => {
                const active = path === item.href || path.startsWith(`${item.href}/`);
                return (
                  <li class={`govuk-service-navigation__item${active ? ' govuk-service-navigation__item--active' : ''}`} key={item.href}>
                    <a class="govuk-service-navigation__link" href={item.href} aria-current={active ? 'page' : undefined}>
                      {active ? <strong class="govuk-service-navigation__active-fallback">{item.text}</strong> : item.text}
                    </a>
                  </li>
                );
              })}
              {!staff && session?.authenticated && (
                <li class="govuk-service-navigation__item">
                  <button type="button" class="govuk-service-navigation__link ssp-link-button" onClick={logout}>
                    {t('nav.logout')}
                  </button>
                </li>
              )}
              {!staff && session && !session.authenticated && (
                <li class="govuk-service-navigation__item">
                  <a class="govuk-service-navigation__link" href={path === '/' || path === '/login' ? '/login' : `/login?next=${encodeURIComponent(path)}`}>
                    {t('nav.login')}
                  </a>
                </li>
              )}
            </ul>
          </nav>
        </div>
      </div>
    </section>
  );
}

/** While a request waits for a busy service, say so, and that nothing typed is lost. */
function BusyNotice() {
  const [busy, setBusy] = useState(false);
  useEffect(() => onBusy(setBusy), []);
  return (
    <div aria-live="polite" role="status">
      {busy && <p class="govuk-inset-text govuk-!-margin-bottom-0">{t('busy.retrying')}</p>}
    </div>
  );
}

export function Layout({ path, children, staff = false }: { path: string; children: ComponentChildren; staff?: boolean }) {
  return (
    <>
      <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">
        {t('skip.link')}
      </a>
      <header class="govuk-header" data-module="govuk-header">
        <div class="govuk-header__container govuk-width-container">
          <LanguageSwitch />
          <div class="govuk-header__logo">
            <a href={staff ? '/staff' : '/'} class="govuk-header__link govuk-header__link--homepage">
              <span class="govuk-header__product-name">{staff ? t('staff.title') : t('service.name')}</span>
            </a>
          </div>
        </div>
      </header>
      <ServiceNavigation path={path} staff={staff} />
      <div class="govuk-width-container">
        <BusyNotice />
        <main class="govuk-main-wrapper" id="main-content" role="main" tabIndex={-1}>
          {children}
        </main>
      </div>
      <footer class="govuk-footer">
        <div class="govuk-width-container">
          <div class="govuk-footer__meta">
            <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
              <p class="govuk-body-s">{t('footer.about')}</p>
              {!staff && (
                <a class="govuk-footer__link" href="/me/activity">
                  {t('footer.privacy')}
                </a>
              )}
            </div>
          </div>
        </div>
      </footer>
    </>
  );
}
