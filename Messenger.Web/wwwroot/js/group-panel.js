// The members panel of a group (API v2): name and size, the members with their roles; admins rename, add,
// remove and make admins; everyone who is in the group can leave. A removed member sees it read-only.

import { app, api } from './session.js';
import { ui, el, reconcile, setText } from './ui.js';
import { paintAvatar } from './format.js';
import { errorText } from './notices.js';
import { scheduleRender } from './render.js';
import { groupTitle, isAdmin, memberCountLabel } from './groups.js';
import { groupAction } from './group-sync.js';

const USERNAME_RE = /^[a-z0-9_.-]{3,32}$/;

function openGroup() {
  const c = app.openId && app.store ? app.store.conversations.get(app.openId) : null;
  return c?.group ? c : null;
}

/** Draws the panel for the open conversation (hidden for a 1:1, or when closed). */
export function renderGroupPanel(c) {
  const state = app.groupPanel;
  const show = !!c?.group && state.open;
  ui.groupPanel.hidden = !show;
  ui.chat.classList.toggle('with-panel', show);
  ui.groupInfoButton.setAttribute('aria-expanded', String(show));
  if (!show) return;
  const me = app.store.me;
  const g = c.group;
  const member = g.isMember !== false;
  const admin = member && isAdmin(c, me);
  setText(ui.groupPanelName, groupTitle(c));
  paintAvatar(ui.groupPanelAvatar, groupTitle(c));
  setText(ui.groupPanelCount, `Group · ${memberCountLabel(g.members ? g.members.length : g.memberCount)}`);
  ui.groupRenameButton.hidden = !admin || state.renaming;
  ui.groupRenameForm.hidden = !admin || !state.renaming;
  ui.groupNotMember.hidden = member;
  ui.groupAddForm.hidden = !admin;
  ui.groupLeaveButton.hidden = !member || state.leaving;
  ui.groupLeaveConfirm.hidden = !member || !state.leaving;
  for (const b of ui.groupPanel.querySelectorAll('button[data-action], form button, #group-leave-yes')) b.disabled = state.busy;
  renderMembers(c, me, admin);
}

/** Me first, then admins, then members, each in join order (the server's order). */
function sortedMembers(c, me) {
  const list = c.group.members || [];
  const rank = (m) => (m.userId === me ? 0 : m.role === 'admin' ? 1 : 2);
  return list.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i).map((x) => x.m);
}

function renderMembers(c, me, admin) {
  const cache = ui.groupMemberList._nodes || (ui.groupMemberList._nodes = new Map());
  const nodes = [];
  const wanted = new Set();
  for (const m of sortedMembers(c, me)) {
    wanted.add(m.userId);
    nodes.push(memberNode(cache, m, me, admin));
  }
  reconcile(ui.groupMemberList, nodes);
  for (const id of [...cache.keys()]) if (!wanted.has(id)) cache.delete(id);
}

