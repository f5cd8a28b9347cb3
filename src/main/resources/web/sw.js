// The service worker: shows a notification for each Web Push the server sends while this device is
// offline (payload: docs/push.md), and brings the page back when one is clicked.

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    // An unreadable payload still deserves a nudge.
  }
  const title = data.senderName ? `Message from ${data.senderName}` : 'New message';
  const unread = data.unreadCount > 1 ? ` (${data.unreadCount} unread)` : '';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: (data.preview || 'Open messenger to read it') + unread,
      tag: data.conversationId || 'messenger',
      icon: '/assets/icon.svg',
      data: { conversationId: data.conversationId },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const existing = windows.find((w) => new URL(w.url).origin === self.location.origin);
      return existing ? existing.focus() : self.clients.openWindow('/');
    }),
  );
});
