// HTTP part of the client API (see API.md). Every failure is thrown as an ApiError
// carrying the server's {"code","message"} (or a synthetic code for network problems).

export class ApiError extends Error {
  constructor(code, message, status = 0) {
    super(message || code);
    this.code = code;
    this.status = status;
  }
}

const DEFAULT_TIMEOUT_MS = 15000;

/** Encodes a path segment; ':' is legal in a segment and kept readable (dm:a:b). */
export function seg(value) {
  return encodeURIComponent(value).replace(/%3A/gi, ':');
}

export class Api {
  constructor(getToken, onUnauthorized) {
    this.getToken = getToken;
    this.onUnauthorized = onUnauthorized;
  }

  async request(method, path, { body, auth = true, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    const headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth) {
      const token = this.getToken();
      if (token) headers['Authorization'] = `Bearer ${token}`;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let res;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        cache: 'no-store',
      });
    } catch (e) {
      if (e && e.name === 'AbortError') throw new ApiError('timeout', 'The server did not answer in time.');
      throw new ApiError('network', 'Cannot reach the server. Check your connection.');
    } finally {
      clearTimeout(timer);
    }

    if (res.status === 204) return null;
    let data = null;
    const text = await res.text().catch(() => '');
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (!res.ok) {
      const code = (data && typeof data.code === 'string') ? data.code : statusCode(res.status);
      const message = (data && typeof data.message === 'string') ? data.message : `${res.status} ${res.statusText}`;
      const err = new ApiError(code, message, res.status);
      if (res.status === 401 && auth && this.onUnauthorized) this.onUnauthorized(err);
      throw err;
    }
    return data;
  }

  signUp(username, password) {
    return this.request('POST', '/api/auth/signup', { body: { username, password }, auth: false });
  }

  signIn(username, password) {
    return this.request('POST', '/api/auth/signin', { body: { username, password }, auth: false });
  }

  getUser(username) {
    return this.request('GET', `/api/users/${seg(username)}`);
  }

  conversations(offset = 0, limit = 50) {
    return this.request('GET', `/api/conversations?offset=${offset}&limit=${limit}`);
  }

  messages(conversationId, before, limit = 50) {
    const q = new URLSearchParams({ limit: String(limit) });
    if (before !== undefined && before !== null) q.set('before', before);
    return this.request('GET', `/api/conversations/${seg(conversationId)}/messages?${q}`);
  }

  read(conversationId, upTo) {
    return this.request('POST', `/api/conversations/${seg(conversationId)}/read`, { body: { upTo } });
  }

  send(clientMessageId, to, body, attachments) {
    const payload = { clientMessageId, to, body };
    if (attachments && attachments.length > 0) payload.attachments = attachments;
    return this.request('POST', '/api/messages', { body: payload });
  }

  received(upTo) {
    return this.request('POST', '/api/received', { body: { upTo } });
  }

  presence(userId) {
    return this.request('GET', `/api/users/${seg(userId)}/presence`);
  }

  // Groups (API v2): every call answers a Group {conversationId, name, createdAt, members:[{userId, role}]}.
  createGroup(name, members) {
    return this.request('POST', '/api/groups', { body: { name, members } });
  }

  getGroup(conversationId) {
    return this.request('GET', `/api/groups/${seg(conversationId)}`);
  }

  renameGroup(conversationId, name) {
    return this.request('PATCH', `/api/groups/${seg(conversationId)}`, { body: { name } });
  }

  addMember(conversationId, userId) {
    return this.request('POST', `/api/groups/${seg(conversationId)}/members`, { body: { userId } });
  }

  removeMember(conversationId, userId) {
    return this.request('DELETE', `/api/groups/${seg(conversationId)}/members/${seg(userId)}`);
  }

  makeAdmin(conversationId, userId) {
    return this.request('POST', `/api/groups/${seg(conversationId)}/admins`, { body: { userId } });
  }
}

function statusCode(status) {
  switch (status) {
    case 400: return 'invalid_request';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'username_taken';
    case 413: return 'too_large';
    case 429: return 'rate_limited';
    case 503: return 'unavailable';
    default: return 'error';
  }
}
