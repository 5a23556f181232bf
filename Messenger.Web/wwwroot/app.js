// Messenger browser client. Uses only the client API contract (HTTP + WebSocket /ws).
// User data is always written with textContent, never as HTML.

import { Api } from './js/api.js';
import { wireAccount } from './js/account.js';
import { Connection } from './js/connection.js';
import { Store, compareOrder, dmId } from './js/store.js';
import { dayKey, dayLabel, fullLabel, listTimeLabel, paintAvatar, timeLabel, utf8Length } from './js/format.js';

const SESSION_KEY = 'messenger.session';
const USERNAME_RE = /^[a-z0-9_.-]{3,32}$/;
const MAX_BODY_BYTES = 4096;
const ACK_TIMEOUT_MS = 15000;
const GROUP_GAP_MS = 5 * 60 * 1000;
const PAGE_SIZE = 50;
const CONVERSATION_PAGE = 50;
const LOAD_OLDER_THRESHOLD_PX = 160;
const phoneQuery = window.matchMedia('(max-width: 720px)');

const $ = (id) => document.getElementById(id);
const ui = {
  authView: $('auth-view'),
  authForm: $('auth-form'),
  authUsername: $('auth-username'),
  authPassword: $('auth-password'),
  authError: $('auth-error'),
  signinButton: $('signin-button'),
  signupButton: $('signup-button'),
  appView: $('app-view'),
  banner: $('connection-banner'),
  bannerText: $('connection-banner-text'),
  reconnectButton: $('reconnect-button'),
  meAvatar: $('me-avatar'),
  meName: $('me-name'),
  connStatus: $('connection-status'),
  signoutButton: $('signout-button'),
  newForm: $('new-conversation-form'),
  newInput: $('new-conversation-input'),
  newButton: $('new-conversation-button'),
  newError: $('new-conversation-error'),
  convList: $('conversation-list'),
  convEmpty: $('conversation-empty'),
  convMore: $('conversation-more'),
  chatPlaceholder: $('chat-placeholder'),
  chatOpen: $('chat-open'),
  backButton: $('back-button'),
  chatAvatar: $('chat-avatar'),
  chatPeer: $('chat-peer'),
  scroller: $('message-scroller'),
  historyStatus: $('history-status'),
  messageList: $('message-list'),
  jumpLatest: $('jump-latest'),
  composer: $('composer'),
  input: $('message-input'),
  sendButton: $('send-button'),
  toasts: $('toasts'),
};

/** @type {{userId: string, token: string} | null} */
let session = null;
/** @type {Store | null} */
let store = null;
/** @type {Connection | null} */
let conn = null;
let openId = null;
let synced = false;
let convLoadTimer = null;
let renderTimer = null;
let expiring = false;
/** Sign out (here / everywhere) and password change; `account.renewing` while a password change runs. */
let account = { renewing: false };
const ackTimers = new Map();
const convNodes = new Map();
const messageNodes = new Map();
let renderedConversation = null;

const api = new Api(() => session?.token, () => expireSession());

// ---------------------------------------------------------------------------------
// Session and authentication

function loadSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    if (s && typeof s.token === 'string' && typeof s.userId === 'string') return s;
  } catch { /* ignore */ }
  return null;
}

function showAuth() {
  ui.appView.hidden = true;
  ui.authView.hidden = false;
  document.title = 'Messenger';
  ui.authUsername.focus();
}

