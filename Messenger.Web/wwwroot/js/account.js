// Sessions from the browser (API.md "Sessions and sign-in limits"): sign out of this device (the token stops
// working on the server too), sign out everywhere, change password. A password change ends every token but the new
// one, this device's socket included: while it runs, `renewing` tells the app to ignore the `unauthorized` it causes,
// then the app takes the new token and reconnects.

const TIMEOUT_MS = 15000;

async function post(path, token, body) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/json', 'Authorization': `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      cache: 'no-store',
    });
    const text = res.status === 204 ? '' : await res.text().catch(() => '');
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!res.ok) {
      const retry = Number(res.headers.get('Retry-After')) || 0;
      throw { code: data?.code || `http_${res.status}`, message: data?.message || res.statusText, retryAfter: retry };
    }
    return data;
  } catch (e) {
    if (e && e.code) throw e;
    throw { code: 'network', message: 'Cannot reach the server. Check your connection.' };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * @param {{ getToken: () => string | null, signOutLocally: () => void, renewed: (token: string) => void,
 *           notify: (text: string, kind?: string) => void }} app
 */
export function wireAccount(app) {
  const $ = (id) => document.getElementById(id);
  const menu = $('account-menu');
  const dialog = $('password-dialog');
  const form = $('password-form');
  const current = $('password-current');
  const next = $('password-new');
  const error = $('password-error');
  const submit = $('password-submit');
  const account = { renewing: false };

  const closeMenu = () => { menu.open = false; };
  const showError = (text) => { error.textContent = text; error.hidden = !text; };

  $('signout-button').addEventListener('click', async () => {
    const token = app.getToken();
    // Ends the token on the server too (best effort: this device forgets it either way).
    if (token) post('/api/auth/signout', token).catch(() => {});
    app.signOutLocally();
  });

  $('signout-all-button').addEventListener('click', async () => {
    closeMenu();
    const token = app.getToken();
    if (!token) return;
    try {
      await post('/api/auth/signout-all', token);
      app.signOutLocally();
    } catch (e) {
      app.notify(e.code === 'unauthorized' ? 'You are signed out already.' : `Could not sign out everywhere: ${e.message}`);
      if (e.code === 'unauthorized') app.signOutLocally();
    }
  });

  $('password-button').addEventListener('click', () => {
    closeMenu();
    form.reset();
    showError('');
    dialog.showModal();
    current.focus();
  });
  $('password-cancel').addEventListener('click', () => dialog.close());

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (next.value.length < 8 || next.value.length > 256) {
      showError('Choose a new password of 8–256 characters.');
      next.focus();
      return;
    }
    const token = app.getToken();
    if (!token) return;
    submit.disabled = true;
    account.renewing = true;
    try {
      const res = await post('/api/auth/password', token, { currentPassword: current.value, newPassword: next.value });
      app.renewed(res.token);
      dialog.close();
      app.notify('Password changed. Every other device is signed out.', 'info');
    } catch (err) {
      if (err.code === 'unauthorized') showError('The current password is wrong.');
      else if (err.code === 'rate_limited') showError(`Too many attempts. Try again in ${err.retryAfter || 'a few'} seconds.`);
      else if (err.code === 'invalid_request') showError(err.message);
      else showError(`Could not change the password: ${err.message}`);
    } finally {
      account.renewing = false;
      submit.disabled = false;
    }
  });

  return account;
}
