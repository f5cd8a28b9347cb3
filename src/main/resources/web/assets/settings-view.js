// The settings screen, reached from the sidebar's "Settings": the display name, the password
// (current, new, confirmed; the other devices are logged out), the devices (client label, online or
// last seen, this one marked, "Log out" for the others), the people I block ("Unblock"), "Download
// my data", and deleting the account with the password. Behaviour is AccountSettings' (account.js)
// and, for blocks, ChatApp's.

import { $, el, shortTime } from './dom.js';

export class SettingsView {
  constructor(settings) {
    this.settings = settings;
    settings.subscribe(() => this.render());
    // Blocks change from the conversations too.
    settings.app.store.subscribe((topic) => {
      if (topic === 'list' && !$('settings').hidden) this.renderBlocked();
    });
    $('settings-open').addEventListener('click', () => this.open());
    $('settings-close').addEventListener('click', () => this.close());
    this.onSubmit('name-form', 'name-status', async () => {
      await settings.setDisplayName($('name-input').value);
      return 'Saved. Others now see this name.';
    });
    this.onSubmit('password-form', 'password-status', async () => {
      const next = $('password-new').value;
      if (next !== $('password-confirm').value) throw new Error('the new passwords do not match');
      await settings.changePassword($('password-current').value, next);
      for (const id of ['password-current', 'password-new', 'password-confirm']) $(id).value = '';
      return 'Password changed. Your other devices were logged out; this one stays logged in.';
    });
    this.onSubmit('close-form', 'close-status', async () => {
      await settings.close($('close-password').value);
      return 'Account deleted.';
    });
    $('export-button').addEventListener('click', () => this.run('export-status', async () => {
      $('export-status').textContent = 'Preparing the download…';
      await settings.download();
      return 'Downloaded.';
    }));
  }

  onSubmit(formId, statusId, action) {
    $(formId).addEventListener('submit', (event) => {
      event.preventDefault();
      this.run(statusId, action);
    });
  }

  /** Runs {@code action}, then shows what it answers, or its refusal, under the section. */
  async run(statusId, action) {
    const status = $(statusId);
    status.classList.remove('failed');
    try {
      status.textContent = await action();
    } catch (e) {
      status.classList.add('failed');
      status.textContent = `Not done: ${e.message}.`;
    }
  }

  async open() {
    $('app').dataset.settings = 'open';
    $('settings').hidden = false;
    for (const id of ['name-status', 'password-status', 'devices-status', 'blocked-status', 'export-status', 'close-status']) {
      $(id).textContent = '';
    }
    this.renderBlocked();
    try {
      await this.settings.load();
      $('name-input').value = this.settings.account?.displayName || '';
    } catch (e) {
      $('devices-status').textContent = e.message;
    }
    $('name-input').focus();
  }

  close() {
    delete $('app').dataset.settings;
    $('settings').hidden = true;
  }

  render() {
    const { account, devices } = this.settings;
    $('settings-username').textContent = account?.username || '';
    $('device-list').replaceChildren(...devices.map((d) => this.deviceRow(d)));
  }

  renderBlocked() {
    const { app } = this.settings;
    const blocked = [...app.store.blocked];
    app.lookUpPeople(blocked);
    $('blocked-empty').hidden = blocked.length > 0;
    $('blocked-list').replaceChildren(...blocked.map((userId) => {
      const name = app.store.name(userId);
      return el(
        'li',
        { class: 'device blocked-person', 'data-user-id': userId },
        el('span', { class: 'device-name' }, name),
        el(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-label': `Unblock ${name}`,
            onclick: () => this.run('blocked-status', async () => {
              await app.unblock(userId);
              return `You unblocked ${name}.`;
            }),
          },
          'Unblock',
        ),
      );
    }));
  }

  deviceRow(device) {
    const mine = this.settings.isThisDevice(device);
    const seen = device.online ? 'online now' : device.lastSeen ? `last seen ${shortTime(device.lastSeen)}` : 'offline';
    return el(
      'li',
      { class: `device${mine ? ' this-device' : ''}`, 'data-device-id': device.deviceId },
      el(
        'span',
        { class: 'device-text' },
        el('span', { class: 'device-name' }, device.client || device.deviceId, mine ? el('span', { class: 'badge' }, 'This device') : null),
        el('span', { class: 'muted device-seen', 'data-online': String(device.online) }, `${seen} · ${device.deviceId}`),
      ),
      mine
        ? null
        : el(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-label': `Log out ${device.client || device.deviceId}`,
            onclick: () => this.run('devices-status', async () => {
              await this.settings.logoutDevice(device.deviceId);
              return `${device.client || device.deviceId} was logged out.`;
            }),
          },
          'Log out',
        ),
    );
  }
}
