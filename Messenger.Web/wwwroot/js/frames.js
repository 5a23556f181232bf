// Frames from the server (API.md "WebSocket" and v1): each goes to the section that owns it.

import { app } from './session.js';
import { toast, errorText } from './notices.js';
import { expireSession } from './auth.js';
import { setConnStatus } from './lifecycle.js';
import { clearAck, failItem } from './outbox.js';
import { scheduleRender } from './render.js';
import { handleReceipt, isViewing, markRead, markReadIfViewing, refreshReceipts, scheduleReceived } from './receipts.js';
import { handleTyping, stopTyping } from './typing.js';
import { handlePresence } from './presence.js';
import { isMembershipKind } from './groups.js';
import { refreshGroup } from './group-sync.js';

export function handleFrame(frame) {
  if (!app.store) return;
  switch (frame.type) {
    case 'message':
      handleIncoming(frame.message);
      break;
    case 'synced':
      handleSynced(frame);
      break;
    case 'sent':
      handleSent(frame);
      break;
    case 'receipt':
      handleReceipt(frame);
      break;
    case 'typing':
      handleTyping(frame);
      break;
    case 'presence':
      handlePresence(frame);
      break;
    case 'error':
      handleErrorFrame(frame);
      break;
    default:
      break; // pong and anything newer
  }
}

function handleSynced(frame) {
  app.store.synced(frame.seq);
  app.synced = true;
  setConnStatus('online', {});
  markReadIfViewing();
  scheduleReceived();
  // After a reconnect the receipt frames sent while away are lost: the Conversations carry the markers.
  if (app.syncedOnce) refreshReceipts();
  app.syncedOnce = true;
  scheduleRender();
}

function handleIncoming(msg) {
  const r = app.store.ingest(msg, 'live');
  if (!r) return;
  if (r.isNew && r.conversation.group && isMembershipKind(msg.kind)) refreshGroup(r.conversation);
  else if (r.isNew && msg.from !== app.store.me) {
    stopTyping(r.conversation.id, msg.from);
    if (isViewing(r.conversation.id)) markRead(r.conversation);
  }
  scheduleReceived();
  scheduleRender();
}

function handleSent(frame) {
  clearAck(frame.clientMessageId);
  const r = app.store.applySent(frame);
  if (r) scheduleRender();
}

function handleErrorFrame(frame) {
  if (frame.clientMessageId) {
    const item = app.store.findMine(frame.clientMessageId);
    if (item && item.status !== 'sent') failItem(item, frame.code, frame.message);
    // Refused in a group: maybe I was removed; the group says.
    if (item && frame.code === 'forbidden') refreshGroup(app.store.conversations.get(item.conversationId));
    return;
  }
  if (frame.code === 'unauthorized') {
    expireSession();
    // The socket is closed (1008); after a password change it reconnects with the new token.
    return;
  }
  toast(frame.message || errorText({ code: frame.code }), { key: `frame-${frame.code}` });
}
