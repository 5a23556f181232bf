// Presence (API v1): `watch` the peers of the listed conversations (the open one first), take `presence` frames,
// and ask GET presence when a conversation opens. The header says "online" or "last seen …".

import { app, api } from './session.js';
import { lastSeenLabel } from './format.js';
import { scheduleRender } from './render.js';

const MAX_WATCHED = 200;

/** Sends the watch list when it changed; called after every render. */
export function updateWatch() {
  const store = app.store;
  if (!store || !app.synced || !app.conn?.isOpen) return;
  // Only conversations with a stored message: the server shows presence only to users who share one, so a
  // conversation's first message changes the list and the watch is sent again.
  const shared = (c) => !!c?.peer && c.lastMessage?.order != null;
  const peers = [];
  const open = app.openId ? store.conversations.get(app.openId) : null;
  if (shared(open)) peers.push(open.peer);
  for (const c of store.sortedConversations()) {
    if (peers.length >= MAX_WATCHED) break;
    if (shared(c) && !peers.includes(c.peer)) peers.push(c.peer);
  }
  const key = [...peers].sort().join(',');
  if (key === app.watchKey) return;
  if (app.conn.send({ type: 'watch', userIds: peers })) app.watchKey = key;
}

export function handlePresence(frame) {
  if (typeof frame.userId !== 'string') return;
  app.presence.set(frame.userId, { online: frame.online === true, lastSeen: frame.lastSeen ?? null });
  scheduleRender();
}

export async function fetchPresence(userId) {
  const store = app.store;
  try {
    const p = await api.presence(userId);
    if (app.store !== store || !p || typeof p.online !== 'boolean') return;
    app.presence.set(userId, { online: p.online, lastSeen: p.lastSeen ?? null });
    scheduleRender();
  } catch { /* not visible yet (no shared conversation) or offline: the header stays quiet */ }
}

/** { state: 'online' | 'offline' | 'unknown', text } for a header. */
export function presenceOf(userId) {
  const p = app.presence.get(userId);
  if (!p) return { state: 'unknown', text: '' };
  if (p.online) return { state: 'online', text: 'online' };
  return { state: 'offline', text: p.lastSeen ? `last seen ${lastSeenLabel(p.lastSeen)}` : 'offline' };
}
