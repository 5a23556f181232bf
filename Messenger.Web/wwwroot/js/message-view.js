// One message bubble (text, attachments, time, ticks, the failed row with Retry), the day separators, and in
// groups the sender's name over the first bubble of a run and a centred system line for each membership event.

import { app } from './session.js';
import { el, setText, truncate } from './ui.js';
import { avatarHue, dayLabel, fullLabel, paintAvatar, timeLabel } from './format.js';
import { failureReason } from './notices.js';
import { receiptOf } from './markers.js';
import { renderAttachments } from './attachment-view.js';
import { systemText } from './groups.js';

// Static icon markup (no user data): a clock while sending, one tick when sent, two when delivered or read.
const ICONS = {
  sending: '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M8 4.6V8l2.3 1.5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>',
  sent: '<svg viewBox="0 0 16 16" width="16" height="14" aria-hidden="true"><path d="m2.5 8.5 3.2 3.2L13 4.4" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  double: '<svg viewBox="0 0 20 16" width="19" height="14" aria-hidden="true"><path d="m1.5 8.5 3.2 3.2L12 4.4M8.6 11.1l.6.6L16.5 4.4" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round"/></svg>',
};
const LABELS = { sending: 'Sending…', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: '' };

export function daySeparator(key, t) {
  let li = app.messageNodes.get(key);
  if (!li) {
    li = el('li', 'day-sep', 'day-separator');
    li.append(document.createElement('span'));
    app.messageNodes.set(key, li);
  }
  setText(li.firstChild, dayLabel(t));
  return li;
}

function createNode(it, mine) {
  const li = el('li', '', 'message');
  li.dataset.clientMessageId = it.clientMessageId || '';
  li.dataset.from = it.from;
  const avatar = el('span', 'msg-avatar');
  avatar.setAttribute('aria-hidden', 'true');
  if (!mine) paintAvatar(avatar, it.from);
  const bubble = el('div', 'bubble');
  const sender = el('span', 'sender', 'message-sender');
  sender.textContent = it.from;
  sender.setAttribute('aria-hidden', 'true');
  sender.style.setProperty('--avatar-hue', String(avatarHue(it.from)));
  const who = el('span', 'visually-hidden');
  who.textContent = mine ? 'You said: ' : `${it.from} said: `;
  const files = el('div', 'attachments', 'message-attachments');
  const body = el('p', 'body', 'message-body');
  const meta = el('span', 'meta');
  const time = el('time', '', 'message-time');
  const status = el('span', 'status', 'message-status');
  const icon = el('span', 'tick');
  icon.setAttribute('aria-hidden', 'true');
  const label = el('span', 'visually-hidden');
  status.append(icon, label);
  meta.append(time, status);
  bubble.append(sender, who, files, body, meta);
  const failed = el('div', 'failed-row');
  const failedText = el('span', 'failed-text');
  const retryButton = el('button', 'btn btn-small btn-retry', 'retry-button');
  retryButton.type = 'button';
  retryButton.dataset.action = 'retry';
  retryButton.textContent = 'Retry';
  failed.append(failedText, retryButton);
  li.append(avatar, bubble, failed);
  li._parts = { sender, files, body, time, status, icon, label, failed, failedText, retryButton, filesKey: null, receipt: null };
  return li;
}

export function messageNode(c, key, it, groupStart, groupEnd) {
  const mine = it.from === app.store.me;
  let li = app.messageNodes.get(key);
  if (!li) {
    li = createNode(it, mine);
    app.messageNodes.set(key, li);
  }
  const p = li._parts;
  li.className = `msg ${mine ? 'mine' : 'theirs'}${groupStart ? ' group-start' : ''}${groupEnd ? ' group-end' : ''}`;
  // In a group, whose message it is: the name over the first bubble of each run of theirs.
  p.sender.hidden = !(c.group && !mine && groupStart);
  if (it.messageId) li.dataset.messageId = it.messageId;
  else delete li.dataset.messageId;
  if (it.order) li.dataset.order = it.order;
  const status = mine ? (it.status || 'sent') : 'received';
  li.dataset.status = status;
  const filesKey = (it.attachments || []).map((a) => a.attachmentId).join(',');
  if (p.filesKey !== filesKey) {
    p.filesKey = filesKey;
    renderAttachments(p.files, it.attachments || []);
  }
  p.files.hidden = filesKey === '';
  setText(p.body, it.body ?? '');
  p.body.hidden = !it.body;
  const label = it.sentAt ? timeLabel(it.sentAt) : '';
  setText(p.time, label);
  if (it.sentAt) {
    p.time.dateTime = it.sentAt;
    p.time.title = fullLabel(it.sentAt);
  }
  if (mine) renderTicks(li, p, receiptOf(c, it));
  p.failed.hidden = status !== 'failed';
  if (status === 'failed') {
    setText(p.failedText, failureReason(it.error));
    p.retryButton.setAttribute('aria-label', `Retry sending: ${truncate(it.body || 'attachment', 40)}`);
  }
  return li;
}

/** sending (clock), sent ✓, delivered ✓✓, read ✓✓ coloured; a failed message says why in the row below. */
function renderTicks(li, p, receipt) {
  li.dataset.receipt = receipt;
  if (p.receipt === receipt) return;
  p.receipt = receipt;
  p.status.dataset.status = receipt;
  p.status.dataset.receipt = receipt;
  const icon = receipt === 'delivered' || receipt === 'read' ? ICONS.double : ICONS[receipt] || '';
  p.icon.innerHTML = icon;
  p.label.textContent = LABELS[receipt] ?? '';
  p.status.title = LABELS[receipt] ?? '';
}

/** A membership event: "alice added bob", centred, no bubble. */
export function systemNode(key, it) {
  let li = app.messageNodes.get(key);
  if (!li) {
    li = el('li', 'system-line', 'system-message');
    li.append(document.createElement('span'));
    app.messageNodes.set(key, li);
  }
  li.dataset.kind = it.kind;
  if (it.messageId) li.dataset.messageId = it.messageId;
  if (it.order) li.dataset.order = it.order;
  setText(li.firstChild, systemText(it, app.store.me));
  return li;
}
