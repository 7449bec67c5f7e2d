/* Runs before the first paint (a tiny classic script: the CSP forbids inline ones), right after
   the stylesheet link. Sets the page's language and direction from the saved choice and, for a
   right-to-left language, swaps the stylesheet for its RTL twin, so Arabic never flashes
   left-to-right. Keep it small and in sync with src/i18n/index.ts (LOCALES, 'ssp-lang'). */
(function () {
  var supported = { en: 'ltr', fr: 'ltr', ar: 'rtl' };
  var lang = null;
  try { lang = localStorage.getItem('ssp-lang'); } catch (e) { /* storage blocked */ }
  if (!supported[lang]) {
    var wanted = navigator.languages || [navigator.language || 'en'];
    for (var i = 0; i < wanted.length && !supported[lang]; i++) lang = String(wanted[i]).slice(0, 2).toLowerCase();
    if (!supported[lang]) lang = 'en';
  }
  var root = document.documentElement;
  root.lang = lang;
  root.dir = supported[lang];
  root.className += ' js-enabled';
  // The pre-rendered English home page is shown only where it is the right content.
  if (lang !== 'en' || location.pathname !== '/') root.className += ' ssp-no-prerender';
  if (root.dir === 'rtl') {
    var links = document.querySelectorAll('link[data-ltr]');
    for (var j = 0; j < links.length; j++) {
      links[j].setAttribute('blocking', 'render');
      links[j].href = links[j].getAttribute('data-ltr').replace(/\.css$/, '.rtl.css');
    }
  }
})();