function memberNode(cache, m, me, admin) {
  let li = cache.get(m.userId);
  if (!li) {
    li = el('li', 'group-member', 'group-member');
    li.dataset.userId = m.userId;
    const avatar = el('span', 'avatar');
    avatar.setAttribute('aria-hidden', 'true');
    paintAvatar(avatar, m.userId);
    const name = el('span', 'group-member-name', 'group-member-name');
    name.textContent = m.userId === me ? `${m.userId} (You)` : m.userId;
    const role = el('span', 'group-role', 'group-member-role');
    role.textContent = 'Admin';
    const actions = el('span', 'group-member-actions');
    const makeAdmin = el('button', 'btn btn-ghost btn-small', 'group-make-admin');
    makeAdmin.type = 'button';
    makeAdmin.dataset.action = 'make-admin';
    makeAdmin.textContent = 'Make admin';
    makeAdmin.setAttribute('aria-label', `Make ${m.userId} an admin`);
    const remove = el('button', 'btn btn-ghost btn-small btn-remove', 'group-remove-member');
    remove.type = 'button';
    remove.dataset.action = 'remove';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove ${m.userId} from the group`);
    actions.append(makeAdmin, remove);
    li.append(avatar, name, role, actions);
    li._parts = { role, actions, makeAdmin, remove };
    cache.set(m.userId, li);
  }
  const p = li._parts;
  li.dataset.role = m.role;
  p.role.hidden = m.role !== 'admin';
  const canAct = admin && m.userId !== me;
  p.actions.hidden = !canAct;
  p.makeAdmin.hidden = !canAct || m.role === 'admin';
  return li;
}

function setPanelError(text) {
  setText(ui.groupPanelError, text);
  ui.groupPanelError.hidden = !text;
}

function actionError(e, userId) {
  if (e.code === 'forbidden') return 'Only group admins can do that.';
  if (e.code === 'not_found' && userId) return `There is no user called “${userId}”, or they are no longer in the group.`;
  if (e.code === 'not_found') return 'You’re no longer a member of this group.';
  if (e.code === 'invalid_request') return e.message || 'That can’t be done.';
  if (e.code === 'unavailable' || e.code === 'timeout') return 'The group didn’t confirm in time. It may still happen; try again if not.';
  return errorText(e);
}

/** Runs one membership action with the buttons disabled; returns true when it succeeded. */
async function run(call, userId) {
  const c = openGroup();
  if (!c || app.groupPanel.busy) return false;
  app.groupPanel.busy = true;
  setPanelError('');
  scheduleRender();
  const e = await groupAction(c, () => call(c));
  app.groupPanel.busy = false;
  if (e) setPanelError(actionError(e, userId));
  scheduleRender();
  return !e;
}

async function rename() {
  const name = ui.groupRenameInput.value.trim();
  if (!name || name.length > 100) {
    setPanelError('A group name is 1–100 characters.');
    return;
  }
  if (await run((c) => api.renameGroup(c.id, name))) app.groupPanel.renaming = false;
  scheduleRender();
}

async function addMember() {
  const c = openGroup();
  const userId = ui.groupAddInput.value.trim().toLowerCase();
  if (!c) return;
  if (!USERNAME_RE.test(userId)) {
    setPanelError('Usernames are 3–32 characters: letters, digits, _ . or -');
    return;
  }
  if (c.group.members?.some((m) => m.userId === userId)) {
    setPanelError(`${userId} is already in the group.`);
    return;
  }
  if (await run((g) => api.addMember(g.id, userId), userId)) ui.groupAddInput.value = '';
}

function setOpen(open) {
  app.groupPanel = { open, renaming: false, leaving: false, busy: app.groupPanel.busy };
  setPanelError('');
  scheduleRender();
}

export function wireGroupPanel() {
  ui.groupInfoButton.addEventListener('click', () => setOpen(!app.groupPanel.open));
  ui.chatPeer.addEventListener('click', () => { if (openGroup()) setOpen(true); });
  ui.groupPanelClose.addEventListener('click', () => {
    setOpen(false);
    ui.groupInfoButton.focus();
  });
  ui.groupPanel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
      ui.groupInfoButton.focus();
    }
  });
  ui.groupRenameButton.addEventListener('click', () => {
    const c = openGroup();
    app.groupPanel.renaming = true;
    ui.groupRenameInput.value = c ? groupTitle(c) : '';
    setPanelError('');
    scheduleRender();
    setTimeout(() => ui.groupRenameInput.focus(), 0);
  });
  ui.groupRenameCancel.addEventListener('click', () => { app.groupPanel.renaming = false; scheduleRender(); });
  ui.groupRenameForm.addEventListener('submit', (e) => { e.preventDefault(); rename(); });
  ui.groupAddForm.addEventListener('submit', (e) => { e.preventDefault(); addMember(); });
  ui.groupAddInput.addEventListener('input', () => setPanelError(''));
  ui.groupMemberList.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-action]');
    const userId = b?.closest('[data-user-id]')?.dataset.userId;
    if (!userId) return;
    if (b.dataset.action === 'remove') run((c) => api.removeMember(c.id, userId), userId);
    else if (b.dataset.action === 'make-admin') run((c) => api.makeAdmin(c.id, userId), userId);
  });
  ui.groupLeaveButton.addEventListener('click', () => { app.groupPanel.leaving = true; scheduleRender(); });
  ui.groupLeaveNo.addEventListener('click', () => { app.groupPanel.leaving = false; scheduleRender(); });
  ui.groupLeaveYes.addEventListener('click', async () => {
    await run((c) => api.removeMember(c.id, app.store.me));
    app.groupPanel.leaving = false;
    scheduleRender();
  });
}
