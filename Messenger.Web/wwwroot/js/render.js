// Batches re-renders: state changes call scheduleRender(); one frame later the list and the chat pane catch up.

import { app } from './session.js';
import { renderConversationList } from './conversation-list.js';
import { renderChat } from './chat-view.js';
import { updateWatch } from './presence.js';

export function scheduleRender() {
  if (app.timers.render !== null) return;
  app.timers.render = setTimeout(() => {
    app.timers.render = null;
    if (!app.store) return;
    renderAll({});
  }, 16);
}

export function flushRender(opts) {
  clearTimeout(app.timers.render);
  app.timers.render = null;
  if (!app.store) return;
  renderAll(opts);
}

function renderAll(opts) {
  renderConversationList();
  renderChat(opts);
  // The peers of the listed conversations are the ones whose presence this client shows.
  updateWatch();
}
