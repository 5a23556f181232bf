// WebSocket connection with reconnect (exponential backoff + jitter) and a heartbeat.
// It knows nothing about messages: the app gets frames, and state changes
// ('connecting' | 'open' | 'closed'), and sends frames while the socket is open.

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30000;
const PING_EVERY_MS = 25000;
const PONG_TIMEOUT_MS = 10000;
const HEALTHY_AFTER_MS = 5000;

export class Connection {
  /**
   * @param {{ url: () => string,
   *           onFrame: (frame: any) => void,
   *           onState: (state: 'connecting'|'open'|'closed', info: {retryInMs?: number, waitingForNetwork?: boolean}) => void,
   *           onHandshakeFailed?: (attempt: number) => void }} options
   */
  constructor(options) {
    this.options = options;
    this.ws = null;
    this.attempt = 0;
    this.running = false;
    this.retryTimer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    this.openedAt = 0;
    this.state = 'closed';

    this.handleOnline = () => { if (this.running && !this.isOpen) this.reconnectNow(); };
    this.handleOffline = () => {
      if (!this.running) return;
      if (this.ws) { this.drop('network offline'); return; }
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.setState('closed', { waitingForNetwork: true });
    };
    this.handleVisible = () => {
      if (this.running && document.visibilityState === 'visible' && this.state === 'closed' && navigator.onLine !== false) {
        this.reconnectNow();
      }
    };
  }

  get isOpen() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN && this.state === 'open';
  }

  start() {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.handleOnline);
    window.addEventListener('offline', this.handleOffline);
    document.addEventListener('visibilitychange', this.handleVisible);
    this.connect();
  }

  stop() {
    this.running = false;
    window.removeEventListener('online', this.handleOnline);
    window.removeEventListener('offline', this.handleOffline);
    document.removeEventListener('visibilitychange', this.handleVisible);
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.teardown(1000, 'sign out');
    this.setState('closed', {});
  }

  /** Sends a frame; false when the socket is not open (the frame is not queued). */
  send(frame) {
    if (!this.isOpen) return false;
    try {
      this.ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  /** Closes the current socket as if the network dropped; reconnects with backoff. */
  drop(reason = 'dropped') {
    if (!this.ws) return;
    const wasOpen = this.openedAt > 0;
    this.teardown(4000, reason);
    this.afterClose(wasOpen);
  }

  reconnectNow() {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    if (this.ws) return; // already connecting or open
    this.connect();
  }

  connect() {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    let ws;
    try {
      ws = new WebSocket(this.options.url());
    } catch {
      this.afterClose(false);
      return;
    }
    this.ws = ws;
    this.openedAt = 0;
    this.setState('connecting', {});

    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.openedAt = Date.now();
      this.setState('open', {});
      this.schedulePing();
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.gotTraffic();
      if (typeof ev.data !== 'string') return;
      let frame;
      try { frame = JSON.parse(ev.data); } catch { return; }
      if (frame && typeof frame === 'object') this.options.onFrame(frame);
    };
    ws.onerror = () => { /* onclose follows */ };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      const wasOpen = this.openedAt > 0;
      this.teardown();
      this.afterClose(wasOpen);
    };
  }

  teardown(code, reason) {
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = this.pongTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      try {
        if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
          ws.close(code ?? 1000, reason ?? '');
        }
      } catch { /* ignore */ }
    }
  }

  afterClose(wasOpen) {
    const openFor = this.openedAt ? Date.now() - this.openedAt : 0;
    this.openedAt = 0;
    if (!this.running) return;
    if (wasOpen && openFor >= HEALTHY_AFTER_MS) this.attempt = 0;
    if (!wasOpen && this.options.onHandshakeFailed) this.options.onHandshakeFailed(this.attempt);

    if (navigator.onLine === false) {
      // Wait for the browser's 'online' event; no point hammering a dead network.
      this.setState('closed', { waitingForNetwork: true });
      return;
    }
    const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt);
    const delay = Math.round(cap / 2 + Math.random() * cap / 2);
    this.attempt = Math.min(this.attempt + 1, 16);
    this.setState('closed', { retryInMs: delay });
    this.retryTimer = setTimeout(() => { this.retryTimer = null; this.connect(); }, delay);
  }

  schedulePing() {
    clearTimeout(this.pingTimer);
    this.pingTimer = setTimeout(() => {
      if (!this.isOpen) return;
      this.send({ type: 'ping' });
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => this.drop('heartbeat timeout'), PONG_TIMEOUT_MS);
    }, PING_EVERY_MS);
  }

  gotTraffic() {
    // Any frame proves the connection is alive.
    clearTimeout(this.pongTimer);
    this.pongTimer = null;
    this.schedulePing();
  }

  setState(state, info) {
    this.state = state;
    this.options.onState(state, info);
  }
}
