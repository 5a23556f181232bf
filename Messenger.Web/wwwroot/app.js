// Messenger browser client: boots the modules under js/ and wires the page's controls to them. Uses only the
// client API contract (HTTP + WebSocket /ws). User data is always written with textContent, never as HTML.
//
// js/session.js       the one session object (everything the signed-in client holds) and the HTTP client
// js/auth.js          sign in / up / out        js/lifecycle.js   start after sign-in, socket states
// js/frames.js        server frames             js/outbox.js      sending, acks, retry
// js/history.js       history paging            js/conversation-list.js  the list, new conversation
// js/chat-view.js     the chat pane             js/message-view.js       one bubble with its ticks
// js/receipts.js      received / read / ticks   js/typing.js / presence.js  "typing…", online / last seen
// js/attachments.js   upload tray               js/attachment-view.js    images, file chips, lightbox
// js/store.js, markers.js  pure client state    js/api.js, connection.js, account.js, format.js, ui.js, notices.js
// js/groups.js        group state, system lines js/group-sync.js  GET group, membership actions
// js/group-panel.js   the members panel         js/group-create.js  the new-group dialog

import { app, loadSession, saveSession } from './js/session.js';
import { ui, phoneQuery, autosizeInput } from './js/ui.js';
import { wireAccount } from './js/account.js';
import { toast } from './js/notices.js';
import { authenticate, showAuth, signOut } from './js/auth.js';
import { startApp } from './js/lifecycle.js';
import { loadMoreConversations, setNewConvError, startConversation } from './js/conversation-list.js';
import { applyRoute, navigate } from './js/navigation.js';
import { retry, sendCurrent } from './js/outbox.js';
import { onScroll } from './js/history.js';
import { markReadIfViewing } from './js/receipts.js';
import { noteComposerInput } from './js/typing.js';
import { wireAttachments } from './js/attachments.js';
import { wireLightbox } from './js/attachment-view.js';
import { wireGroupPanel } from './js/group-panel.js';
import { wireGroupCreate } from './js/group-create.js';

function wire() {
  ui.authForm.addEventListener('submit', (e) => { e.preventDefault(); authenticate('signin'); });
  ui.signupButton.addEventListener('click', () => authenticate('signup'));
  app.account = wireAccount({
    getToken: () => app.session?.token ?? null,
    signOutLocally: () => signOut(),
    renewed: (token) => {
      saveSession({ ...app.session, token });
      app.conn?.reconnectNow();
    },
    notify: (text, kind) => toast(text, { kind: kind || 'error', key: 'account' }),
  });
  ui.reconnectButton.addEventListener('click', () => app.conn?.reconnectNow());
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
  ui.input.addEventListener('input', () => {
    autosizeInput();
    noteComposerInput();
  });
  ui.chatOpen.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && phoneQuery.matches && !ui.lightbox.open) navigate(null);
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
  wireAttachments();
  wireLightbox();
  wireGroupPanel();
  wireGroupCreate();
  window.addEventListener('hashchange', applyRoute);
  document.addEventListener('visibilitychange', markReadIfViewing);
  window.addEventListener('focus', markReadIfViewing);

  // Small hook for diagnostics and browser tests.
  window.messengerDebug = {
    dropConnection: () => app.conn?.drop('debug'),
    get watermark() { return app.store ? app.store.watermark : null; },
    get connected() { return !!app.conn?.isOpen && app.synced; },
  };
}

wire();
app.session = loadSession();
if (app.session) startApp();
else showAuth();
