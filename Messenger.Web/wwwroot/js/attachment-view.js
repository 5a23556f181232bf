// Attachments in messages: images inline from their thumbnails (full size in a lightbox on click), other files
// as a chip with name, size and a download link. The token rides in the URL (API v1 allows it for <img src>).

import { tokenQuery } from './session.js';
import { ui, el } from './ui.js';
import { sizeLabel } from './format.js';
import { seg } from './api.js';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

// Static icon markup (no user data); SVG rather than emoji so every platform draws them.
export const ICONS = {
  file: '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path d="M6 2.8h8l4.5 4.6v13.8H6z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/><path d="M14 2.8v4.8h4.5M8.8 12h6.6M8.8 15h6.6M8.8 18h4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>',
  photo: '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><rect x="3" y="5" width="18" height="14" rx="2.5" fill="none" stroke="currentColor" stroke-width="1.8"/><circle cx="9" cy="10" r="1.8" fill="currentColor"/><path d="m4 17 5-4.5 3.5 3 3-2.5L20 17" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/></svg>',
  clip: '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path d="M20.5 11.3 12.4 19.4a5.2 5.2 0 0 1-7.4-7.4l8.5-8.5a3.5 3.5 0 0 1 4.9 4.9l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  download: '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M12 4v11m-4.5-4.5L12 15l4.5-4.5M5 19.5h14" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
};

export function isImageType(type) {
  return IMAGE_TYPES.has(String(type || '').toLowerCase());
}

export function attachmentUrl(a) {
  return `/api/attachments/${seg(a.attachmentId)}?${tokenQuery()}`;
}

function thumbnailUrl(a) {
  return `/api/attachments/${seg(a.attachmentId)}/thumbnail?${tokenQuery()}`;
}

/** For the conversation list: { icon: 'photo' | 'clip', text } or null. */
export function attachmentSummary(list) {
  if (!Array.isArray(list) || list.length === 0) return null;
  const images = list.filter((a) => isImageType(a.contentType)).length;
  if (images === list.length) return { icon: 'photo', text: images === 1 ? 'Photo' : `${images} photos` };
  return { icon: 'clip', text: list.length === 1 ? list[0].name : `${list.length} files` };
}

export function renderAttachments(container, list) {
  container.replaceChildren(...list.map((a) => (isImageType(a.contentType) ? imageNode(a) : fileNode(a))));
}

function imageNode(a) {
  const button = el('button', 'att-image', 'message-image-button');
  button.type = 'button';
  button.setAttribute('aria-label', `Open image ${a.name}`);
  const img = el('img', '', 'message-image');
  img.alt = a.name || 'image';
  img.loading = 'lazy';
  img.decoding = 'async';
  img.addEventListener('load', () => {
    // An image that arrives after the bubble keeps a pane that was at the bottom at the bottom.
    const sc = ui.scroller;
    if (sc.scrollHeight - sc.scrollTop - sc.clientHeight < img.clientHeight + 120) sc.scrollTop = sc.scrollHeight;
  });
  img.src = thumbnailUrl(a);
  button.append(img);
  button.addEventListener('click', () => openLightbox(a));
  return button;
}

function fileNode(a) {
  const link = el('a', 'att-file', 'message-file');
  link.href = attachmentUrl(a);
  link.download = a.name || 'file';
  link.setAttribute('aria-label', `Download ${a.name} (${sizeLabel(a.size)})`);
  const icon = el('span', 'att-file-icon');
  icon.setAttribute('aria-hidden', 'true');
  icon.innerHTML = ICONS.file;
  const text = el('span', 'att-file-text');
  const name = el('span', 'att-file-name', 'file-name');
  name.textContent = a.name || 'file';
  const size = el('span', 'att-file-size', 'file-size');
  size.textContent = sizeLabel(a.size);
  text.append(name, size);
  const dl = el('span', 'att-file-dl');
  dl.setAttribute('aria-hidden', 'true');
  dl.innerHTML = ICONS.download;
  link.append(icon, text, dl);
  return link;
}

function openLightbox(a) {
  ui.lightboxImage.src = attachmentUrl(a);
  ui.lightboxImage.alt = a.name || 'image';
  ui.lightboxName.textContent = a.name || '';
  ui.lightboxOpen.href = attachmentUrl(a);
  ui.lightboxOpen.download = a.name || 'image';
  ui.lightbox.showModal();
}

export function wireLightbox() {
  ui.lightboxClose.addEventListener('click', () => ui.lightbox.close());
  // A click on the backdrop (the dialog itself, outside the picture) closes it.
  ui.lightbox.addEventListener('click', (e) => { if (e.target === ui.lightbox) ui.lightbox.close(); });
  ui.lightbox.addEventListener('close', () => { ui.lightboxImage.removeAttribute('src'); });
}
