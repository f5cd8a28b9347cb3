// Web Push (docs/push.md): when the browser can, a button subscribes this device, so messages that
// arrive while the page is closed show as notifications. The service worker is /sw.js.

import { $ } from './dom.js';

export function setUpPush(api, deviceId) {
  const button = $('push-button');
  const status = $('push-status');
  const supported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window && window.isSecureContext;
  if (!supported || Notification.permission === 'denied') {
    button.hidden = true;
    return;
  }
  button.hidden = false;
  button.onclick = async () => {
    status.textContent = '';
    try {
      if ((await Notification.requestPermission()) !== 'granted') {
        status.textContent = 'Notifications are blocked.';
        return;
      }
      const registration = await navigator.serviceWorker.register('/sw.js');
      await navigator.serviceWorker.ready;
      const subscription =
        (await registration.pushManager.getSubscription()) ||
        (await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: base64UrlToBytes(await api.vapidPublicKey()),
        }));
      await api.registerPush(deviceId, { kind: 'web-push', ...subscription.toJSON(), previews: true });
      button.hidden = true;
      status.textContent = 'Notifications on.';
    } catch (e) {
      status.textContent = `Notifications unavailable: ${e.message}`;
    }
  };
}

function base64UrlToBytes(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
