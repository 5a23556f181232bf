// The conversation list: most recent first, unread badges, last message (or "typing…"), more pages, and starting
// a conversation by username. A group shows its name, member count, and who wrote the last message.

import { app, api } from './session.js';
import { ui, el, reconcile, setText } from './ui.js';
import { dmId } from './store.js';
import { listTimeLabel, paintAvatar } from './format.js';
import { errorText, toast } from './notices.js';
import { navigate } from './navigation.js';
import { typingIn } from './typing.js';
import { ICONS, attachmentSummary } from './attachment-view.js';
import { groupTitle, isMembershipKind, memberCountLabel, systemText, typingText } from './groups.js';

export const CONVERSATION_PAGE = 50;
const USERNAME_RE = /^[a-z0-9_.-]{3,32}$/;

export async function loadMoreConversations() {
  const store = app.store;
  ui.convMore.disabled = true;
  try {
    const res = await api.conversations(store.conversationsOffset, CONVERSATION_PAGE);
    if (app.store !== store) return;
    const list = Array.isArray(res?.conversations) ? res.conversations : [];
    store.addSnapshot(list, false);
    store.conversationsOffset += list.length;
    store.moreConversations = list.length === CONVERSATION_PAGE;
    renderConversationList();
  } catch (e) {
    if (app.store === store) toast(`Couldn't load more conversations: ${errorText(e)}`);
  } finally {
    ui.convMore.disabled = false;
  }
}

export function setNewConvError(text) {
  ui.newError.textContent = text;
  ui.newError.hidden = !text;
  if (text) ui.newInput.setAttribute('aria-invalid', 'true');
  else ui.newInput.removeAttribute('aria-invalid');
}

export async function startConversation() {
  const store = app.store;
  if (!store) return;
  const name = ui.newInput.value.trim().toLowerCase();
  setNewConvError('');
  let problem = '';
  if (!name) problem = 'Type the username of the person you want to chat with.';
  else if (!USERNAME_RE.test(name)) problem = 'Usernames are 3–32 characters: letters, digits, _ . or -';
  else if (name === store.me) problem = 'That’s you. Pick someone else to chat with.';
  if (problem) {
    setNewConvError(problem);
    ui.newInput.focus();
    return;
  }
  const id = dmId(store.me, name);
  const existing = store.conversations.get(id);
  if (existing && existing.lastMessage) {
    ui.newInput.value = '';
    navigate(id);
    return;
  }
  ui.newButton.disabled = true;
  ui.newForm.setAttribute('aria-busy', 'true');
  try {
    await api.getUser(name);
    if (app.store !== store) return;
    ui.newInput.value = '';
    const c = store.ensureConversation(id, name);
    c.activity = Math.max(c.activity, Date.now());
    navigate(id);
  } catch (e) {
    if (app.store !== store) return;
    if (e.code === 'not_found') setNewConvError(`There is no user called “${name}”.`);
    else setNewConvError(errorText(e));
    ui.newInput.focus();
  } finally {
    ui.newButton.disabled = false;
    ui.newForm.setAttribute('aria-busy', 'false');
  }
}

/** The last message line: "You: " for mine ("bob: " for others in a group), an icon for attachments, the text
 *  (or what the files are); a membership event as its system line. */
function renderPreview(p, c) {
  const m = c.lastMessage;
  const me = app.store.me;
  const system = m && isMembershipKind(m.kind);
  const files = m && !system ? attachmentSummary(m.attachments) : null;
  const body = !m ? '' : system ? systemText(m, me) : String(m.body ?? '').replace(/\s+/g, ' ').trim();
  let prefix = '';
  if (m && !system && m.from === me) prefix = 'You: ';
  else if (m && !system && c.group) prefix = `${m.from}: `;
  setText(p.lastPrefix, prefix);
  const icon = files ? files.icon : '';
  if (p.lastIcon.dataset.icon !== icon) {
    p.lastIcon.dataset.icon = icon;
    p.lastIcon.innerHTML = icon ? ICONS[icon] : '';
  }
  p.lastIcon.hidden = !icon;
  setText(p.lastText, !m ? 'No messages yet' : body || (files ? files.text : ''));
}

