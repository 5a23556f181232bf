// The one session object: everything the signed-in client holds. Modules read and write its fields; nothing
// else in the client is mutable at module level, so signing out is one reset().

import { Api } from './api.js';
import { expireSession } from './auth.js';

const SESSION_KEY = 'messenger.session';

export const app = {
  /** @type {{userId: string, token: string} | null} */
  session: null,
  /** @type {import('./store.js').Store | null} */
  store: null,
  /** @type {import('./connection.js').Connection | null} */
  conn: null,
  /** Conversation shown in the chat pane. */
  openId: null,
  /** The current socket has finished its sync. */
  synced: false,
  /** The first sync of this sign-in is done (later ones are reconnects). */
  syncedOnce: false,
  expiring: false,
  /** Sign out (here / everywhere) and password change; `renewing` while a password change runs. */
  account: { renewing: false },
  timers: { convLoad: null, render: null, received: null, typing: null },
  /** clientMessageId -> ack timeout */
  ackTimers: new Map(),
  /** DOM caches of the list and the chat pane, keyed like the store. */
  convNodes: new Map(),
  messageNodes: new Map(),
  renderedConversation: null,
  /** Highest inbox seq acknowledged with `received`. */
  receivedUpTo: 0,
  /** conversationId -> Map(userId -> until) while others type. */
  typing: new Map(),
  /** conversationId -> when this device last sent `typing`. */
  typingSentAt: new Map(),
  /** userId -> { online, lastSeen } from presence frames and GET presence. */
  presence: new Map(),
  /** The watch list last sent on this socket (sorted, joined). */
  watchKey: '',
  /** conversationId -> attachments picked for the next message (uploading, done or failed). */
  drafts: new Map(),
  /** Counts up: keys of draft attachments. */
  draftKeys: 0,
  /** Groups (API v2): conversationId -> { timer, generation } of the GET that refreshes a group. */
  groupFetches: new Map(),
  /** The members panel of the open group: shown, the rename form open, the leave question asked, an action running. */
  groupPanel: { open: false, renaming: false, leaving: false, busy: false },
};

export function loadSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    if (s && typeof s.token === 'string' && typeof s.userId === 'string') return s;
  } catch { /* ignore */ }
  return null;
}

export function saveSession(session) {
  app.session = session;
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

/** Forgets the signed-in user: stops the socket, every timer and upload, empties every cache. */
export function resetSession() {
  const c = app.conn;
  app.conn = null;
  app.store = null;
  app.session = null;
  app.openId = null;
  app.synced = false;
  app.syncedOnce = false;
  app.renderedConversation = null;
  sessionStorage.removeItem(SESSION_KEY);
  if (c) c.stop();
  for (const key of Object.keys(app.timers)) {
    clearTimeout(app.timers[key]);
    app.timers[key] = null;
  }
  for (const t of app.ackTimers.values()) clearTimeout(t);
  app.ackTimers.clear();
  app.convNodes.clear();
  app.messageNodes.clear();
  app.receivedUpTo = 0;
  app.typing.clear();
  app.typingSentAt.clear();
  app.presence.clear();
  app.watchKey = '';
  for (const list of app.drafts.values()) for (const d of list) d.xhr?.abort();
  app.drafts.clear();
  for (const f of app.groupFetches.values()) clearTimeout(f.timer);
  app.groupFetches.clear();
  app.groupPanel = { open: false, renaming: false, leaving: false, busy: false };
}

/** The token for URLs a browser fetches by itself (<img src>, download links). */
export function tokenQuery() {
  return `access_token=${encodeURIComponent(app.session?.token ?? '')}`;
}

export const api = new Api(() => app.session?.token, () => expireSession());
