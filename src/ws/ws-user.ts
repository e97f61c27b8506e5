import { CLASS_PROBLEMS, HOST_SCHEMES } from '../core/brand.js';
import { User, USER_SESSION, type UserSession } from '../core/user.js';
import { WsSession, type WsMessage } from './ws-session.js';
import { wsPackage } from './session-socket.js';

/**
 * A User with `this.ws`: a WebSocket connection of its own (on the `ws` package), recording its
 * handshakes, round trips and messages into the same stats, files and targets as HTTP requests.
 * Its host is ws://, wss://, or http(s):// (the same server's WebSocket side).
 */
export class WebSocketUser extends User {
  static override abstract = true;
  static readonly [HOST_SCHEMES]: readonly string[] = ['ws:', 'wss:', 'http:', 'https:'];
  #ws: WsSession | null = null;

  /**
   * Checked before the run (class-specs.ts), which is where `ws` is loaded (core/lazy-package.ts):
   * not inside the first user's connect, where it would count in that handshake's time.
   */
  static [CLASS_PROBLEMS](): string[] {
    wsPackage();
    return [];
  }

  /** This user's WebSocket session, made on first use (as HttpUser's client). */
  get ws(): WsSession {
    // The session calls this.messageName itself: no closure per user.
    this.#ws ??= new WsSession({ context: this.environment.protocolContext(this), user: this });
    return this.#ws;
  }

  /**
   * The WSS/WSR row of a message sent, or received with nobody waiting for it (default "message").
   * Override it to tell kinds of messages apart, e.g. `return JSON.parse(String(m)).type`.
   */
  messageName(message: WsMessage): string {
    void message; // the default names every message alike; an override reads it
    return 'message';
  }

  override [USER_SESSION](): UserSession | null {
    return this.#ws;
  }
}
