// Typing (API v1): `typing` at most every 3 s while the user types; a peer's "typing…" shows for 5 s after
// their last frame, or until their message arrives. In a group several members may type at once: each is held
// apart, and a member who is no longer in the group sends nothing.

import { app } from './session.js';
import { ui } from './ui.js';
import { scheduleRender } from './render.js';
import { canSendIn } from './groups.js';

const SEND_EVERY_MS = 3000;
const SHOW_FOR_MS = 5000;

/** The composer changed: tell the peer, at most every 3 s. */
export function noteComposerInput() {
  const id = app.openId;
  if (!id || !app.conn?.isOpen || !ui.input.value.trim()) return;
  // Before its first message the server does not know the conversation (it would answer not_found).
  const c = app.store?.conversations.get(id);
  if (c?.lastMessage?.order == null || !canSendIn(c)) return;
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
  let typers = app.typing.get(frame.conversationId);
  if (!typers) app.typing.set(frame.conversationId, typers = new Map());
  typers.set(frame.userId, Date.now() + SHOW_FOR_MS);
  scheduleExpiry();
  scheduleRender();
}

export function stopTyping(conversationId, userId) {
  const typers = app.typing.get(conversationId);
  if (typers && typers.delete(userId)) {
    if (typers.size === 0) app.typing.delete(conversationId);
    scheduleRender();
  }
}

/** Who is typing in a conversation right now (in the order they started), or null when nobody. */
export function typingIn(conversationId) {
  const typers = app.typing.get(conversationId);
  if (!typers) return null;
  const now = Date.now();
  const who = [...typers].filter(([, until]) => until > now).map(([userId]) => userId);
  return who.length > 0 ? who : null;
}

function scheduleExpiry() {
  clearTimeout(app.timers.typing);
  app.timers.typing = null;
  let next = Infinity;
  for (const typers of app.typing.values()) for (const until of typers.values()) next = Math.min(next, until);
  if (next === Infinity) return;
  app.timers.typing = setTimeout(() => {
    const now = Date.now();
    for (const [id, typers] of app.typing) {
      for (const [userId, until] of typers) if (until <= now) typers.delete(userId);
      if (typers.size === 0) app.typing.delete(id);
    }
    scheduleRender();
    scheduleExpiry();
  }, Math.max(0, next - Date.now()) + 20);
}
