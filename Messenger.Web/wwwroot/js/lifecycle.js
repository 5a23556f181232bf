// Starting the app after sign-in, the first page of conversations, and the socket's states.

import { app, api } from './session.js';
import { ui } from './ui.js';
import { Connection } from './connection.js';
import { Store } from './store.js';
import { paintAvatar } from './format.js';
import { errorText, toast } from './notices.js';
import { handleFrame } from './frames.js';
import { failInFlight } from './outbox.js';
import { applyRoute } from './navigation.js';
import { renderConversationList, CONVERSATION_PAGE } from './conversation-list.js';
import { renderChat } from './chat-view.js';
import { markReadIfViewing } from './receipts.js';
import { scheduleRender } from './render.js';

export function startApp() {
  const myStore = new Store(app.session.userId);
  app.store = myStore;
  app.openId = null;
  app.synced = false;
  app.syncedOnce = false;
  ui.authView.hidden = true;
  ui.appView.hidden = false;
  ui.meName.textContent = app.session.userId;
  paintAvatar(ui.meAvatar, app.session.userId);

  const myConn = new Connection({
    url: () => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws?access_token=${encodeURIComponent(app.session.token)}`,
    onFrame: (frame) => { if (app.conn === myConn) handleFrame(frame); },
    onState: (state, info) => { if (app.conn === myConn) handleConnState(state, info); },
    onHandshakeFailed: (attempt) => {
      // A refused upgrade looks like any network failure; check the token now and then.
      if (app.conn === myConn && attempt % 3 === 1) api.conversations(0, 1).catch(() => {});
    },
  });
  app.conn = myConn;
  setConnStatus('connecting', {});
  renderConversationList();
  renderChat({ reset: true });
  applyRoute();
  loadInitialConversations(myStore, 0);
}

async function loadInitialConversations(myStore, attempt) {
  try {
    const res = await api.conversations(0, CONVERSATION_PAGE);
    if (app.store !== myStore) return;
    const list = Array.isArray(res?.conversations) ? res.conversations : [];
    myStore.addSnapshot(list, true);
    myStore.conversationsOffset = list.length;
    myStore.moreConversations = list.length === CONVERSATION_PAGE;
    renderConversationList();
    if (app.openId) renderChat({});
    markReadIfViewing();
    app.conn.start();
  } catch (e) {
    if (app.store !== myStore || e.code === 'unauthorized') return;
    setConnStatus('offline', { banner: 'Can’t load your conversations. Retrying…' });
    toast(`Couldn't load your conversations: ${errorText(e)}`, { key: 'conv-load' });
    const cap = Math.min(30000, 1000 * 2 ** attempt);
    app.timers.convLoad = setTimeout(() => loadInitialConversations(myStore, attempt + 1), cap / 2 + Math.random() * cap / 2);
  }
}

function handleConnState(state, info) {
  if (!app.store) return;
  app.synced = false;
  if (state === 'connecting') {
    setConnStatus('connecting', {});
  } else if (state === 'open') {
    // A new socket: its watch list is empty and a `received` sent on the old one may have been lost.
    app.watchKey = '';
    app.receivedUpTo = 0;
    setConnStatus('connecting', { text: 'Syncing…' });
    // Ask for everything after the last gap-free inbox position we hold.
    app.conn.send({ type: 'sync', after: app.store.watermark });
  } else {
    failInFlight('connection');
    setConnStatus('offline', info || {});
    // What we knew of others' presence and typing is stale without a socket; the next watch brings it back.
    app.presence.clear();
    app.typing.clear();
    scheduleRender();
  }
}

export function setConnStatus(state, info) {
  const text = info.text || (state === 'online' ? 'Online' : state === 'connecting' ? 'Connecting…' : 'Offline');
  ui.connStatus.dataset.state = state;
  ui.connStatus.querySelector('.conn-text').textContent = text;
  ui.banner.hidden = state !== 'offline';
  ui.banner.dataset.state = state;
  if (state === 'offline') {
    ui.bannerText.textContent = info.banner || (info.waitingForNetwork
      ? 'You’re offline. Messages will catch up when the network is back.'
      : 'Connection lost. Reconnecting…');
    ui.reconnectButton.hidden = !!info.waitingForNetwork || !!info.banner;
  }
}
