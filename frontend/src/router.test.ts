import { afterEach, describe, expect, it, vi } from 'vitest';
import { interceptLinks, navigate } from './router';

const page = document.body.appendChild(document.createElement('div'));
interceptLinks();

/** Click a link to ``href`` on the page at ``from``: whether the app went there itself (no reload). */
function clickFrom(from: string, href: string): boolean {
  history.replaceState(null, '', from);
  const link = page.appendChild(document.createElement('a'));
  link.href = href;
  const click = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
  link.dispatchEvent(click);
  return click.defaultPrevented && location.pathname === new URL(href, location.href).pathname;
}

afterEach(() => {
  page.textContent = '';
  history.replaceState(null, '', '/');
});

describe('links', () => {
  it('go to the registrant pages without a reload, and within the staff console', () => {
    expect(clickFrom('/programs', '/applications/app-1')).toBe(true);
    expect(clickFrom('/staff/review', '/staff/officer')).toBe(true);
  });

  it('reload between the registrant app and the staff console: each is its own page (index.html, staff.html)', () => {
    expect(clickFrom('/programs', '/staff')).toBe(false);
    expect(clickFrom('/staff/officer', '/programs')).toBe(false);
  });

  it('leave /api/ links (login, downloads) to the browser', () => {
    expect(clickFrom('/me', '/api/me/export')).toBe(false);
  });

  it('the app itself, sent to the other page, loads it', () => {
    history.replaceState(null, '', '/programs');
    const assign = vi.spyOn(location, 'assign').mockImplementation(() => undefined);
    navigate('/staff/officer');
    expect(assign).toHaveBeenCalledWith('/staff/officer');
    expect(location.pathname).toBe('/programs');
    navigate('/applications');
    expect(location.pathname).toBe('/applications');
    expect(assign).toHaveBeenCalledTimes(1);
    assign.mockRestore();
  });
});
