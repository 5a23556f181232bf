// Sign in, sign up, sign out and an ended session.

import { app, api, resetSession, saveSession } from './session.js';
import { ui } from './ui.js';
import { errorText } from './notices.js';
import { setNewConvError } from './conversation-list.js';
import { resetAttachments } from './attachments.js';
import { startApp } from './lifecycle.js';

const USERNAME_RE = /^[a-z0-9_.-]{3,32}$/;

export function showAuth() {
  ui.appView.hidden = true;
  ui.authView.hidden = false;
  document.title = 'Messenger';
  ui.authUsername.focus();
}

export function setAuthError(text, field) {
  ui.authError.textContent = text;
  ui.authError.hidden = !text;
  for (const f of [ui.authUsername, ui.authPassword]) f.removeAttribute('aria-invalid');
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

function setAuthBusy(busy) {
  ui.signinButton.disabled = busy;
  ui.signupButton.disabled = busy;
  ui.authForm.setAttribute('aria-busy', busy ? 'true' : 'false');
}

export async function authenticate(mode) {
  const username = ui.authUsername.value.trim().toLowerCase();
  const password = ui.authPassword.value;
  if (!USERNAME_RE.test(username)) {
    setAuthError('Usernames are 3–32 characters: letters, digits, _ . or -', ui.authUsername);
    return;
  }
  if (mode === 'signup' && (password.length < 8 || password.length > 256)) {
    setAuthError('Choose a password of at least 8 characters.', ui.authPassword);
    return;
  }
  if (mode === 'signin' && !password) {
    setAuthError('Enter your password.', ui.authPassword);
    return;
  }
  setAuthError('');
  setAuthBusy(true);
  try {
    const res = mode === 'signup' ? await api.signUp(username, password) : await api.signIn(username, password);
    saveSession({ userId: res.userId, token: res.token });
    ui.authPassword.value = '';
    startApp();
  } catch (e) {
    if (e.code === 'unauthorized') setAuthError('Wrong username or password.', ui.authPassword);
    else if (e.code === 'username_taken') setAuthError(`The username “${username}” is taken. Try another, or sign in.`, ui.authUsername);
    else if (e.code === 'invalid_request') setAuthError(e.message || 'Check the username and password.', ui.authUsername);
    else setAuthError(errorText(e));
  } finally {
    setAuthBusy(false);
  }
}

export function expireSession() {
  // A password change ends this device's old token too; the new one is on its way.
  if (app.expiring || !app.session || app.account.renewing) return;
  app.expiring = true;
  signOut();
  setAuthError('Your session has ended. Please sign in again.');
  app.expiring = false;
}

export function signOut() {
  resetSession();
  ui.convList.replaceChildren();
  ui.messageList.replaceChildren();
  ui.toasts.replaceChildren();
  ui.newInput.value = '';
  setNewConvError('');
  ui.input.value = '';
  resetAttachments();
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  showAuth();
}
