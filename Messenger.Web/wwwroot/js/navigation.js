// Which conversation is open: the URL hash (#/c/<conversationId>) is the truth, so Back works.

import { app } from './session.js';
import { ui, phoneQuery } from './ui.js';
import { renderConversationList } from './conversation-list.js';
import { renderChat } from './chat-view.js';
import { loadInitialHistory } from './history.js';
import { markReadIfViewing } from './receipts.js';
import { fetchPresence } from './presence.js';
import { isGroupId } from './groups.js';
import { refreshGroup } from './group-sync.js';

export function peerFromId(id) {
  const m = /^dm:([^:]+):([^:]+)$/.exec(id || '');
  if (!m || !app.store) return null;
  if (m[1] === app.store.me) return m[2];
  if (m[2] === app.store.me) return m[1];
  return null;
}

export function navigate(id) {
  const target = id ? `#/c/${encodeURIComponent(id)}` : '#/';
  if (location.hash !== target) location.hash = target;
  else applyRoute();
}

export function applyRoute() {
  if (!app.store) return;
  const m = /^#\/c\/(.+)$/.exec(location.hash);
  if (m) {
    let id = '';
    try { id = decodeURIComponent(m[1]); } catch { id = ''; }
    const peer = peerFromId(id);
    if (peer || isGroupId(id)) {
      openConversation(id, peer);
      return;
    }
  }
  closeConversation();
}

function openConversation(id, peer) {
  const c = app.store.ensureConversation(id, peer);
  const changed = app.openId !== id;
  app.openId = id;
  if (changed) app.groupPanel = { open: false, renaming: false, leaving: false, busy: false };
  ui.appView.dataset.pane = 'chat';
  renderConversationList();
  renderChat({ reset: changed });
  if (!c.historyLoaded && !c.loadingInitial) loadInitialHistory(c);
  markReadIfViewing();
  // A group's members and roles are fetched each time it opens; a 1:1 shows the peer's presence.
  if (changed && c.group) refreshGroup(c, 0);
  else if (changed) fetchPresence(peer);
  if (changed && !phoneQuery.matches) ui.input.focus({ preventScroll: true });
}

function closeConversation() {
  const wasOpen = app.openId;
  app.openId = null;
  app.groupPanel.open = false;
  ui.appView.dataset.pane = 'list';
  renderConversationList();
  renderChat({ reset: true });
  if (wasOpen) {
    const node = app.convNodes.get(wasOpen);
    node?.querySelector('button')?.focus({ preventScroll: false });
  }
}
