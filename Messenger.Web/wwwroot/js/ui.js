// Element references and small DOM helpers. User data is always written with textContent, never as HTML.

const $ = (id) => document.getElementById(id);

export const ui = {
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
  newForm: $('new-conversation-form'),
  newInput: $('new-conversation-input'),
  newButton: $('new-conversation-button'),
  newError: $('new-conversation-error'),
  newGroupButton: $('new-group-button'),
  convList: $('conversation-list'),
  convEmpty: $('conversation-empty'),
  convMore: $('conversation-more'),
  chat: $('chat'),
  chatPlaceholder: $('chat-placeholder'),
  chatOpen: $('chat-open'),
  backButton: $('back-button'),
  chatAvatar: $('chat-avatar'),
  chatPeer: $('chat-peer'),
  chatPresence: $('chat-presence'),
  groupInfoButton: $('group-info-button'),
  composerClosed: $('composer-closed'),
  scroller: $('message-scroller'),
  historyStatus: $('history-status'),
  messageList: $('message-list'),
  jumpLatest: $('jump-latest'),
  composer: $('composer'),
  input: $('message-input'),
  sendButton: $('send-button'),
  attachButton: $('attach-button'),
  attachInput: $('attach-input'),
  tray: $('attachment-tray'),
  dropOverlay: $('drop-overlay'),
  lightbox: $('lightbox'),
  lightboxImage: $('lightbox-image'),
  lightboxName: $('lightbox-name'),
  lightboxOpen: $('lightbox-open'),
  lightboxClose: $('lightbox-close'),
  toasts: $('toasts'),
  // Groups (API v2): the members panel and the new-group dialog.
  groupPanel: $('group-panel'),
  groupPanelClose: $('group-panel-close'),
  groupPanelAvatar: $('group-panel-avatar'),
  groupPanelName: $('group-panel-name'),
  groupPanelCount: $('group-panel-count'),
  groupRenameButton: $('group-rename-button'),
  groupRenameForm: $('group-rename-form'),
  groupRenameInput: $('group-rename-input'),
  groupRenameCancel: $('group-rename-cancel'),
  groupNotMember: $('group-panel-not-member'),
  groupPanelError: $('group-panel-error'),
  groupAddForm: $('group-add-form'),
  groupAddInput: $('group-add-input'),
  groupAddButton: $('group-add-button'),
  groupMemberList: $('group-member-list'),
  groupLeaveButton: $('group-leave-button'),
  groupLeaveConfirm: $('group-leave-confirm'),
  groupLeaveYes: $('group-leave-yes'),
  groupLeaveNo: $('group-leave-no'),
  groupDialog: $('group-dialog'),
  groupForm: $('group-form'),
  groupNameInput: $('group-name-input'),
  groupChips: $('group-chips'),
  groupMembersInput: $('group-members-input'),
  groupFormError: $('group-form-error'),
  groupCreateSubmit: $('group-create-submit'),
  groupCreateCancel: $('group-create-cancel'),
};

export const phoneQuery = window.matchMedia('(max-width: 720px)');

export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

export function truncate(s, n) {
  s = String(s ?? '');
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Creates an element with a class and optional test id. */
export function el(tag, className, testId) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (testId) e.setAttribute('data-testid', testId);
  return e;
}

/** Puts `nodes` into `parent` in order, moving only what is out of place. */
export function reconcile(parent, nodes) {
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

export function autosizeInput() {
  ui.input.style.height = 'auto';
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 160)}px`;
}
