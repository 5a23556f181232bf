// Receipts (API v1): this device tells the server what it holds (`received`, coalesced) and what the user has
// seen (`read`, while the conversation is on screen and the tab visible); the peer's markers come back as
// `receipt` frames and, after a reconnect, from the Conversations' `receipts`.

import { app, api } from './session.js';
import { ui } from './ui.js';
import { applyReceipt, applySnapshotReceipts } from './markers.js';
import { scheduleRender } from './render.js';
import { CONVERSATION_PAGE } from './conversation-list.js';

const RECEIVED_DELAY_MS = 250;

export function isViewing(id) {
  return app.openId === id && document.visibilityState === 'visible' && !ui.appView.hidden;
}

export function markReadIfViewing() {
  if (!app.store || !app.openId || !isViewing(app.openId)) return;
  const c = app.store.conversations.get(app.openId);
  if (c) markRead(c);
}

export function markRead(c) {
  if (c.unreadCount <= 0) return;
  c.unreadCount = 0;
  const store = app.store;
  const upTo = store.newestOrder(c);
  if (upTo && (c.readUpTo === null || c.readUpTo === undefined || upTo > c.readUpTo)) {
    const previous = c.readUpTo;
    c.readUpTo = upTo;
    if (!(app.conn && app.conn.send({ type: 'read', conversationId: c.id, upTo }))) {
      api.read(c.id, upTo).catch(() => { if (app.store === store && c.readUpTo === upTo) c.readUpTo = previous; });
    }
  }
  scheduleRender();
}

/** Acknowledges, shortly after a burst of message frames, every inbox seq this device holds without a gap. */
export function scheduleReceived() {
  if (app.timers.received) return;
  app.timers.received = setTimeout(() => {
    app.timers.received = null;
    const store = app.store;
    if (!store || !app.conn?.isOpen) return;
    const upTo = store.watermark;
    if (upTo > app.receivedUpTo && app.conn.send({ type: 'received', upTo })) app.receivedUpTo = upTo;
  }, RECEIVED_DELAY_MS);
}

export function handleReceipt(frame) {
  if (typeof frame.conversationId !== 'string' || typeof frame.userId !== 'string') return;
  const c = applyReceipt(app.store, frame.conversationId, frame.userId, frame.delivered ?? null, frame.read ?? null);
  if (c) scheduleRender();
}

/** Re-reads the markers of the first page of conversations (receipt frames missed while offline). */
export async function refreshReceipts() {
  const store = app.store;
  try {
    const res = await api.conversations(0, Math.min(100, Math.max(CONVERSATION_PAGE, store.conversationsOffset)));
    if (app.store !== store) return;
    for (const s of Array.isArray(res?.conversations) ? res.conversations : []) applySnapshotReceipts(store, s);
    scheduleRender();
  } catch { /* the next reconnect tries again; live frames keep coming meanwhile */ }
}
