// Entry point: the login form, or the chat when this tab already has a session.

import { AccountSettings } from './account.js';
import { ChatApp } from './chat-app.js';
import { ChatView } from './chat-view.js';
import { $ } from './dom.js';
import { renderConnection, renderList } from './list-view.js';
import { setUpPush } from './push.js';
import { SettingsView } from './settings-view.js';
import { clearSession, loadSession, saveSession } from './session.js';
import { Rest } from './sdk/index.js';

let session = loadSession();
// The SDK's HTTP client (assets/sdk/, built from clients/js), on this page's origin with this tab's token.
const api = new Rest({ auth: { current: async () => session?.token ?? null } });
let app = null;

const ERRORS = {
  unauthorized: 'Wrong username or password.',
  username_taken: 'That username is taken.',
  suspended: 'This account is suspended by the moderators.',
  bad_request: 'Username: 3-32 of a-z, 0-9, _ . - ; password: at least 8 characters.',
  network: 'The server cannot be reached.',
};

function showLogin() {
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-username').focus();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = $('login-username').value.trim().toLowerCase();
  const password = $('login-password').value;
  const register = event.submitter?.value === 'register';
  $('login-error').textContent = '';
  try {
    if (register) await api.register(username, password);
    const token = await api.login(username, password);
    session = { token: token.token, userId: token.userId, username, expiresAt: token.expiresAt };
    saveSession(session);
    $('login-password').value = '';
    startChat();
  } catch (e) {
    $('login-error').textContent = ERRORS[e.code] || e.message;
  }
});

function startChat() {
  $('login').hidden = true;
  $('app').hidden = false;
  app = new ChatApp(api, session, signOut);
  const chat = new ChatView(app);
  // A deleted account has no token left: back to the login screen, as after logging out.
  new SettingsView(new AccountSettings(app, signOut));
  const open = (id) => app.open(id);
  app.store.subscribe((topic) => {
    if (topic === 'list') renderList(app.store, open);
    else if (topic === 'chat') chat.render();
    else if (topic === 'typing') chat.renderTyping();
    else if (topic === 'composer') chat.renderComposer();
    else if (topic === 'connection') renderConnection(app.store);
  });
  renderList(app.store, open);
  chat.render();
  app.start();
  setUpPush(api, app.deviceId);
}

function signOut() {
  app?.stop();
  clearSession();
  // A fresh page rather than undoing every listener and cache by hand.
  location.reload();
}

// The countdown of "Reconnecting in N s".
setInterval(() => {
  if (app?.store.connection.state === 'reconnecting') renderConnection(app.store);
}, 1_000);

// The token is revoked, not just forgotten: a copy of it (another tab, a stolen one) stops working.
// Signed out locally even when the server cannot be reached.
$('logout').addEventListener('click', () => api.logout().catch(() => {}).finally(signOut));
$('reconnect').addEventListener('click', () => app?.connection.retryNow());
$('back').addEventListener('click', () => app?.close());

$('direct-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const field = $('direct-username');
  $('sidebar-error').textContent = '';
  try {
    await app.startDirect(field.value);
    field.value = '';
  } catch (e) {
    $('sidebar-error').textContent = e.code === 'not_found' ? `No user "${field.value}"` : e.message;
  }
});

$('group-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const usernames = $('group-members').value.split(',').map((u) => u.trim().toLowerCase()).filter(Boolean);
  $('sidebar-error').textContent = '';
  try {
    await app.createGroup($('group-title').value, usernames);
    $('group-title').value = '';
    $('group-members').value = '';
    $('group-panel').open = false;
  } catch (e) {
    $('sidebar-error').textContent = e.code === 'not_found' ? 'One of those usernames does not exist.' : e.message;
  }
});

if (session) startChat();
else showLogin();
