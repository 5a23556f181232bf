// History: the newest page when a conversation opens, older pages when the user scrolls up.

import { app, api } from './session.js';
import { ui } from './ui.js';
import { flushRender, scheduleRender } from './render.js';
import { renderHistoryStatus, updateJumpButton } from './chat-view.js';
import { markReadIfViewing } from './receipts.js';

const PAGE_SIZE = 50;
const LOAD_OLDER_THRESHOLD_PX = 160;

export async function loadInitialHistory(c) {
  const store = app.store;
  c.loadingInitial = true;
  c.historyError = null;
  if (app.openId === c.id) renderHistoryStatus(c);
  try {
    const res = await api.messages(c.id, null, PAGE_SIZE);
    if (app.store !== store) return;
    for (const m of res?.messages || []) store.ingest(m, 'history');
    c.nextBefore = res?.nextBefore ?? null;
    c.historyLoaded = true;
  } catch (e) {
    if (app.store !== store) return;
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
  if (app.store !== store) return;
  if (app.openId === c.id) {
    flushRender({ scrollToBottom: true });
    markReadIfViewing();
    fillViewport(c);
  } else {
    scheduleRender();
  }
}

export async function loadOlder(c) {
  if (!c.historyLoaded || c.loadingOlder || !c.nextBefore) return;
  const store = app.store;
  c.loadingOlder = true;
  c.historyError = null;
  renderHistoryStatus(c);
  try {
    const res = await api.messages(c.id, c.nextBefore, PAGE_SIZE);
    if (app.store !== store) return;
    for (const m of res?.messages || []) store.ingest(m, 'history');
    c.nextBefore = res?.nextBefore ?? null;
  } catch (e) {
    if (app.store !== store) return;
    c.historyError = e;
  } finally {
    c.loadingOlder = false;
  }
  if (app.store !== store) return;
  if (app.openId === c.id) {
    flushRender({ preserveBottom: true });
    fillViewport(c);
  }
}

/** Loads older pages while the history does not fill the pane (so it can scroll). */
function fillViewport(c) {
  if (app.openId !== c.id || !c.nextBefore || c.historyError) return;
  const sc = ui.scroller;
  if (sc.scrollHeight <= sc.clientHeight + LOAD_OLDER_THRESHOLD_PX) loadOlder(c);
}

export function onScroll() {
  updateJumpButton();
  const c = app.openId && app.store ? app.store.conversations.get(app.openId) : null;
  if (c && ui.scroller.scrollTop < LOAD_OLDER_THRESHOLD_PX && !c.historyError) loadOlder(c);
}