function setAuthError(text, field) {
  ui.authError.textContent = text;
  ui.authError.hidden = !text;
  for (const f of [ui.authUsername, ui.authPassword]) f.removeAttribute('aria-invalid');
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

function setAuthBusy(busy) {
  ui.signinButton.disabled = busy;
  ui.signupButton.disabled = busy;
  ui.authForm.setAttribute('aria-busy', busy ? 'true' : 'false');
}

async function authenticate(mode) {
  const username = ui.authUsername.value.trim().toLowerCase();
  const password = ui.authPassword.value;
  if (!USERNAME_RE.test(username)) {
    setAuthError('Usernames are 3–32 characters: letters, digits, _ . or -', ui.authUsername);
    return;
  }
  if (mode === 'signup' && (password.length < 8 || password.length > 256)) {
    setAuthError('Choose a password of at least 8 characters.', ui.authPassword);
    return;
  }
  if (mode === 'signin' && !password) {
    setAuthError('Enter your password.', ui.authPassword);
    return;
  }
  setAuthError('');
  setAuthBusy(true);
  try {
    const res = mode === 'signup' ? await api.signUp(username, password) : await api.signIn(username, password);
    session = { userId: res.userId, token: res.token };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    ui.authPassword.value = '';
    startApp();
  } catch (e) {
    if (e.code === 'unauthorized') setAuthError('Wrong username or password.', ui.authPassword);
    else if (e.code === 'username_taken') setAuthError(`The username “${username}” is taken. Try another, or sign in.`, ui.authUsername);
    else if (e.code === 'invalid_request') setAuthError(e.message || 'Check the username and password.', ui.authUsername);
    else setAuthError(errorText(e));
  } finally {
    setAuthBusy(false);
  }
}

function expireSession() {
  // A password change ends this device's old token too; the new one is on its way.
  if (expiring || !session || account.renewing) return;
  expiring = true;
  signOut();
  setAuthError('Your session has ended. Please sign in again.');
  expiring = false;
}

function signOut() {
  const c = conn;
  conn = null;
  store = null;
  session = null;
  openId = null;
  synced = false;
  renderedConversation = null;
  sessionStorage.removeItem(SESSION_KEY);
  if (c) c.stop();
  clearTimeout(convLoadTimer);
  clearTimeout(renderTimer);
  renderTimer = null;
  for (const t of ackTimers.values()) clearTimeout(t);
  ackTimers.clear();
  convNodes.clear();
  messageNodes.clear();
  ui.convList.replaceChildren();
  ui.messageList.replaceChildren();
  ui.toasts.replaceChildren();
  ui.newInput.value = '';
  setNewConvError('');
  ui.input.value = '';
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  showAuth();
}

// ---------------------------------------------------------------------------------
// Starting the app

function startApp() {
  const myStore = new Store(session.userId);
  store = myStore;
  openId = null;
  synced = false;
  ui.authView.hidden = true;
  ui.appView.hidden = false;
  ui.meName.textContent = session.userId;
  paintAvatar(ui.meAvatar, session.userId);

  const myConn = new Connection({
    url: () => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws?access_token=${encodeURIComponent(session.token)}`,
    onFrame: (frame) => { if (conn === myConn) handleFrame(frame); },
    onState: (state, info) => { if (conn === myConn) handleConnState(state, info); },
    onHandshakeFailed: (attempt) => {
      // A refused upgrade looks like any network failure; check the token now and then.
      if (conn === myConn && attempt % 3 === 1) api.conversations(0, 1).catch(() => {});
    },
  });
  conn = myConn;
  setConnStatus('connecting', {});
  renderConversationList();
  renderChat({ reset: true });
  applyRoute();
  loadInitialConversations(myStore, 0);
}

async function loadInitialConversations(myStore, attempt) {
  try {
    const res = await api.conversations(0, CONVERSATION_PAGE);
    if (store !== myStore) return;
    const list = Array.isArray(res?.conversations) ? res.conversations : [];
    store.addSnapshot(list, true);
    store.conversationsOffset = list.length;
    store.moreConversations = list.length === CONVERSATION_PAGE;
    renderConversationList();
    if (openId) renderChat({});
    markReadIfViewing();
    conn.start();
  } catch (e) {
    if (store !== myStore || e.code === 'unauthorized') return;
    setConnStatus('offline', { banner: 'Can’t load your conversations. Retrying…' });
    toast(`Couldn't load your conversations: ${errorText(e)}`, { key: 'conv-load' });
    const cap = Math.min(30000, 1000 * 2 ** attempt);
    convLoadTimer = setTimeout(() => loadInitialConversations(myStore, attempt + 1), cap / 2 + Math.random() * cap / 2);
  }
}

async function loadMoreConversations() {
  const myStore = store;
  ui.convMore.disabled = true;
  try {
    const res = await api.conversations(store.conversationsOffset, CONVERSATION_PAGE);
    if (store !== myStore) return;
    const list = Array.isArray(res?.conversations) ? res.conversations : [];
    store.addSnapshot(list, false);
    store.conversationsOffset += list.length;
    store.moreConversations = list.length === CONVERSATION_PAGE;
    renderConversationList();
  } catch (e) {
    if (store === myStore) toast(`Couldn't load more conversations: ${errorText(e)}`);
  } finally {
    ui.convMore.disabled = false;
  }
}

// ---------------------------------------------------------------------------------
// WebSocket frames

function handleConnState(state, info) {
  if (!store) return;
  if (state === 'connecting') {
    synced = false;
    setConnStatus('connecting', {});
  } else if (state === 'open') {
    synced = false;
    setConnStatus('connecting', { text: 'Syncing…' });
    // Ask for everything after the last gap-free inbox position we hold.
    conn.send({ type: 'sync', after: store.watermark });
  } else {
    synced = false;
    failInFlight('connection');
    setConnStatus('offline', info || {});
  }
}

function handleFrame(frame) {
  if (!store) return;
  switch (frame.type) {
    case 'message':
      handleIncoming(frame.message);
      break;
    case 'synced':
      store.synced(frame.seq);
      synced = true;
      setConnStatus('online', {});
      markReadIfViewing();
      break;
    case 'sent':
      handleSent(frame);
      break;
    case 'error':
      handleErrorFrame(frame);
      break;
    default:
      break; // pong and anything newer
  }
}

function handleIncoming(msg) {
  const r = store.ingest(msg, 'live');
  if (!r) return;
  if (r.isNew && msg.from !== store.me && isViewing(r.conversation.id)) markRead(r.conversation);
  scheduleRender();
}

function handleSent(frame) {
  clearAck(frame.clientMessageId);
  const r = store.applySent(frame);
  if (r) scheduleRender();
}

function handleErrorFrame(frame) {
  if (frame.clientMessageId) {
    const item = store.findMine(frame.clientMessageId);
    if (item && item.status !== 'sent') failItem(item, frame.code, frame.message);
    return;
  }
  if (frame.code === 'unauthorized') {
    expireSession();
    // The socket is closed (1008); after a password change it reconnects with the new token.
    return;
  }
  toast(frame.message || errorText({ code: frame.code }), { key: `frame-${frame.code}` });
}

// ---------------------------------------------------------------------------------
// Sending

function transmit(item) {
  clearAck(item.clientMessageId);
  item.status = 'sending';
  item.error = null;
  store.unacked.set(item.clientMessageId, item);
  const frame = { type: 'send', clientMessageId: item.clientMessageId, to: item.to, body: item.body };
  if (conn && conn.isOpen && conn.send(frame)) {
    item.via = 'ws';
    ackTimers.set(item.clientMessageId, setTimeout(() => {
      ackTimers.delete(item.clientMessageId);
      failItem(item, 'timeout');
    }, ACK_TIMEOUT_MS));
  } else {
    // No socket right now: the same idempotent send over HTTP.
    item.via = 'http';
    const myStore = store;
    api.send(item.clientMessageId, item.to, item.body)
      .then((sent) => {
        if (store !== myStore || !sent) return;
        store.applySent({ ...sent, clientMessageId: item.clientMessageId });
        scheduleRender();
      })
      .catch((e) => {
        if (store !== myStore || item.via !== 'http') return;
        failItem(item, e.code, e.message);
      });
  }
  scheduleRender();
}

function clearAck(clientMessageId) {
  const t = ackTimers.get(clientMessageId);
  if (t) clearTimeout(t);
  ackTimers.delete(clientMessageId);
}

function failItem(item, code, message) {
  if (item.status !== 'sending') return;
  clearAck(item.clientMessageId);
  item.status = 'failed';
  item.error = code || 'error';
  scheduleRender();
  toast(sendErrorText(code, message), { key: 'send-failed' });
}

function failInFlight(code) {
  if (!store) return;
  for (const item of store.unacked.values()) {
    if (item.status === 'sending' && item.via === 'ws') failItem(item, code);
  }
}

function sendCurrent() {
  const c = openId && store ? store.conversations.get(openId) : null;
  if (!c) return;
  const body = ui.input.value.trim();
  if (!body) return;
  const bytes = utf8Length(body);
  if (bytes > MAX_BODY_BYTES) {
    toast(`That message is too long (${bytes.toLocaleString()} of ${MAX_BODY_BYTES.toLocaleString()} bytes).`, { key: 'too-large' });
    return;
  }
  const item = store.createPending(c.id, c.peer, body);
  ui.input.value = '';
  autosizeInput();
  transmit(item);
  flushRender({ scrollToBottom: true });
}

function retry(clientMessageId) {
  const item = store?.findMine(clientMessageId);
  if (!item || item.status !== 'failed') return;
  transmit(item);
  ui.input.focus();
}

// ---------------------------------------------------------------------------------
// Conversations: open, read, history

function peerFromId(id) {
  const m = /^dm:([^:]+):([^:]+)$/.exec(id || '');
  if (!m || !store) return null;
  if (m[1] === store.me) return m[2];
  if (m[2] === store.me) return m[1];
  return null;
}

function navigate(id) {
  const target = id ? `#/c/${encodeURIComponent(id)}` : '#/';
  if (location.hash !== target) location.hash = target;
  else applyRoute();
}

function applyRoute() {
  if (!store) return;
  const m = /^#\/c\/(.+)$/.exec(location.hash);
  if (m) {
    let id = '';
    try { id = decodeURIComponent(m[1]); } catch { id = ''; }
    const peer = peerFromId(id);
    if (peer) {
      openConversation(id, peer);
      return;
    }
  }
  closeConversation();
}

function openConversation(id, peer) {
  const c = store.ensureConversation(id, peer);
  const changed = openId !== id;
  openId = id;
  ui.appView.dataset.pane = 'chat';
  renderConversationList();
  renderChat({ reset: changed });
  if (!c.historyLoaded && !c.loadingInitial) loadInitialHistory(c);
  markReadIfViewing();
  if (changed && !phoneQuery.matches) ui.input.focus({ preventScroll: true });
}

function closeConversation() {
  const wasOpen = openId;
  openId = null;
  ui.appView.dataset.pane = 'list';
  renderConversationList();
  renderChat({ reset: true });
  if (wasOpen) {
    const node = convNodes.get(wasOpen);
    node?.querySelector('button')?.focus({ preventScroll: false });
  }
}

function isViewing(id) {
  return openId === id && document.visibilityState === 'visible' && !ui.appView.hidden;
}

function markReadIfViewing() {
  if (!store || !openId || !isViewing(openId)) return;
  const c = store.conversations.get(openId);
  if (c) markRead(c);
}

function markRead(c) {
  const hadUnread = c.unreadCount > 0;
  if (!hadUnread) return;
  c.unreadCount = 0;
  const upTo = store.newestOrder(c);
  if (upTo && (c.readUpTo === null || c.readUpTo === undefined || upTo > c.readUpTo)) {
    const previous = c.readUpTo;
    c.readUpTo = upTo;
    if (!(conn && conn.send({ type: 'read', conversationId: c.id, upTo }))) {
      const myStore = store;
      api.read(c.id, upTo).catch(() => { if (store === myStore && c.readUpTo === upTo) c.readUpTo = previous; });
    }
  }
  scheduleRender();
}

async function loadInitialHistory(c) {
  const myStore = store;
  c.loadingInitial = true;
  c.historyError = null;
  if (openId === c.id) renderHistoryStatus(c);
  try {
    const res = await api.messages(c.id, null, PAGE_SIZE);
    if (store !== myStore) return;
    for (const m of res?.messages || []) store.ingest(m, 'history');
    c.nextBefore = res?.nextBefore ?? null;
    c.historyLoaded = true;
  } catch (e) {
    if (store !== myStore) return;
    if (e.code === 'not_found' || e.code === 'forbidden') {
      // A conversation that has no messages yet.
      c.historyLoaded = true;
      c.nextBefore = null;
    } else {
      c.historyError = e;
    }
  } finally {
    c.loadingInitial = false;
  }
  if (store !== myStore) return;
  if (openId === c.id) {
    flushRender({ scrollToBottom: true });
    markReadIfViewing();
    fillViewport(c);
  } else {
    scheduleRender();
  }
}

async function loadOlder(c) {
  if (!c.historyLoaded || c.loadingOlder || !c.nextBefore) return;
  const myStore = store;
  c.loadingOlder = true;
  c.historyError = null;
  renderHistoryStatus(c);
  try {
    const res = await api.messages(c.id, c.nextBefore, PAGE_SIZE);
    if (store !== myStore) return;
    for (const m of res?.messages || []) store.ingest(m, 'history');
    c.nextBefore = res?.nextBefore ?? null;
  } catch (e) {
    if (store !== myStore) return;
    c.historyError = e;
  } finally {
    c.loadingOlder = false;
  }
  if (store !== myStore) return;
  if (openId === c.id) {
    flushRender({ preserveBottom: true });
    fillViewport(c);
  }
}

/** Loads older pages while the history does not fill the pane (so it can scroll). */
function fillViewport(c) {
  if (openId !== c.id || !c.nextBefore || c.historyError) return;
  const sc = ui.scroller;
  if (sc.scrollHeight <= sc.clientHeight + LOAD_OLDER_THRESHOLD_PX) loadOlder(c);
}

function onScroll() {
  updateJumpButton();
  const c = openId && store ? store.conversations.get(openId) : null;
  if (c && ui.scroller.scrollTop < LOAD_OLDER_THRESHOLD_PX && !c.historyError) loadOlder(c);
}

// ---------------------------------------------------------------------------------
// New conversation

function setNewConvError(text) {
  ui.newError.textContent = text;
  ui.newError.hidden = !text;
  if (text) ui.newInput.setAttribute('aria-invalid', 'true');
  else ui.newInput.removeAttribute('aria-invalid');
}

async function startConversation() {
  if (!store) return;
  const name = ui.newInput.value.trim().toLowerCase();
  setNewConvError('');
  if (!name) {
    setNewConvError('Type the username of the person you want to chat with.');
    ui.newInput.focus();
    return;
  }
  if (!USERNAME_RE.test(name)) {
    setNewConvError('Usernames are 3–32 characters: letters, digits, _ . or -');
    ui.newInput.focus();
    return;
  }
  if (name === store.me) {
    setNewConvError('That’s you. Pick someone else to chat with.');
    ui.newInput.focus();
    return;
  }
  const id = dmId(store.me, name);
  const existing = store.conversations.get(id);
  if (existing && existing.lastMessage) {
    ui.newInput.value = '';
    navigate(id);
    return;
  }
  const myStore = store;
  ui.newButton.disabled = true;
  ui.newForm.setAttribute('aria-busy', 'true');
  try {
    await api.getUser(name);
    if (store !== myStore) return;
    ui.newInput.value = '';
    const c = store.ensureConversation(id, name);
    c.activity = Math.max(c.activity, Date.now());
    navigate(id);
  } catch (e) {
    if (store !== myStore) return;
    if (e.code === 'not_found') setNewConvError(`There is no user called “${name}”.`);
    else setNewConvError(errorText(e));
    ui.newInput.focus();
  } finally {
    ui.newButton.disabled = false;
    ui.newForm.setAttribute('aria-busy', 'false');
  }
}

// ---------------------------------------------------------------------------------
// Rendering

function scheduleRender() {
  if (renderTimer !== null) return;
  renderTimer = setTimeout(() => {
    renderTimer = null;
    if (!store) return;
    renderConversationList();
    renderChat({});
  }, 16);
}

function flushRender(opts) {
  clearTimeout(renderTimer);
  renderTimer = null;
  if (!store) return;
  renderConversationList();
  renderChat(opts);
}

function setConnStatus(state, info) {
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

function previewText(c) {
  const m = c.lastMessage;
  if (!m) return 'No messages yet';
  const prefix = m.from === store.me ? 'You: ' : '';
  const body = String(m.body ?? '').replace(/\s+/g, ' ');
  return prefix + body;
}

function renderConversationList() {
  if (!store) return;
  const convs = store.sortedConversations();
  const wanted = new Set();
  const nodes = [];
  for (const c of convs) {
    wanted.add(c.id);
    nodes.push(conversationNode(c));
  }
  reconcile(ui.convList, nodes);
  for (const id of [...convNodes.keys()]) if (!wanted.has(id)) convNodes.delete(id);
  ui.convEmpty.hidden = convs.length > 0;
  ui.convMore.hidden = !store.moreConversations;
  const unread = store.totalUnread();
  document.title = unread > 0 ? `(${unread}) Messenger` : 'Messenger';
}

function conversationNode(c) {
  let li = convNodes.get(c.id);
  if (!li) {
    li = document.createElement('li');
    li.className = 'conv-item';
    li.setAttribute('data-testid', 'conversation-item');
    li.dataset.conversationId = c.id;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'conv-button';
    button.addEventListener('click', () => navigate(c.id));
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    const main = document.createElement('span');
    main.className = 'conv-main';
    const top = document.createElement('span');
    top.className = 'conv-top';
    const name = document.createElement('span');
    name.className = 'conv-name';
    name.setAttribute('data-testid', 'conversation-peer');
    const time = document.createElement('time');
    time.className = 'conv-time';
    top.append(name, time);
    const bottom = document.createElement('span');
    bottom.className = 'conv-bottom';
    const last = document.createElement('span');
    last.className = 'conv-last';
    last.setAttribute('data-testid', 'conversation-last-message');
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.setAttribute('data-testid', 'unread-badge');
    const badgeLabel = document.createElement('span');
    badgeLabel.className = 'visually-hidden';
    bottom.append(last, badge, badgeLabel);
    main.append(top, bottom);
    button.append(avatar, main);
    li.append(button);
    li._parts = { button, avatar, name, time, last, badge, badgeLabel };
    convNodes.set(c.id, li);
  }
  const p = li._parts;
  li.dataset.peer = c.peer;
  li.classList.toggle('active', c.id === openId);
  li.classList.toggle('unread', c.unreadCount > 0);
  if (c.id === openId) p.button.setAttribute('aria-current', 'true');
  else p.button.removeAttribute('aria-current');
  setText(p.name, c.peer);
  if (p.avatar.textContent === '') paintAvatar(p.avatar, c.peer);
  const sentAt = c.lastMessage?.sentAt;
  setText(p.time, sentAt ? listTimeLabel(sentAt) : '');
  if (sentAt) p.time.dateTime = sentAt;
  setText(p.last, previewText(c));
  p.last.dataset.status = c.lastMessage && c.lastMessage.from === store.me ? (c.lastMessage.status || 'sent') : '';
  const n = c.unreadCount;
  p.badge.hidden = n <= 0;
  p.badgeLabel.hidden = n <= 0;
  setText(p.badge, n > 99 ? '99+' : String(n));
  p.badge.dataset.count = String(n);
  setText(p.badgeLabel, n === 1 ? ' 1 unread message' : ` ${n} unread messages`);
  return li;
}

function renderChat(opts) {
  const c = openId && store ? store.conversations.get(openId) : null;
  ui.chatPlaceholder.hidden = !!c;
  ui.chatOpen.hidden = !c;
  if (!c) {
    if (renderedConversation !== null) {
      ui.messageList.replaceChildren();
      messageNodes.clear();
      renderedConversation = null;
    }
    return;
  }
  if (opts.reset || renderedConversation !== c.id) {
    ui.messageList.replaceChildren();
    messageNodes.clear();
    renderedConversation = c.id;
    opts = { ...opts, scrollToBottom: true };
  }
  setText(ui.chatPeer, c.peer);
  paintAvatar(ui.chatAvatar, c.peer);
  ui.chatOpen.dataset.conversationId = c.id;

  const sc = ui.scroller;
  const prevHeight = sc.scrollHeight;
  const prevTop = sc.scrollTop;
  const atBottom = prevHeight - prevTop - sc.clientHeight < 80;

  renderMessages(c);
  renderHistoryStatus(c);

  if (opts.preserveBottom) sc.scrollTop = sc.scrollHeight - (prevHeight - prevTop);
  else if (opts.scrollToBottom || atBottom) sc.scrollTop = sc.scrollHeight;
  updateJumpButton();
}

function itemTime(it) {
  const t = it.sentAt ? Date.parse(it.sentAt) : NaN;
  return Number.isFinite(t) ? t : (it.createdAt || Date.now());
}

function renderMessages(c) {
  const items = store.sortedItems(c);
  const nodes = [];
  const wanted = new Set();
  let prev = null;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const t = itemTime(it);
    const day = dayKey(t);
    if (!prev || prev.day !== day) {
      const key = `d:${day}`;
      wanted.add(key);
      nodes.push(daySeparator(key, t));
    }
    const next = items[i + 1];
    const nt = next ? itemTime(next) : 0;
    const groupStart = !prev || prev.from !== it.from || prev.day !== day || t - prev.t > GROUP_GAP_MS;
    const groupEnd = !next || next.from !== it.from || dayKey(nt) !== day || nt - t > GROUP_GAP_MS;
    const key = `m:${it.key}`;
    wanted.add(key);
    nodes.push(messageNode(key, it, groupStart, groupEnd));
    prev = { from: it.from, day, t };
  }
  reconcile(ui.messageList, nodes);
  for (const k of [...messageNodes.keys()]) if (!wanted.has(k)) messageNodes.delete(k);
}

function daySeparator(key, t) {
  let li = messageNodes.get(key);
  if (!li) {
    li = document.createElement('li');
    li.className = 'day-sep';
    li.setAttribute('data-testid', 'day-separator');
    const span = document.createElement('span');
    li.append(span);
    messageNodes.set(key, li);
  }
  setText(li.firstChild, dayLabel(t));
  return li;
}

function messageNode(key, it, groupStart, groupEnd) {
  const mine = it.from === store.me;
  let li = messageNodes.get(key);
  if (!li) {
    li = document.createElement('li');
    li.setAttribute('data-testid', 'message');
    li.dataset.clientMessageId = it.clientMessageId || '';
    li.dataset.from = it.from;
    const avatar = document.createElement('span');
    avatar.className = 'msg-avatar';
    avatar.setAttribute('aria-hidden', 'true');
    if (!mine) paintAvatar(avatar, it.from);
    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    const who = document.createElement('span');
    who.className = 'visually-hidden';
    who.textContent = mine ? 'You said: ' : `${it.from} said: `;
    const body = document.createElement('p');
    body.className = 'body';
    body.setAttribute('data-testid', 'message-body');
    const meta = document.createElement('span');
    meta.className = 'meta';
    const time = document.createElement('time');
    time.setAttribute('data-testid', 'message-time');
    const status = document.createElement('span');
    status.className = 'status';
    status.setAttribute('data-testid', 'message-status');
    meta.append(time, status);
    bubble.append(who, body, meta);
    const failed = document.createElement('div');
    failed.className = 'failed-row';
    const failedText = document.createElement('span');
    failedText.className = 'failed-text';
    const retryButton = document.createElement('button');
    retryButton.type = 'button';
    retryButton.className = 'btn btn-small btn-retry';
    retryButton.setAttribute('data-testid', 'retry-button');
    retryButton.dataset.action = 'retry';
    retryButton.textContent = 'Retry';
    failed.append(failedText, retryButton);
    li.append(avatar, bubble, failed);
    li._parts = { body, time, status, failed, failedText, retryButton };
    messageNodes.set(key, li);
  }
  const p = li._parts;
  li.className = `msg ${mine ? 'mine' : 'theirs'}${groupStart ? ' group-start' : ''}${groupEnd ? ' group-end' : ''}`;
  if (it.messageId) li.dataset.messageId = it.messageId;
  else delete li.dataset.messageId;
  if (it.order) li.dataset.order = it.order;
  const status = mine ? (it.status || 'sent') : 'received';
  li.dataset.status = status;
  setText(p.body, it.body);
  const label = it.sentAt ? timeLabel(it.sentAt) : '';
  setText(p.time, label);
  if (it.sentAt) {
    p.time.dateTime = it.sentAt;
    p.time.title = fullLabel(it.sentAt);
  }
  if (mine) {
    // A failed message says why (and offers Retry) in the row under the bubble.
    setText(p.status, status === 'sending' ? 'Sending…' : status === 'failed' ? '' : 'Sent');
    p.status.dataset.status = status;
  } else {
    setText(p.status, '');
  }
  p.failed.hidden = status !== 'failed';
  if (status === 'failed') {
    setText(p.failedText, failureReason(it.error));
    p.retryButton.setAttribute('aria-label', `Retry sending: ${truncate(it.body, 40)}`);
  }
  return li;
}

function renderHistoryStatus(c) {
  const el = ui.historyStatus;
  let state;
  let text;
  if (c.loadingInitial) { state = 'loading'; text = 'Loading messages…'; }
  else if (c.loadingOlder) { state = 'loading'; text = 'Loading older messages…'; }
  else if (c.historyError) { state = 'error'; text = `Couldn't load messages: ${errorText(c.historyError)}`; }
  else if (c.historyLoaded && !c.nextBefore) {
    state = 'start';
    text = c.items.size > 0 ? `This is the beginning of your conversation with ${c.peer}.` : `No messages yet. Say hello to ${c.peer}!`;
  } else { state = 'more'; text = ''; }
  if (el.dataset.state === state && el.dataset.text === text) return;
  el.dataset.state = state;
  el.dataset.text = text;
  el.replaceChildren();
  if (text) {
    const span = document.createElement('span');
    span.textContent = text;
    el.append(span);
  }
  if (state === 'error') {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-small btn-light';
    b.textContent = 'Try again';
    b.setAttribute('data-testid', 'history-retry');
    b.addEventListener('click', () => {
      c.historyError = null;
      if (!c.historyLoaded) loadInitialHistory(c);
      else loadOlder(c);
    });
    el.append(' ', b);
  }
}

function updateJumpButton() {
  const sc = ui.scroller;
  const fromBottom = sc.scrollHeight - sc.scrollTop - sc.clientHeight;
  ui.jumpLatest.hidden = !openId || fromBottom < 300;
}

/** Puts `nodes` into `parent` in order, moving only what is out of place. */
function reconcile(parent, nodes) {
  let cursor = parent.firstChild;
  for (const node of nodes) {
    if (node === cursor) {
      cursor = cursor.nextSibling;
    } else {
      parent.insertBefore(node, cursor);
    }
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function truncate(s, n) {
  s = String(s ?? '');
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function autosizeInput() {
  ui.input.style.height = 'auto';
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 160)}px`;
}

// ---------------------------------------------------------------------------------
// Errors and toasts

function errorText(e) {
  switch (e?.code) {
    case 'network': return 'Can’t reach the server. Check your connection.';
    case 'timeout': return 'The server took too long to answer.';
    case 'rate_limited': return 'Too many requests. Wait a moment and try again.';
    case 'unavailable': return 'The service is temporarily unavailable. Try again shortly.';
    case 'unauthorized': return 'You are not signed in.';
    case 'forbidden': return 'You don’t have access to that.';
    case 'not_found': return 'Not found.';
    case 'too_large': return 'That is too large.';
    default: return e?.message || 'Something went wrong.';
  }
}

function sendErrorText(code, message) {
  switch (code) {
    case 'rate_limited': return 'You’re sending messages too fast. Wait a moment, then retry.';
    case 'unavailable': return 'Your message couldn’t be delivered right now. Retry in a moment.';
    case 'timeout': return 'Your message wasn’t confirmed in time. Retry to send it again.';
    case 'connection': return 'Connection lost before your message was confirmed. Retry when you’re back online.';
    case 'network': return 'Can’t reach the server, so your message wasn’t sent. Retry when you’re back online.';
    case 'not_found': return 'That user doesn’t exist, so the message wasn’t sent.';
    case 'too_large': return 'That message is too long to send.';
    default: return message ? `Message not sent: ${message}` : 'Message not sent.';
  }
}

function failureReason(code) {
  switch (code) {
    case 'rate_limited': return 'Not sent: too fast';
    case 'unavailable': return 'Not sent: server busy';
    case 'timeout': return 'Not sent: no confirmation';
    case 'connection':
    case 'network': return 'Not sent: offline';
    case 'not_found': return 'Not sent: no such user';
    case 'too_large': return 'Not sent: too long';
    default: return 'Not sent';
  }
}

function toast(text, { kind = 'error', key, timeout = 8000 } = {}) {
  let el = key ? [...ui.toasts.children].find((t) => t.dataset.key === key) : null;
  if (!el) {
    el = document.createElement('div');
    el.className = `toast toast-${kind}`;
    el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    el.setAttribute('data-testid', 'toast');
    el.dataset.kind = kind;
    if (key) el.dataset.key = key;
    const span = document.createElement('span');
    span.className = 'toast-text';
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'toast-close';
    close.setAttribute('aria-label', 'Dismiss');
    close.textContent = '×';
    close.addEventListener('click', () => el.remove());
    el.append(span, close);
    ui.toasts.append(el);
    while (ui.toasts.children.length > 4) ui.toasts.firstElementChild.remove();
  }
  el.querySelector('.toast-text').textContent = text;
  clearTimeout(el._timer);
  el._timer = setTimeout(() => el.remove(), timeout);
}

// ---------------------------------------------------------------------------------
// Wiring

function wire() {
  ui.authForm.addEventListener('submit', (e) => { e.preventDefault(); authenticate('signin'); });
  ui.signupButton.addEventListener('click', () => authenticate('signup'));
  account = wireAccount({
    getToken: () => session?.token ?? null,
    signOutLocally: () => signOut(),
    renewed: (token) => {
      session = { ...session, token };
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
      conn?.reconnectNow();
    },
    notify: (text, kind) => toast(text, { kind: kind || 'error', key: 'account' }),
  });
  ui.reconnectButton.addEventListener('click', () => conn?.reconnectNow());
  ui.newForm.addEventListener('submit', (e) => { e.preventDefault(); startConversation(); });
  ui.newInput.addEventListener('input', () => { if (!ui.newError.hidden) setNewConvError(''); });
  ui.convMore.addEventListener('click', () => loadMoreConversations());
  ui.backButton.addEventListener('click', () => navigate(null));
  ui.composer.addEventListener('submit', (e) => { e.preventDefault(); sendCurrent(); });
  ui.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.isComposing) {
      e.preventDefault();
      sendCurrent();
    }
  });
  ui.input.addEventListener('input', autosizeInput);
  ui.chatOpen.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && phoneQuery.matches) navigate(null);
  });
  ui.messageList.addEventListener('click', (e) => {
    const b = e.target.closest('[data-action="retry"]');
    if (!b) return;
    const li = b.closest('[data-client-message-id]');
    if (li) retry(li.dataset.clientMessageId);
  });
  ui.scroller.addEventListener('scroll', onScroll, { passive: true });
  ui.jumpLatest.addEventListener('click', () => {
    ui.scroller.scrollTop = ui.scroller.scrollHeight;
    ui.input.focus();
  });
  window.addEventListener('hashchange', applyRoute);
  document.addEventListener('visibilitychange', markReadIfViewing);
  window.addEventListener('focus', markReadIfViewing);

  // Small hook for diagnostics and browser tests.
  window.messengerDebug = {
    dropConnection: () => conn?.drop('debug'),
    get watermark() { return store ? store.watermark : null; },
    get connected() { return !!conn?.isOpen && synced; },
  };
}

wire();
session = loadSession();
if (session) startApp();
else showAuth();