export function renderConversationList() {
  const store = app.store;
  if (!store) return;
  const convs = store.sortedConversations();
  const wanted = new Set();
  const nodes = [];
  for (const c of convs) {
    wanted.add(c.id);
    nodes.push(conversationNode(c));
  }
  reconcile(ui.convList, nodes);
  for (const id of [...app.convNodes.keys()]) if (!wanted.has(id)) app.convNodes.delete(id);
  ui.convEmpty.hidden = convs.length > 0;
  ui.convMore.hidden = !store.moreConversations;
  const unread = store.totalUnread();
  document.title = unread > 0 ? `(${unread}) Messenger` : 'Messenger';
}

function conversationNode(c) {
  let li = app.convNodes.get(c.id);
  if (!li) {
    li = el('li', 'conv-item', 'conversation-item');
    li.dataset.conversationId = c.id;
    const button = el('button', 'conv-button');
    button.type = 'button';
    button.addEventListener('click', () => navigate(c.id));
    const avatar = el('span', 'avatar');
    avatar.setAttribute('aria-hidden', 'true');
    const main = el('span', 'conv-main');
    const top = el('span', 'conv-top');
    const name = el('span', 'conv-name', 'conversation-peer');
    const count = el('span', 'conv-count', 'conversation-member-count');
    const time = el('time', 'conv-time');
    top.append(name, count, time);
    const bottom = el('span', 'conv-bottom');
    const last = el('span', 'conv-last', 'conversation-last-message');
    const lastPrefix = el('span', 'conv-last-prefix');
    const lastIcon = el('span', 'conv-last-icon');
    const lastText = el('span', 'conv-last-text');
    last.append(lastPrefix, lastIcon, lastText);
    const typing = el('span', 'conv-typing', 'conversation-typing');
    typing.textContent = 'typing…';
    const badge = el('span', 'badge', 'unread-badge');
    const badgeLabel = el('span', 'visually-hidden');
    bottom.append(last, typing, badge, badgeLabel);
    main.append(top, bottom);
    button.append(avatar, main);
    li.append(button);
    li._parts = { button, avatar, name, count, time, last, lastPrefix, lastIcon, lastText, typing, badge, badgeLabel };
    app.convNodes.set(c.id, li);
  }
  const p = li._parts;
  const me = app.store.me;
  li.dataset.peer = c.peer ?? '';
  li.dataset.kind = c.group ? 'group' : 'direct';
  li.classList.toggle('active', c.id === app.openId);
  li.classList.toggle('unread', c.unreadCount > 0);
  if (c.id === app.openId) p.button.setAttribute('aria-current', 'true');
  else p.button.removeAttribute('aria-current');
  const title = c.group ? groupTitle(c) : c.peer;
  setText(p.name, title);
  if (p.avatar.dataset.name !== title) {
    p.avatar.dataset.name = title;
    paintAvatar(p.avatar, title);
  }
  p.avatar.classList.toggle('avatar-group', !!c.group);
  p.count.hidden = !c.group;
  if (c.group) setText(p.count, memberCountLabel(c.group.memberCount));
  const sentAt = c.lastMessage?.sentAt;
  setText(p.time, sentAt ? listTimeLabel(sentAt) : '');
  if (sentAt) p.time.dateTime = sentAt;
  const typers = typingIn(c.id);
  const typing = !!typers;
  if (typing) setText(p.typing, typingText(typers, !!c.group));
  p.typing.hidden = !typing;
  p.last.hidden = typing;
  renderPreview(p, c);
  p.last.dataset.status = c.lastMessage && c.lastMessage.from === me && !isMembershipKind(c.lastMessage.kind)
    ? (c.lastMessage.status || 'sent') : '';
  const n = c.unreadCount;
  p.badge.hidden = n <= 0;
  p.badgeLabel.hidden = n <= 0;
  setText(p.badge, n > 99 ? '99+' : String(n));
  p.badge.dataset.count = String(n);
  setText(p.badgeLabel, n === 1 ? ' 1 unread message' : ` ${n} unread messages`);
  return li;
}
