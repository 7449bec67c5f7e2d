/* Runs before the first paint (a tiny classic script: the CSP forbids inline ones). Sets the
   page's language and direction from the saved choice and loads the matching stylesheet, so
   Arabic never flashes left-to-right. Keep it small and in sync with src/i18n/locales.ts. */
(function () {
  var supported = { en: 'ltr', fr: 'ltr', ar: 'rtl' };
  var lang = null;
  try { lang = localStorage.getItem('ssp-lang'); } catch (e) { /* storage blocked */ }
  if (!supported[lang]) {
    var wanted = (navigator.languages || [navigator.language || 'en']);
    for (var i = 0; i < wanted.length && !supported[lang]; i++) lang = String(wanted[i]).slice(0, 2).toLowerCase();
    if (!supported[lang]) lang = 'en';
  }
  var root = document.documentElement;
  root.lang = lang;
  root.dir = supported[lang];
  root.className += ' govuk-template js-enabled';
  // The pre-rendered English home page is shown only where it is the right content.
  if (lang !== 'en' || location.pathname !== '/') root.className += ' ssp-no-prerender';
  var me = document.currentScript;
  var css = ((me && me.getAttribute('data-css')) || '').split(' ');
  for (var j = 0; j < css.length; j++) {
    if (!css[j]) continue;
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.id = 'ssp-css-' + j;
    link.setAttribute('data-ltr', css[j]);
    link.setAttribute('blocking', 'render');
    link.href = root.dir === 'rtl' ? css[j].replace(/\.css$/, '.rtl.css') : css[j];
    document.head.appendChild(link);
  }
})();
