// Who is logged in, and which device this browser is.
//
// The token lives in sessionStorage: it survives a reload of the tab but not the tab itself, and
// other tabs do not see it. The device id lives in localStorage, one per user: the browser is the
// device, so a returning user catches up from where this browser left off instead of receiving
// the whole inbox again, and a push subscription (which belongs to the browser) matches one device.

const SESSION_KEY = 'messenger.session';

/** @returns {{token: string, userId: string, username: string, expiresAt: string} | null} */
export function loadSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    if (session && Date.parse(session.expiresAt) > Date.now() + 60_000) return session;
  } catch (e) {
    // A damaged entry is the same as none.
  }
  return null;
}

export function saveSession(session) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

export function deviceId(userId) {
  const key = `messenger.device.${userId}`;
  let id = localStorage.getItem(key);
  if (!id) {
    const random = crypto.getRandomValues(new Uint8Array(8));
    id = `web-${Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    localStorage.setItem(key, id);
  }
  return id;
}

/**
 * What the device list shows for this browser, e.g. "Chrome on Linux": from the User-Agent Client
 * Hints where the browser has them, else from the User-Agent string.
 */
export function clientLabel(nav = navigator) {
  const hints = nav.userAgentData;
  const brand = hints?.brands?.map((b) => b.brand).find((b) => !/not.?a.?brand|^chromium$/i.test(b))
    || (hints?.brands?.some((b) => /^chromium$/i.test(b.brand)) ? 'Chromium' : null);
  const ua = nav.userAgent || '';
  const browser = (brand && brand.replace(/^Google /, '').replace(/^Microsoft /, ''))
    || [['Edg/', 'Edge'], ['Firefox/', 'Firefox'], ['Chrome/', 'Chrome'], ['Safari/', 'Safari']].find(([t]) => ua.includes(t))?.[1]
    || 'Browser';
  const os = hints?.platform
    || [['Android', 'Android'], ['iPhone', 'iOS'], ['iPad', 'iPadOS'], ['Windows', 'Windows'], ['Mac OS', 'macOS'], ['Linux', 'Linux'], ['CrOS', 'ChromeOS']]
      .find(([t]) => ua.includes(t))?.[1];
  return (os ? `${browser} on ${os}` : browser).slice(0, 64);
}
