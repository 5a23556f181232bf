// Client-side state: conversations, their messages (keyed, deduplicated) and the inbox
// sequence watermark used by `sync`. Pure data, no DOM.

import { applySnapshotReceipts } from './markers.js';
import { applyGroupSummary, applyMembershipEvent, isGroupId, isMembershipKind, newGroupState } from './groups.js';

/** Ordinal string comparison (same as .NET's StringComparer.Ordinal for these strings). */
export function compareOrder(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;   // unconfirmed sorts last
  if (b === null || b === undefined) return -1;
  return a < b ? -1 : 1;
}

/** a is a real order greater than b (b may be unset). */
export function isAfter(a, b) {
  if (a === null || a === undefined) return false;
  return b === null || b === undefined || a > b;
}

export function dmId(a, b) {
  return a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`;
}

export function newClientMessageId() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; getRandomValues does not.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function attachmentsOf(msg) {
  return Array.isArray(msg.attachments) ? msg.attachments.filter((a) => a && typeof a.attachmentId === 'string') : [];
}

function parseTime(s) {
  const t = s ? Date.parse(s) : NaN;
  return Number.isFinite(t) ? t : 0;
}

export class Store {
  constructor(me) {
    this.me = me;
    /** @type {Map<string, any>} */
    this.conversations = new Map();
    /** messageId -> item */
    this.byMessageId = new Map();
    /** clientMessageId -> my item that is not acknowledged yet */
    this.unacked = new Map();
    /** every seq up to here is held (or covered by the initial snapshot) */
    this.watermark = 0;
    this.seqsAbove = new Set();
    this.conversationsOffset = 0;
    this.moreConversations = false;
    /** Counts up: creation order of items (unconfirmed ones sort by it). */
    this.localCounter = 0;
  }

  /** The other user of a 1:1 conversation; null in a group. */
  peerOf(msg) {
    if (isGroupId(msg.conversationId) || isGroupId(msg.to)) return null;
    return msg.from === this.me ? msg.to : msg.from;
  }

  ensureConversation(id, peer) {
    const group = isGroupId(id);
    if (group) peer = null;
    let c = this.conversations.get(id);
    if (!c) {
      c = {
        id,
        peer,
        // Groups (API v2): name, members, roles, my membership; every other member's receipt markers.
        group: group ? newGroupState() : null,
        memberMarkers: new Map(),
        lastMessage: null,
        unreadCount: 0,
        activity: 0,
        items: new Map(),
        historyLoaded: false,
        loadingInitial: false,
        loadingOlder: false,
        historyError: null,
        nextBefore: null,
        readUpTo: null,
        // The peer's receipt markers (API v1): my messages up to these orders are delivered / read.
        peerDelivered: null,
        peerRead: null,
      };
      this.conversations.set(id, c);
    }
    if (!c.peer && peer) c.peer = peer;
    return c;
  }

  /** Adds conversations from GET /api/conversations; raises the seq watermark to the snapshot. */
  addSnapshot(list, initial) {
    for (const s of list) {
      if (!initial && this.conversations.has(s.conversationId)) continue;
      const peer = s.peer || (s.lastMessage ? this.peerOf(s.lastMessage) : '');
      const c = this.ensureConversation(s.conversationId, peer);
      if (c.group) applyGroupSummary(c, s.group);
      if (s.lastMessage && (!c.lastMessage || (c.lastMessage.order != null
          && compareOrder(s.lastMessage.order, c.lastMessage.order) >= 0))) {
        c.lastMessage = { ...s.lastMessage, key: this.keyOf(s.lastMessage), status: s.lastMessage.from === this.me ? 'sent' : null };
      }
      c.unreadCount = Number(s.unreadCount) || 0;
      applySnapshotReceipts(this, s);
      c.activity = Math.max(c.activity, parseTime(s.updatedAt || s.lastMessage?.sentAt));
      if (initial && s.lastMessage && Number.isInteger(s.lastMessage.seq) && s.lastMessage.seq > this.watermark) {
        this.watermark = s.lastMessage.seq;
        this.trimSeqs();
      }
    }
  }

  /** Conversations, most recent activity first. */
  sortedConversations() {
    return [...this.conversations.values()].sort((a, b) => b.activity - a.activity || (a.id < b.id ? -1 : 1));
  }

  totalUnread() {
    let n = 0;
    for (const c of this.conversations.values()) n += c.unreadCount;
    return n;
  }

  // ---- seq tracking ------------------------------------------------------------

  /** Records an inbox seq; false when it is already held (the message must be ignored). */
  noteSeq(seq) {
    if (!Number.isInteger(seq)) return true;
    if (seq <= this.watermark || this.seqsAbove.has(seq)) return false;
    this.seqsAbove.add(seq);
    this.trimSeqs();
    return true;
  }

  /** A sync finished: everything up to seq has been delivered on this connection. */
  synced(seq) {
    if (Number.isInteger(seq) && seq > this.watermark) {
      this.watermark = seq;
    }
    this.trimSeqs();
  }

  trimSeqs() {
    for (const s of this.seqsAbove) if (s <= this.watermark) this.seqsAbove.delete(s);
    while (this.seqsAbove.has(this.watermark + 1)) {
      this.seqsAbove.delete(this.watermark + 1);
      this.watermark++;
    }
  }

  /** Highest seq held (for diagnostics); sync uses the gap-free watermark. */
  highestSeq() {
    let max = this.watermark;
    for (const s of this.seqsAbove) if (s > max) max = s;
    return max;
  }

  // ---- messages ----------------------------------------------------------------

  keyOf(msg) {
    return msg.clientMessageId ? `${msg.from}|${msg.clientMessageId}` : `id|${msg.messageId}`;
  }

  /**
   * Merges a server Message. source: 'live' (message frame, incl. sync) or 'history'.
   * Returns { conversation, item, isNew } or null when ignored as a duplicate seq.
   */
  ingest(msg, source) {
    if (!msg || !msg.conversationId || !msg.messageId) return null;
    if (source === 'live' && !this.noteSeq(msg.seq)) return null;

    const c = this.ensureConversation(msg.conversationId, this.peerOf(msg));
    let item = this.byMessageId.get(msg.messageId) || c.items.get(this.keyOf(msg));
    let isNew = false;
    if (item) {
      item.messageId = msg.messageId;
      item.order = msg.order;
      item.sentAt = msg.sentAt;
      item.body = msg.body;
      item.attachments = attachmentsOf(msg);
      item.kind = msg.kind ?? item.kind ?? null;
      item.subject = msg.subject ?? item.subject ?? null;
      if (Number.isInteger(msg.seq)) item.seq = msg.seq;
    } else {
      item = {
        key: this.keyOf(msg),
        clientMessageId: msg.clientMessageId,
        messageId: msg.messageId,
        conversationId: msg.conversationId,
        from: msg.from,
        to: msg.to,
        body: msg.body,
        attachments: attachmentsOf(msg),
        kind: msg.kind ?? null,
        subject: msg.subject ?? null,
        sentAt: msg.sentAt,
        order: msg.order,
        seq: msg.seq,
        status: msg.from === this.me ? 'sent' : null,
        error: null,
        local: ++this.localCounter,
      };
      c.items.set(item.key, item);
      isNew = true;
    }
    this.byMessageId.set(msg.messageId, item);
    this.bump(c, item);
    if (c.group) applyMembershipEvent(c, msg, this.me);

    // Membership events neither count as unread nor move a read marker (the actor's own included).
    if (source === 'live' && isNew && !isMembershipKind(msg.kind)) {
      if (msg.from === this.me) {
        // Sending moves my read marker to the newest message.
        c.unreadCount = 0;
        if (isAfter(msg.order, c.readUpTo)) c.readUpTo = msg.order;
      } else {
        c.unreadCount += 1;
      }
    }
    return { conversation: c, item, isNew };
  }

  bump(c, item) {
    const last = c.lastMessage;
    if (!last || last.key === item.key || item.order === undefined || item.order === null
        || (last.order !== null && last.order !== undefined && compareOrder(item.order, last.order) >= 0)) {
      c.lastMessage = item;
    }
    const t = item.sentAt ? parseTime(item.sentAt) : Date.now();
    c.activity = Math.max(c.activity, t || Date.now());
  }

  createPending(conversationId, to, body, attachments = []) {
    const c = this.ensureConversation(conversationId, to);
    const clientMessageId = newClientMessageId();
    const item = {
      key: `${this.me}|${clientMessageId}`,
      clientMessageId,
      messageId: null,
      conversationId,
      from: this.me,
      to,
      body,
      attachments,
      sentAt: null,
      order: null,
      seq: null,
      status: 'sending',
      error: null,
      local: ++this.localCounter,
      createdAt: Date.now(),
    };
    c.items.set(item.key, item);
    this.unacked.set(clientMessageId, item);
    c.lastMessage = item;
    c.activity = Math.max(c.activity, Date.now());
    return item;
  }

  /** Applies a Sent ack (WebSocket `sent` frame or HTTP POST answer). */
  applySent(sent) {
    const item = this.unacked.get(sent.clientMessageId)
      || this.conversations.get(sent.conversationId)?.items.get(`${this.me}|${sent.clientMessageId}`);
    if (!item) return null;
    this.unacked.delete(sent.clientMessageId);
    item.messageId = sent.messageId || item.messageId;
    item.order = sent.order ?? item.order;
    item.sentAt = sent.sentAt ?? item.sentAt;
    item.status = 'sent';
    item.error = null;
    if (item.messageId) this.byMessageId.set(item.messageId, item);
    const c = this.ensureConversation(item.conversationId, item.to);
    this.bump(c, item);
    c.unreadCount = 0;
    if (isAfter(item.order, c.readUpTo)) c.readUpTo = item.order;
    return { conversation: c, item };
  }

  findMine(clientMessageId) {
    const item = this.unacked.get(clientMessageId);
    if (item) return item;
    for (const c of this.conversations.values()) {
      const i = c.items.get(`${this.me}|${clientMessageId}`);
      if (i) return i;
    }
    return null;
  }

  /** Items of a conversation in display order: confirmed by `order`, then unconfirmed by creation. */
  sortedItems(c) {
    return [...c.items.values()].sort((a, b) => compareOrder(a.order, b.order) || a.local - b.local);
  }

  /** The greatest confirmed `order` known in a conversation (what `read` moves the marker to). */
  newestOrder(c) {
    let best = c.lastMessage?.order ?? null;
    for (const i of c.items.values()) {
      if (i.order !== null && i.order !== undefined && (best === null || i.order > best)) best = i.order;
    }
    return best;
  }
}
