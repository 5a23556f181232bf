// Creating a group (API v2): a name and the members, typed as usernames that turn into chips (Enter, comma or
// space); each chip is checked against the server at once, so an unknown name is marked before the group is made.

import { app, api } from './session.js';
import { ui, el, setText } from './ui.js';
import { errorText } from './notices.js';
import { navigate } from './navigation.js';
import { applyGroupView, MAX_MEMBERS } from './groups.js';

const USERNAME_RE = /^[a-z0-9_.-]{3,32}$/;

/** The chips of the open dialog: userId -> { state: 'checking' | 'ok' | 'unknown' | 'invalid', check, node }. */
function chips() {
  return ui.groupChips._chips || (ui.groupChips._chips = new Map());
}

function setFormError(text) {
  setText(ui.groupFormError, text);
  ui.groupFormError.hidden = !text;
}

export function openGroupDialog() {
  if (!app.store) return;
  chips().clear();
  ui.groupChips.replaceChildren();
  ui.groupForm.reset();
  setFormError('');
  ui.groupCreateSubmit.disabled = false;
  ui.groupDialog.showModal();
  ui.groupNameInput.focus();
}

/** Turns the typed text into chips; keeps an unfinished last word in the input unless `all`. */
function takeTyped(all) {
  const parts = ui.groupMembersInput.value.split(/[\s,;]+/);
  const rest = all ? '' : parts.pop();
  for (const p of parts) addChip(p);
  ui.groupMembersInput.value = rest ?? '';
}

function addChip(raw) {
  const userId = raw.trim().replace(/^@/, '').toLowerCase();
  if (!userId || chips().has(userId) || userId === app.store?.me) return;
  const li = el('li', 'chip', 'group-chip');
  li.dataset.userId = userId;
  const label = el('span', 'chip-label');
  label.textContent = userId;
  const remove = el('button', 'chip-remove');
  remove.type = 'button';
  remove.textContent = '×';
  remove.setAttribute('aria-label', `Remove ${userId}`);
  remove.addEventListener('click', () => {
    chips().delete(userId);
    li.remove();
    ui.groupMembersInput.focus();
  });
  li.append(label, remove);
  ui.groupChips.append(li);
  const chip = { state: 'checking', node: li, check: null };
  chips().set(userId, chip);
  if (!USERNAME_RE.test(userId)) setChip(chip, 'invalid');
  else chip.check = checkChip(userId, chip);
  li.dataset.state = chip.state;
}

function setChip(chip, state) {
  chip.state = state;
  chip.node.dataset.state = state;
  chip.node.title = state === 'unknown' ? 'No such user' : state === 'invalid' ? 'Not a valid username' : '';
}

async function checkChip(userId, chip) {
  const store = app.store;
  try {
    await api.getUser(userId);
    if (app.store === store) setChip(chip, 'ok');
  } catch (e) {
    // Only a definite "no such user" marks it; a network problem is left to the server's answer on create.
    if (app.store === store) setChip(chip, e.code === 'not_found' ? 'unknown' : 'ok');
  }
}

async function create() {
  const store = app.store;
  if (!store) return;
  takeTyped(true);
  const name = ui.groupNameInput.value.trim();
  if (!name || name.length > 100) {
    setFormError('Give the group a name (1–100 characters).');
    ui.groupNameInput.focus();
    return;
  }
  const list = [...chips().entries()];
  if (list.length === 0) {
    setFormError('Add at least one other member.');
    ui.groupMembersInput.focus();
    return;
  }
  if (list.length > MAX_MEMBERS - 1) {
    setFormError(`A group has at most ${MAX_MEMBERS} members, you included.`);
    return;
  }
  ui.groupCreateSubmit.disabled = true;
  setFormError('');
  await Promise.all(list.map(([, c]) => c.check));
  const bad = list.filter(([, c]) => c.state === 'unknown' || c.state === 'invalid').map(([u]) => u);
  if (bad.length > 0) {
    ui.groupCreateSubmit.disabled = false;
    setFormError(bad.length === 1 ? `There is no user called “${bad[0]}”.` : `These users don’t exist: ${bad.join(', ')}.`);
    return;
  }
  try {
    const view = await api.createGroup(name, list.map(([u]) => u));
    if (app.store !== store) return;
    const c = store.ensureConversation(view.conversationId, null);
    applyGroupView(c, view, store.me);
    c.activity = Math.max(c.activity, Date.now());
    ui.groupDialog.close();
    navigate(c.id);
  } catch (e) {
    if (app.store !== store) return;
    if (e.code === 'not_found') setFormError('One of those users doesn’t exist.');
    // Creating is not idempotent: the group may still appear (its first line arrives), so say so before a retry.
    else if (e.code === 'unavailable' || e.code === 'timeout') setFormError('The group wasn’t confirmed in time. It may still appear in your list in a moment; check there before creating it again.');
    else setFormError(errorText(e));
  } finally {
    ui.groupCreateSubmit.disabled = false;
  }
}

export function wireGroupCreate() {
  ui.newGroupButton.addEventListener('click', openGroupDialog);
  ui.groupCreateCancel.addEventListener('click', () => ui.groupDialog.close());
  ui.groupForm.addEventListener('submit', (e) => { e.preventDefault(); create(); });
  ui.groupMembersInput.addEventListener('input', () => {
    setFormError('');
    if (/[\s,;]/.test(ui.groupMembersInput.value)) takeTyped(false);
  });
  ui.groupMembersInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && ui.groupMembersInput.value.trim()) {
      // Enter finishes a chip; on an empty input it submits the form.
      e.preventDefault();
      takeTyped(true);
    } else if (e.key === 'Backspace' && ui.groupMembersInput.value === '' && ui.groupChips.lastElementChild) {
      const last = ui.groupChips.lastElementChild;
      chips().delete(last.dataset.userId);
      last.remove();
    }
  });
  ui.groupMembersInput.addEventListener('blur', () => takeTyped(true));
  ui.groupChips.parentElement.addEventListener('click', (e) => {
    if (e.target === ui.groupChips.parentElement || e.target === ui.groupChips) ui.groupMembersInput.focus();
  });
}
