import { afterEach, describe, expect, it } from 'vitest';
import { applyToDocument } from '.';

afterEach(() => {
  document.head.querySelectorAll('[data-ltr], [data-rtl]').forEach((sheet) => sheet.remove());
  applyToDocument('en');
});

describe("the stylesheet's direction follows the language", () => {
  it("index.html's inline stylesheet gives way to its RTL twin once that has loaded, and comes back", () => {
    const style = document.head.appendChild(document.createElement('style'));
    style.setAttribute('data-ltr', '/assets/style-A.css');
    applyToDocument('ar');
    const twin = style.nextElementSibling as HTMLLinkElement;
    expect(document.documentElement.dir).toBe('rtl');
    expect(twin.getAttribute('href')).toBe('/assets/style-A.rtl.css');
    expect(style.media).not.toBe('not all'); // not unstyled while the twin is on its way
    twin.dispatchEvent(new Event('load'));
    expect(style.media).toBe('not all');
    applyToDocument('fr');
    expect(document.documentElement.dir).toBe('ltr');
    expect(style.media).toBe('all');
    expect(document.head.querySelectorAll('link[data-rtl]')).toHaveLength(0);
  });

  it("staff.html's stylesheet link points at the twin and back", () => {
    const link = document.head.appendChild(document.createElement('link'));
    link.rel = 'stylesheet';
    link.setAttribute('data-ltr', '/assets/style-A.css');
    applyToDocument('ar');
    expect(link.getAttribute('href')).toBe('/assets/style-A.rtl.css');
    applyToDocument('en');
    expect(link.getAttribute('href')).toBe('/assets/style-A.css');
  });
});
