// Receipt markers (API v1): each participant's `delivered` and `read` order in a conversation. They only move
// forward; a message of mine whose order is ≤ the peer's marker shows as delivered / read. Pure data, no DOM.
// In a group every other member has their own markers: my message is delivered once every other member who got
// it has delivered it, and read once every one of them has read it (as WhatsApp's ticks in groups).

import { isAfter } from './store.js';
import { isMembershipKind } from './groups.js';

/** Takes the peer's markers from a Conversation's `receipts`. */
export function applySnapshotReceipts(store, s) {
  for (const r of Array.isArray(s.receipts) ? s.receipts : []) {
    if (r && typeof r.userId === 'string') applyReceipt(store, s.conversationId, r.userId, r.delivered, r.read);
  }
}

/** A marker of `userId` moved. Returns the conversation, or null when this client does not know it. */
export function applyReceipt(store, conversationId, userId, delivered, read) {
  const c = store.conversations.get(conversationId);
  if (!c) return null;
  if (userId === store.me) {
    // My read marker moved on another device: fewer (or no) unread messages here.
    if (isAfter(read, c.readUpTo)) {
      c.readUpTo = read;
      c.unreadCount = Math.min(c.unreadCount, countUnreadAfter(store, c, read));
    }
    return c;
  }
  if (c.group) {
    const m = c.memberMarkers.get(userId) || { delivered: null, read: null };
    if (isAfter(delivered, m.delivered)) m.delivered = delivered;
    if (isAfter(read, m.read)) m.read = read;
    if (isAfter(m.read, m.delivered)) m.delivered = m.read;
    c.memberMarkers.set(userId, m);
    return c;
  }
  if (isAfter(delivered, c.peerDelivered)) c.peerDelivered = delivered;
  if (isAfter(read, c.peerRead)) c.peerRead = read;
  if (isAfter(c.peerRead, c.peerDelivered)) c.peerDelivered = c.peerRead;
  return c;
}

/** The peer's messages this client knows of that sort after `marker`. */
function countUnreadAfter(store, c, marker) {
  const seen = new Set();
  for (const i of [...c.items.values(), c.lastMessage]) {
    if (i && i.from !== store.me && !isMembershipKind(i.kind) && isAfter(i.order, marker)) seen.add(i.messageId || i.key);
  }
  return seen.size;
}

/** What the ticks of my message say: sending, failed, sent, delivered or read. */
export function receiptOf(c, item) {
  if (item.status === 'sending' || item.status === 'failed') return item.status;
  if (item.order === null || item.order === undefined) return 'sent';
  if (c.group) return groupReceipt(c, item);
  if (!isAfter(item.order, c.peerRead) && c.peerRead != null) return 'read';
  if (!isAfter(item.order, c.peerDelivered) && c.peerDelivered != null) return 'delivered';
  return 'sent';
}

/** The other members my message went to: the members now (or, before the group is loaded, whoever has markers),
 *  without those added after it (they never got it). */
function recipientsOf(c, item) {
  const members = c.group.members ? c.group.members.map((m) => m.userId) : [...c.memberMarkers.keys()];
  const addedLater = new Set();
  for (const i of c.items.values()) {
    if (i.kind === 'member_added' && i.subject && isAfter(i.order, item.order)) addedLater.add(i.subject);
  }
  return members.filter((u) => u !== item.from && !addedLater.has(u));
}

function groupReceipt(c, item) {
  const recipients = recipientsOf(c, item);
  if (recipients.length === 0) return 'sent';
  const reached = (marker) => marker != null && !isAfter(item.order, marker);
  const marks = recipients.map((u) => c.memberMarkers.get(u) || { delivered: null, read: null });
  if (marks.every((m) => reached(m.read))) return 'read';
  if (marks.every((m) => reached(m.delivered))) return 'delivered';
  return 'sent';
}
