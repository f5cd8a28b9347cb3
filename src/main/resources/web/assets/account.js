// The signed-in user's own account: the display name, the password, the devices, the export and
// deleting the account. The settings screen (settings-view.js) renders what this holds and calls
// these methods; each answers a promise that rejects with the refusal in plain words.

import { inPlainWords } from './refusals.js';

export class AccountSettings {
  /**
   * @param app the ChatApp (its api, deviceId and store)
   * @param onClosed what to do once the account is gone (back to the login screen)
   */
  constructor(app, onClosed) {
    this.app = app;
    this.api = app.api;
    this.onClosed = onClosed;
    /** GET /account, once loaded */
    this.account = null;
    /** GET /devices, this device first */
    this.devices = [];
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
  }

  emit() {
    for (const listener of this.listeners) listener();
  }

  async load() {
    const [account, devices] = await Promise.all([this.api.account(), this.api.devices()]).catch(plain);
    this.account = account;
    this.setDevices(devices);
  }

  async refreshDevices() {
    this.setDevices(await this.api.devices().catch(plain));
  }

  setDevices(devices) {
    const mine = this.app.deviceId;
    this.devices = [...devices].sort((a, b) => (b.deviceId === mine) - (a.deviceId === mine) || a.deviceId.localeCompare(b.deviceId));
    this.emit();
  }

  isThisDevice(device) {
    return device.deviceId === this.app.deviceId;
  }

  async setDisplayName(name) {
    this.account = await this.api.setDisplayName(name.trim()).catch(plain);
    this.app.store.setUser({ ...this.account });
    this.emit();
  }

  /** The other devices are logged out by the server; this one keeps its token. */
  async changePassword(current, next) {
    await this.api.changePassword(current, next).catch(plain);
    await this.refreshDevices().catch(() => {});
  }

  async logoutDevice(deviceId) {
    await this.api.logoutDevice(deviceId).catch(plain);
    await this.refreshDevices();
  }

  /** The export as a file the browser saves. */
  async download() {
    const blob = await this.api.exportAccount().catch(plain);
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `messenger-${this.app.session.username}-export.json`;
    document.body.append(link);
    link.click();
    link.remove();
    // The download has its own copy once it started.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  async close(password) {
    await this.api.closeAccount(password).catch(plain);
    this.onClosed();
  }
}

function plain(e) {
  throw new Error(inPlainWords(e));
}
