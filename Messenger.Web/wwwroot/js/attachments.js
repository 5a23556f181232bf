// Attachments picked for the next message (API v1): a button, drag and drop onto the chat, or paste. Each file
// uploads at once (XMLHttpRequest, for its upload progress); the tray shows a progress bar per file; the send
// carries the ids of the finished ones. Drafts are kept per conversation.

import { app } from './session.js';
import { ui, el, setText } from './ui.js';
import { sizeLabel } from './format.js';
import { toast } from './notices.js';
import { expireSession } from './auth.js';
import { ICONS, isImageType } from './attachment-view.js';
import { canSendIn } from './groups.js';

const MAX_BYTES = 26214400;
const MAX_FILES = 10;

/** { uploading, ready } counts of the draft of a conversation. */
export function draftState(conversationId) {
  const list = app.drafts.get(conversationId) || [];
  return {
    uploading: list.filter((d) => d.state === 'uploading').length,
    ready: list.filter((d) => d.state === 'done').length,
  };
}

/** Removes the finished uploads from the draft and returns their Attachment objects. */
export function takeDraft(conversationId) {
  const list = app.drafts.get(conversationId) || [];
  const done = list.filter((d) => d.state === 'done');
  for (const d of done) forget(d);
  const rest = list.filter((d) => d.state !== 'done');
  if (rest.length) app.drafts.set(conversationId, rest);
  else app.drafts.delete(conversationId);
  renderTray();
  return done.map((d) => d.attachment);
}

export function addFiles(files) {
  const id = app.openId;
  if (!id || !app.session || !canSendIn(app.store?.conversations.get(id))) return;
  const list = app.drafts.get(id) || [];
  for (const file of files) {
    if (list.length >= MAX_FILES) {
      toast(`A message carries at most ${MAX_FILES} attachments.`, { key: 'attach' });
      break;
    }
    if (file.size > MAX_BYTES) {
      toast(`“${file.name}” is larger than 25 MB.`, { key: 'attach' });
      continue;
    }
    if (file.size === 0) {
      toast(`“${file.name}” is empty.`, { key: 'attach' });
      continue;
    }
    const type = file.type || 'application/octet-stream';
    const d = {
      key: ++app.draftKeys, file, name: (file.name || 'file').slice(0, 255), size: file.size, type,
      state: 'uploading', loaded: 0, attachment: null, xhr: null,
      preview: isImageType(type) ? URL.createObjectURL(file) : null,
    };
    list.push(d);
    upload(id, d);
  }
  if (list.length) app.drafts.set(id, list);
  renderTray();
}

function upload(conversationId, d) {
  const xhr = new XMLHttpRequest();
  d.xhr = xhr;
  xhr.open('POST', `/api/attachments?name=${encodeURIComponent(d.name)}`);
  xhr.setRequestHeader('Authorization', `Bearer ${app.session.token}`);
  xhr.setRequestHeader('Content-Type', d.type);
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.upload.onprogress = (e) => {
    d.loaded = e.lengthComputable ? e.loaded : d.loaded;
    renderProgress(d);
  };
  xhr.onload = () => {
    d.xhr = null;
    let data = null;
    try { data = JSON.parse(xhr.responseText || 'null'); } catch { data = null; }
    if (xhr.status === 201 && data && typeof data.attachmentId === 'string') {
      d.state = 'done';
      d.loaded = d.size;
      d.attachment = data;
      renderTray();
      return;
    }
    if (xhr.status === 401) { expireSession(); return; }
    drop(conversationId, d, data?.code === 'too_large' ? 'is too large' : `could not be uploaded (${data?.message || xhr.status})`);
  };
  xhr.onerror = () => { d.xhr = null; drop(conversationId, d, 'could not be uploaded: the server is unreachable'); };
  xhr.send(d.file);
}

function drop(conversationId, d, why) {
  remove(conversationId, d.key);
  toast(`“${d.name}” ${why}.`, { key: 'attach' });
}

function remove(conversationId, key) {
  const list = app.drafts.get(conversationId) || [];
  const d = list.find((x) => x.key === key);
  if (!d) return;
  forget(d);
  const rest = list.filter((x) => x !== d);
  if (rest.length) app.drafts.set(conversationId, rest);
  else app.drafts.delete(conversationId);
  renderTray();
}

function forget(d) {
  if (d.xhr) { d.xhr.onload = d.xhr.onerror = null; d.xhr.abort(); }
  d.xhr = null;
  if (d.preview) URL.revokeObjectURL(d.preview);
  d.preview = null;
}

/** Redraws the tray of the open conversation. */
export function renderTray() {
  const list = (app.openId && app.drafts.get(app.openId)) || [];
  ui.tray.hidden = list.length === 0;
  ui.tray.replaceChildren(...list.map(trayItem));
  const uploading = list.some((d) => d.state === 'uploading');
  ui.sendButton.dataset.uploading = uploading ? 'true' : 'false';
  ui.sendButton.disabled = uploading;
}

function trayItem(d) {
  const li = el('li', 'tray-item', 'pending-attachment');
  li.dataset.state = d.state;
  li.dataset.name = d.name;
  const thumb = el(d.preview ? 'img' : 'span', 'tray-thumb');
  if (d.preview) { thumb.src = d.preview; thumb.alt = ''; } else thumb.innerHTML = ICONS.file;
  const text = el('span', 'tray-text');
  const name = el('span', 'tray-name');
  name.textContent = d.name;
  const size = el('span', 'tray-size');
  size.textContent = sizeLabel(d.size);
  const bar = el('progress', 'tray-progress', 'upload-progress');
  bar.max = d.size;
  bar.value = d.loaded;
  bar.setAttribute('aria-label', `Uploading ${d.name}`);
  bar.hidden = d.state !== 'uploading';
  text.append(name, size, bar);
  const close = el('button', 'tray-remove', 'remove-attachment');
  close.type = 'button';
  close.textContent = '×';
  close.setAttribute('aria-label', `Remove ${d.name}`);
  const conversationId = app.openId;
  close.addEventListener('click', () => remove(conversationId, d.key));
  li.append(thumb, text, close);
  li._bar = bar;
  d.node = li;
  return li;
}

function renderProgress(d) {
  if (d.node?._bar) d.node._bar.value = d.loaded;
  if (d.node) setText(d.node.querySelector('.tray-size'), `${sizeLabel(d.loaded)} of ${sizeLabel(d.size)}`);
}

export function resetAttachments() {
  ui.tray.replaceChildren();
  ui.tray.hidden = true;
  ui.sendButton.disabled = false;
}

/** The attach button, drag and drop onto the chat pane, and pasted files. */
export function wireAttachments() {
  ui.attachButton.addEventListener('click', () => ui.attachInput.click());
  ui.attachInput.addEventListener('change', () => {
    addFiles([...ui.attachInput.files]);
    ui.attachInput.value = '';
  });
  const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes('Files');
  let depth = 0;
  ui.chatOpen.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    ui.dropOverlay.hidden = false;
  });
  ui.chatOpen.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  ui.chatOpen.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) ui.dropOverlay.hidden = true;
  });
  ui.chatOpen.addEventListener('drop', (e) => {
    depth = 0;
    ui.dropOverlay.hidden = true;
    if (!e.dataTransfer?.files?.length) return;
    e.preventDefault();
    addFiles([...e.dataTransfer.files]);
  });
  ui.input.addEventListener('paste', (e) => {
    const files = [...(e.clipboardData?.files || [])];
    if (files.length === 0) return;
    e.preventDefault();
    addFiles(files);
  });
}
