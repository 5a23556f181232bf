// Group conversations (API v2), pure data, no DOM: what this client knows of a group (name, members, roles,
// whether I am still in it), how membership events change it, and the texts of the system lines.
//
// Two sources agree in the end: membership events (messages with a `kind`, applied in `order`) and the Group
// answers (GET /api/groups/{id} and every membership action). A state is applied only when it is newer (by order)
// than the one held, so history pages that bring old events never undo a newer answer.

import { isAfter } from './store.js';

export const GROUP_PREFIX = 'grp:';
export const MAX_MEMBERS = 256;

const MEMBERSHIP_KINDS = new Set(['group_created', 'member_added', 'member_removed', 'member_left', 'group_renamed', 'admin_added']);

export function isGroupId(id) {
  return typeof id === 'string' && id.startsWith(GROUP_PREFIX) && /^grp:[A-Za-z0-9_-]{1,64}$/.test(id);
}

/** A membership event (not a text message). */
export function isMembershipKind(kind) {
  return MEMBERSHIP_KINDS.has(kind);
}

export function newGroupState() {
  return {
    name: '',
    memberCount: 0,
    /** [{ userId, role }] once a Group answer came, else null. */
    members: null,
    /** true / false once known; null while unknown. */
    isMember: null,
    createdAt: null,
    /** The order of the newest membership event the state above reflects. */
    stateOrder: null,
  };
}

/** The `group` of a Conversation from GET /api/conversations. */
export function applyGroupSummary(c, summary) {
  if (!summary || typeof summary !== 'object') return;
  const g = c.group;
  if (typeof summary.name === 'string' && summary.name) g.name = summary.name;
  if (Number.isInteger(summary.memberCount)) g.memberCount = summary.memberCount;
  if (typeof summary.isMember === 'boolean') g.isMember = summary.isMember;
}

/** A Group answer: the group as it is now. */
export function applyGroupView(c, view, me) {
  if (!view || !Array.isArray(view.members)) return;
  const g = c.group;
  g.name = typeof view.name === 'string' ? view.name : g.name;
  g.createdAt = view.createdAt ?? g.createdAt;
  g.members = view.members
    .filter((m) => m && typeof m.userId === 'string')
    .map((m) => ({ userId: m.userId, role: m.role === 'admin' ? 'admin' : 'member' }));
  g.memberCount = g.members.length;
  g.isMember = g.members.some((m) => m.userId === me);
  g.stateOrder = maxOrder(g.stateOrder, newestEventOrder(c));
}

/** GET /api/groups answered 404: I am not (or no longer) a member, or the group is closed. */
export function applyNotMember(c) {
  c.group.isMember = false;
  c.group.stateOrder = maxOrder(c.group.stateOrder, newestEventOrder(c));
}

/** A membership event message (live or from history): moves the state when it is newer than what is held. */
export function applyMembershipEvent(c, msg, me) {
  const g = c.group;
  if (!isMembershipKind(msg.kind) || !isAfter(msg.order, g.stateOrder)) return;
  g.stateOrder = msg.order;
  const subject = msg.subject ?? null;
  switch (msg.kind) {
    case 'group_created':
      g.name = msg.body || g.name;
      g.isMember = true;
      break;
    case 'group_renamed':
      g.name = msg.body || g.name;
      break;
    case 'member_added':
      if (subject === me) g.isMember = true;
      if (g.members && subject && !g.members.some((m) => m.userId === subject)) g.members.push({ userId: subject, role: 'member' });
      else if (!g.members) g.memberCount += 1;
      break;
    case 'member_removed':
    case 'member_left':
      if (subject === me) g.isMember = false;
      if (g.members) g.members = g.members.filter((m) => m.userId !== subject);
      else g.memberCount = Math.max(0, g.memberCount - 1);
      break;
    case 'admin_added':
      for (const m of g.members || []) if (m.userId === subject) m.role = 'admin';
      break;
    default:
      break;
  }
  if (g.members) g.memberCount = g.members.length;
}

function newestEventOrder(c) {
  let best = null;
  for (const i of c.items.values()) if (isMembershipKind(i.kind) && isAfter(i.order, best)) best = i.order;
  return best;
}

function maxOrder(a, b) {
  return isAfter(b, a) ? b : a;
}

export function isAdmin(c, userId) {
  return !!c.group?.members?.some((m) => m.userId === userId && m.role === 'admin');
}

/** A group I can still write in (unknown counts as yes: the server answers forbidden otherwise). */
export function canSendIn(c) {
  return !c?.group || c.group.isMember !== false;
}

export function groupTitle(c) {
  return c.group?.name || 'Group';
}

export function memberCountLabel(n) {
  return n === 1 ? '1 member' : `${n} members`;
}

/** "alice, bob, You" for the header (others first, in join order). */
export function memberNames(c, me) {
  const members = c.group?.members;
  if (!members) return c.group?.memberCount ? memberCountLabel(c.group.memberCount) : '';
  const others = members.filter((m) => m.userId !== me).map((m) => m.userId);
  if (members.some((m) => m.userId === me)) others.push('You');
  return others.join(', ');
}

/** The line shown for a membership event, from my point of view ("You added bob", "carol left"). */
export function systemText(msg, me) {
  const who = (u) => (u === me ? 'You' : u || 'Someone');
  const whom = (u) => (u === me ? 'you' : u || 'someone');
  const actor = who(msg.from);
  switch (msg.kind) {
    case 'group_created': return `${actor} created the group “${msg.body}”`;
    case 'member_added': return `${actor} added ${whom(msg.subject)}`;
    case 'member_removed': return `${actor} removed ${whom(msg.subject)}`;
    case 'member_left': return `${who(msg.subject || msg.from)} left`;
    case 'group_renamed': return `${actor} renamed the group to “${msg.body}”`;
    case 'admin_added': return msg.subject === me ? 'You are now an admin' : `${whom(msg.subject)} is now an admin`;
    default: return msg.body || '';
  }
}

/** Who is typing, in words: "typing…" in a 1:1, "bob is typing…" / "bob and carol are typing…" in a group. */
export function typingText(userIds, group) {
  if (!group) return 'typing…';
  if (userIds.length === 1) return `${userIds[0]} is typing…`;
  if (userIds.length === 2) return `${userIds[0]} and ${userIds[1]} are typing…`;
  return `${userIds.length} people are typing…`;
}
