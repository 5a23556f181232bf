// Attachments in messages: images inline from their thumbnails (full size in a lightbox on click), other files
// as a chip with name, size and a download link. The token rides in the URL (API v1 allows it for <img src>).

import { tokenQuery } from './session.js';
import { ui, el } from './ui.js';
import { sizeLabel } from './format.js';
import { seg } from './api.js';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function isImageType(type) {
  return IMAGE_TYPES.has(String(type || '').toLowerCase());
}

export function attachmentUrl(a) {
  return `/api/attachments/${seg(a.attachmentId)}?${tokenQuery()}`;
}

function thumbnailUrl(a) {
  return `/api/attachments/${seg(a.attachmentId)}/thumbnail?${tokenQuery()}`;
}

/** For the conversation list: { icon, text } or null. */
export function attachmentSummary(list) {
  if (!Array.isArray(list) || list.length === 0) return null;
  const images = list.filter((a) => isImageType(a.contentType)).length;
  if (images === list.length) return { icon: '📷', text: images === 1 ? 'Photo' : `${images} photos` };
  return { icon: '📎', text: list.length === 1 ? list[0].name : `${list.length} files` };
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
  icon.textContent = '📄';
  const text = el('span', 'att-file-text');
  const name = el('span', 'att-file-name', 'file-name');
  name.textContent = a.name || 'file';
  const size = el('span', 'att-file-size', 'file-size');
  size.textContent = sizeLabel(a.size);
  text.append(name, size);
  const dl = el('span', 'att-file-dl');
  dl.setAttribute('aria-hidden', 'true');
  dl.textContent = '⤓';
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
