// Sending: a message is shown at once ("sending…"), sent over the socket (or HTTP when there is none) with its
// clientMessageId, and becomes "sent" on the ack; it fails visibly on an error or a missing ack, and Retry sends
// the same clientMessageId again (idempotent on the server).

import { app, api } from './session.js';
import { ui, autosizeInput } from './ui.js';
import { utf8Length } from './format.js';
import { sendErrorText, toast } from './notices.js';
import { flushRender, scheduleRender } from './render.js';
import { draftState, takeDraft } from './attachments.js';
import { sentMessage } from './typing.js';
import { canSendIn } from './groups.js';
import { refreshGroup } from './group-sync.js';

const MAX_BODY_BYTES = 4096;
const ACK_TIMEOUT_MS = 15000;

export function transmit(item) {
  clearAck(item.clientMessageId);
  item.status = 'sending';
  item.error = null;
  app.store.unacked.set(item.clientMessageId, item);
  const attachmentIds = (item.attachments || []).map((a) => a.attachmentId);
  const frame = { type: 'send', clientMessageId: item.clientMessageId, to: item.to, body: item.body };
  if (attachmentIds.length > 0) frame.attachments = attachmentIds;
  if (app.conn && app.conn.isOpen && app.conn.send(frame)) {
    item.via = 'ws';
    app.ackTimers.set(item.clientMessageId, setTimeout(() => {
      app.ackTimers.delete(item.clientMessageId);
      failItem(item, 'timeout');
    }, ACK_TIMEOUT_MS));
  } else {
    // No socket right now: the same idempotent send over HTTP.
    item.via = 'http';
    const myStore = app.store;
    api.send(item.clientMessageId, item.to, item.body, attachmentIds)
      .then((sent) => {
        if (app.store !== myStore || !sent) return;
        myStore.applySent({ ...sent, clientMessageId: item.clientMessageId });
        scheduleRender();
      })
      .catch((e) => {
        if (app.store !== myStore || item.via !== 'http') return;
        failItem(item, e.code, e.message);
        if (e.code === 'forbidden') refreshGroup(myStore.conversations.get(item.conversationId));
      });
  }
  scheduleRender();
}

export function clearAck(clientMessageId) {
  const t = app.ackTimers.get(clientMessageId);
  if (t) clearTimeout(t);
  app.ackTimers.delete(clientMessageId);
}

export function failItem(item, code, message) {
  if (item.status !== 'sending') return;
  clearAck(item.clientMessageId);
  item.status = 'failed';
  item.error = code || 'error';
  scheduleRender();
  toast(sendErrorText(code, message), { key: 'send-failed' });
}

export function failInFlight(code) {
  if (!app.store) return;
  for (const item of app.store.unacked.values()) {
    if (item.status === 'sending' && item.via === 'ws') failItem(item, code);
  }
}

export function sendCurrent() {
  const c = app.openId && app.store ? app.store.conversations.get(app.openId) : null;
  if (!c || !canSendIn(c)) return;
  const body = ui.input.value.trim();
  const draft = draftState(c.id);
  if (draft.uploading > 0) {
    toast('Wait for the upload to finish, then send.', { kind: 'info', key: 'uploading' });
    return;
  }
  if (!body && draft.ready === 0) return;
  const bytes = utf8Length(body);
  if (bytes > MAX_BODY_BYTES) {
    toast(`That message is too long (${bytes.toLocaleString()} of ${MAX_BODY_BYTES.toLocaleString()} bytes).`, { key: 'too-large' });
    return;
  }
  // A group is addressed by its conversation id, a 1:1 by the peer.
  const item = app.store.createPending(c.id, c.group ? c.id : c.peer, body, takeDraft(c.id));
  ui.input.value = '';
  autosizeInput();
  sentMessage(c.id);
  transmit(item);
  flushRender({ scrollToBottom: true });
}

export function retry(clientMessageId) {
  const item = app.store?.findMine(clientMessageId);
  if (!item || item.status !== 'failed') return;
  transmit(item);
  ui.input.focus();
}
