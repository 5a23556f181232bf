// Typing (API v1): `typing` at most every 3 s while the user types; a peer's "typing…" shows for 5 s after
// their last frame, or until their message arrives.

import { app } from './session.js';
import { ui } from './ui.js';
import { scheduleRender } from './render.js';

const SEND_EVERY_MS = 3000;
const SHOW_FOR_MS = 5000;

/** The composer changed: tell the peer, at most every 3 s. */
export function noteComposerInput() {
  const id = app.openId;
  if (!id || !app.conn?.isOpen || !ui.input.value.trim()) return;
  // Before its first message the server does not know the conversation (it would answer not_found).
  if (app.store?.conversations.get(id)?.lastMessage?.order == null) return;
  const now = Date.now();
  if (now - (app.typingSentAt.get(id) ?? 0) < SEND_EVERY_MS) return;
  if (app.conn.send({ type: 'typing', conversationId: id })) app.typingSentAt.set(id, now);
}

/** After a send the next keystroke is news again. */
export function sentMessage(conversationId) {
  app.typingSentAt.delete(conversationId);
}

export function handleTyping(frame) {
  if (typeof frame.conversationId !== 'string' || !frame.userId || frame.userId === app.store.me) return;
  app.typing.set(frame.conversationId, { userId: frame.userId, until: Date.now() + SHOW_FOR_MS });
  scheduleExpiry();
  scheduleRender();
}

export function stopTyping(conversationId, userId) {
  const t = app.typing.get(conversationId);
  if (t && t.userId === userId) {
    app.typing.delete(conversationId);
    scheduleRender();
  }
}

/** Who is typing in a conversation right now, or null. */
export function typingIn(conversationId) {
  const t = app.typing.get(conversationId);
  return t && t.until > Date.now() ? t.userId : null;
}

function scheduleExpiry() {
  clearTimeout(app.timers.typing);
  app.timers.typing = null;
  let next = Infinity;
  for (const t of app.typing.values()) next = Math.min(next, t.until);
  if (next === Infinity) return;
  app.timers.typing = setTimeout(() => {
    const now = Date.now();
    for (const [id, t] of app.typing) if (t.until <= now) app.typing.delete(id);
    scheduleRender();
    scheduleExpiry();
  }, Math.max(0, next - Date.now()) + 20);
}
