// The chat pane: header (peer, presence or "typing…"), messages grouped by sender and day, history status,
// the jump-to-latest button, and the attachment tray of the open conversation. A group shows its name and
// members in the header, system lines for membership events, its members panel, and no composer once I am out.

import { app } from './session.js';
import { ui, reconcile, setText } from './ui.js';
import { dayKey, paintAvatar } from './format.js';
import { errorText } from './notices.js';
import { daySeparator, messageNode, systemNode } from './message-view.js';
import { loadInitialHistory, loadOlder } from './history.js';
import { typingIn } from './typing.js';
import { presenceOf } from './presence.js';
import { renderTray } from './attachments.js';
import { canSendIn, groupTitle, isMembershipKind, memberNames, typingText } from './groups.js';
import { renderGroupPanel } from './group-panel.js';

const GROUP_GAP_MS = 5 * 60 * 1000;

export function renderChat(opts) {
  const c = app.openId && app.store ? app.store.conversations.get(app.openId) : null;
  ui.chatPlaceholder.hidden = !!c;
  ui.chatOpen.hidden = !c;
  if (!c) {
    if (app.renderedConversation !== null) {
      ui.messageList.replaceChildren();
      app.messageNodes.clear();
      app.renderedConversation = null;
      renderTray();
    }
    renderGroupPanel(null);
    return;
  }
  if (opts.reset || app.renderedConversation !== c.id) {
    ui.messageList.replaceChildren();
    app.messageNodes.clear();
    app.renderedConversation = c.id;
    opts = { ...opts, scrollToBottom: true };
    renderTray();
  }
  const title = c.group ? groupTitle(c) : c.peer;
  setText(ui.chatPeer, title);
  paintAvatar(ui.chatAvatar, title);
  ui.chatAvatar.classList.toggle('avatar-group', !!c.group);
  ui.chatOpen.dataset.conversationId = c.id;
  ui.chatOpen.dataset.kind = c.group ? 'group' : 'direct';
  ui.groupInfoButton.hidden = !c.group;
  renderHeaderStatus(c);
  renderComposerState(c);
  renderGroupPanel(c);

  const sc = ui.scroller;
  const prevHeight = sc.scrollHeight;
  const prevTop = sc.scrollTop;
  const atBottom = prevHeight - prevTop - sc.clientHeight < 80;

  renderMessages(c);
  renderHistoryStatus(c);

  if (opts.preserveBottom) sc.scrollTop = sc.scrollHeight - (prevHeight - prevTop);
  else if (opts.scrollToBottom || atBottom) sc.scrollTop = sc.scrollHeight;
  updateJumpButton();
}

function renderHeaderStatus(c) {
  const typers = typingIn(c.id);
  let p;
  if (typers) p = { state: 'typing', text: typingText(typers, !!c.group) };
  else if (c.group && !canSendIn(c)) p = { state: 'left', text: 'You’re no longer a member' };
  else if (c.group) p = { state: 'members', text: memberNames(c, app.store.me) };
  else p = presenceOf(c.peer);
  ui.chatPresence.dataset.state = p.state;
  setText(ui.chatPresence, p.text);
}

/** A group I left or was removed from keeps its history, read-only. */
function renderComposerState(c) {
  const closed = !canSendIn(c);
  ui.composer.hidden = closed;
  ui.composerClosed.hidden = !closed;
  ui.input.disabled = closed;
  ui.chatOpen.dataset.member = closed ? 'false' : 'true';
}

function itemTime(it) {
  const t = it.sentAt ? Date.parse(it.sentAt) : NaN;
  return Number.isFinite(t) ? t : (it.createdAt || Date.now());
}

function renderMessages(c) {
  const items = app.store.sortedItems(c);
  const nodes = [];
  const wanted = new Set();
  let prev = null;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const t = itemTime(it);
    const day = dayKey(t);
    if (!prev || prev.day !== day) {
      const key = `d:${day}`;
      wanted.add(key);
      nodes.push(daySeparator(key, t));
    }
    const key = `m:${it.key}`;
    wanted.add(key);
    if (isMembershipKind(it.kind)) {
      nodes.push(systemNode(key, it));
      // A system line ends a run of bubbles: the next message shows its sender again.
      prev = { from: null, day, t };
      continue;
    }
    const next = items[i + 1];
    const nt = next ? itemTime(next) : 0;
    const groupStart = !prev || prev.from !== it.from || prev.day !== day || t - prev.t > GROUP_GAP_MS;
    const groupEnd = !next || isMembershipKind(next.kind) || next.from !== it.from || dayKey(nt) !== day
      || nt - t > GROUP_GAP_MS;
    nodes.push(messageNode(c, key, it, groupStart, groupEnd));
    prev = { from: it.from, day, t };
  }
  reconcile(ui.messageList, nodes);
  for (const k of [...app.messageNodes.keys()]) if (!wanted.has(k)) app.messageNodes.delete(k);
}

export function renderHistoryStatus(c) {
  const el = ui.historyStatus;
  let state;
  let text;
  if (c.loadingInitial) { state = 'loading'; text = 'Loading messages…'; }
  else if (c.loadingOlder) { state = 'loading'; text = 'Loading older messages…'; }
  else if (c.historyError) { state = 'error'; text = `Couldn't load messages: ${errorText(c.historyError)}`; }
  else if (c.historyLoaded && !c.nextBefore) {
    state = 'start';
    if (c.group) text = c.items.size > 0 ? `This is the beginning of your history in ${groupTitle(c)}.` : 'No messages yet.';
    else text = c.items.size > 0 ? `This is the beginning of your conversation with ${c.peer}.` : `No messages yet. Say hello to ${c.peer}!`;
  } else { state = 'more'; text = ''; }
  if (el.dataset.state === state && el.dataset.text === text) return;
  el.dataset.state = state;
  el.dataset.text = text;
  el.replaceChildren();
  if (text) {
    const span = document.createElement('span');
    span.textContent = text;
    el.append(span);
  }
  if (state === 'error') {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-small btn-light';
    b.textContent = 'Try again';
    b.setAttribute('data-testid', 'history-retry');
    b.addEventListener('click', () => {
      c.historyError = null;
      if (!c.historyLoaded) loadInitialHistory(c);
      else loadOlder(c);
    });
    el.append(' ', b);
  }
}

export function updateJumpButton() {
  const sc = ui.scroller;
  const fromBottom = sc.scrollHeight - sc.scrollTop - sc.clientHeight;
  ui.jumpLatest.hidden = !app.openId || fromBottom < 300;
}
