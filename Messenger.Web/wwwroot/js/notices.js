// What the user reads when something goes wrong: error texts and toasts.

import { ui } from './ui.js';

export function errorText(e) {
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

export function sendErrorText(code, message) {
  switch (code) {
    case 'rate_limited': return 'You’re sending messages too fast. Wait a moment, then retry.';
    case 'unavailable': return 'Your message couldn’t be delivered right now. Retry in a moment.';
    case 'timeout': return 'Your message wasn’t confirmed in time. Retry to send it again.';
    case 'connection': return 'Connection lost before your message was confirmed. Retry when you’re back online.';
    case 'network': return 'Can’t reach the server, so your message wasn’t sent. Retry when you’re back online.';
    case 'not_found': return 'That user or attachment doesn’t exist, so the message wasn’t sent.';
    case 'too_large': return 'That message is too long to send.';
    case 'forbidden': return 'You can’t send messages to this group because you’re no longer a member.';
    default: return message ? `Message not sent: ${message}` : 'Message not sent.';
  }
}

export function failureReason(code) {
  switch (code) {
    case 'rate_limited': return 'Not sent: too fast';
    case 'unavailable': return 'Not sent: server busy';
    case 'timeout': return 'Not sent: no confirmation';
    case 'connection':
    case 'network': return 'Not sent: offline';
    case 'not_found': return 'Not sent: not found';
    case 'too_large': return 'Not sent: too long';
    case 'forbidden': return 'Not sent: not a member';
    default: return 'Not sent';
  }
}

export function toast(text, { kind = 'error', key, timeout = 8000 } = {}) {
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
