// Groups (API v2) against the server: GET the group when it opens and shortly after each live membership event
// (the event says what changed; the answer says who is in it now), and the membership actions, whose Group answer
// is applied at once.

import { app, api } from './session.js';
import { scheduleRender } from './render.js';
import { applyGroupView, applyNotMember } from './groups.js';

const REFRESH_DELAY_MS = 150;

/** Fetches the group soon; bursts of events (a sync after a reconnect) end in one GET. */
export function refreshGroup(c, delayMs = REFRESH_DELAY_MS) {
  if (!c?.group) return;
  const f = app.groupFetches.get(c.id) || { timer: null, generation: 0 };
  app.groupFetches.set(c.id, f);
  clearTimeout(f.timer);
  f.timer = setTimeout(() => {
    f.timer = null;
    fetchGroup(c, f);
  }, delayMs);
}

async function fetchGroup(c, f) {
  const store = app.store;
  const generation = ++f.generation;
  try {
    const view = await api.getGroup(c.id);
    // Only the newest answer counts: an older one may predate an event that arrived meanwhile.
    if (app.store !== store || f.generation !== generation) return;
    applyGroupView(c, view, store.me);
  } catch (e) {
    if (app.store !== store || f.generation !== generation) return;
    if (e.code === 'not_found' || e.code === 'forbidden') applyNotMember(c);
    else return; // offline or busy: the next event or opening the group asks again
  }
  scheduleRender();
}

/**
 * Runs a membership action (`call` returns the API promise), applies the Group it answers and returns null, or
 * returns the ApiError. A later GET confirms the state (the action's events arrive on the socket too).
 */
export async function groupAction(c, call) {
  const store = app.store;
  try {
    const view = await call();
    if (app.store !== store) return null;
    bumpGeneration(c);
    applyGroupView(c, view, store.me);
    scheduleRender();
    return null;
  } catch (e) {
    if (app.store === store && e.code === 'not_found') refreshGroup(c, 0);
    return e;
  }
}

/** An answer newer than any GET in flight: that GET must not overwrite it. */
function bumpGeneration(c) {
  const f = app.groupFetches.get(c.id);
  if (f) f.generation++;
}
