/* Runs before the first paint, right after the stylesheet (inline in index.html, whose own CSP
   names its hash; a file for staff.html). Sets the page's language and direction from the saved choice and, for a
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
    // staff.html names its stylesheet (a link: pointed at the twin); index.html holds it (a style:
    // the twin's link is put after it, and the style is switched off).
    var sheets = document.querySelectorAll('[data-ltr]');
    for (var j = 0; j < sheets.length; j++) {
      var rtl = sheets[j].getAttribute('data-ltr').replace(/\.css$/, '.rtl.css');
      var link = sheets[j];
      if (link.tagName !== 'LINK') {
        link = document.createElement('link');
        link.rel = 'stylesheet';
        link.setAttribute('data-rtl', '');
        sheets[j].parentNode.insertBefore(link, sheets[j].nextSibling);
        sheets[j].media = 'not all';
      }
      link.setAttribute('blocking', 'render');
      link.href = rtl;
    }
  }
})();
