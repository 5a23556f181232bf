// Formatting helpers: times, day labels, avatars.

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const weekdayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const shortDateFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: '2-digit' });
const longDateFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

function toDate(value) {
  if (value instanceof Date) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function startOfDay(d) {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

export function timeLabel(value) {
  const d = toDate(value);
  return d ? timeFmt.format(d) : '';
}

export function fullLabel(value) {
  const d = toDate(value);
  return d ? fullFmt.format(d) : '';
}

/** Conversation list: time today, weekday this week, else a short date. */
export function listTimeLabel(value) {
  const d = toDate(value);
  if (!d) return '';
  const days = Math.round((startOfDay(new Date()) - startOfDay(d)) / 86400000);
  if (days <= 0) return timeFmt.format(d);
  if (days === 1) return 'Yesterday';
  if (days < 7) return weekdayFmt.format(d);
  return shortDateFmt.format(d);
}

export function dayKey(value) {
  const d = toDate(value) || new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function dayLabel(value) {
  const d = toDate(value) || new Date();
  const days = Math.round((startOfDay(new Date()) - startOfDay(d)) / 86400000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return longDateFmt.format(d);
}

export function initials(name) {
  const s = (name || '?').replace(/[^a-z0-9]/gi, '');
  return (s[0] || '?').toUpperCase();
}

export function avatarHue(name) {
  let h = 0;
  for (const ch of name || '') h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % 360;
}

/** Fills an avatar element (textContent only). */
export function paintAvatar(el, name) {
  el.textContent = initials(name);
  el.style.setProperty('--avatar-hue', String(avatarHue(name)));
}

export function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

/** "today at 14:03", "yesterday at 09:12", "3 Dec at 18:40". */
export function lastSeenLabel(value) {
  const d = toDate(value);
  if (!d) return '';
  const days = Math.round((startOfDay(new Date()) - startOfDay(d)) / 86400000);
  const at = timeFmt.format(d);
  if (days <= 0) return `today at ${at}`;
  if (days === 1) return `yesterday at ${at}`;
  return `${shortDateFmt.format(d)} at ${at}`;
}

/** 1,536 bytes -> "1.5 KB" (binary units, as file managers show them). */
export function sizeLabel(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
