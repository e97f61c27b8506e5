/**
 * ConversationUser (seed: "WebSocket: 1000 concurrent connections, 100 msg/sec per connection"):
 * one WebSocket connection per virtual user to the conversation stream (GET /ws/conversation),
 * sending CONTINUUM turns and pings at a fixed rate per connection.
 *
 *   turn 90 %   {"type":"turn","id","text"} → row WS  "turn", timed to its {"type":"ack","re":id}
 *   ping 10 %   {"type":"ping","id"}        → row WS  "ping", timed to its {"type":"pong","re":id}
 *   the recall the server pushes after each ack → row WSR "recall" (rows are named by the message's type)
 *
 * Pacing: constantThroughput(CONVERSATION_RATE) starts a task every 1/rate s, so each connection
 * sends `rate` messages a second as long as a round trip takes less than 1/rate s. The seed's
 * 100 msg/s is a subclass away: `override waitTime = constantThroughput(100)`.
 * The turns' texts: what the user says in eight conversations drawn at start from its seeded stream
 * (faker is ~0.1 ms a body, too slow to call per message at 100 msg/s), so --seed reproduces them.
 */
import { WebSocketUser, constantThroughput, task, type WsMessage } from '../src/index.js';
import { ContinuumData } from './support/continuum-data.js';

export const CONVERSATION_PATH = '/ws/conversation';
/** Messages a second per connection at the websocket scenario's default load (the seed's full rate is 100). */
export const CONVERSATION_RATE = 10;
const TEXTS_PER_USER = 8;
/** Seconds a turn or ping waits for its answer before it counts as a failure. */
const ANSWER_TIMEOUT_SEC = 5;

export class ConversationUser extends WebSocketUser {
  static override weight = 1;
  override waitTime = constantThroughput(CONVERSATION_RATE);
  #texts: string[] = [];
  #sent = 0;

  override async onStart(): Promise<void> {
    const data = new ContinuumData(this.rng);
    this.#texts = Array.from({ length: TEXTS_PER_USER }, () => data.conversation().user_message);
    await this.ws.connect(CONVERSATION_PATH);
  }

  @task(9)
  async turn(): Promise<void> {
    if (!this.ws.connected) {
      await this.ws.connect(CONVERSATION_PATH); // after a close (recorded): reconnect, send on the next task
      return;
    }
    const id = String(this.#sent++);
    const message = JSON.stringify({ type: 'turn', id, text: this.rng.pick(this.#texts) });
    await this.ws.sendAndWait(message, (m) => isAnswer(m, 'ack', id), { name: 'turn', timeout: ANSWER_TIMEOUT_SEC });
  }

  @task(1)
  async ping(): Promise<void> {
    if (!this.ws.connected) {
      await this.ws.connect(CONVERSATION_PATH);
      return;
    }
    const id = String(this.#sent++);
    await this.ws.sendAndWait(JSON.stringify({ type: 'ping', id }), (m) => isAnswer(m, 'pong', id), { name: 'ping', timeout: ANSWER_TIMEOUT_SEC });
  }

  /** WSR rows by the pushed message's type: "recall", or "error" should the server refuse a message. */
  override messageName(message: WsMessage): string {
    return typeOf(message) ?? 'message';
  }
}

function isAnswer(message: WsMessage, type: string, id: string): boolean {
  const fields = jsonObject(message);
  return fields !== null && fields.type === type && fields.re === id;
}

function typeOf(message: WsMessage): string | null {
  const type = jsonObject(message)?.type;
  return typeof type === 'string' && type !== '' ? type : null;
}

function jsonObject(message: WsMessage): Record<string, unknown> | null {
  if (typeof message !== 'string') return null;
  try {
    const value: unknown = JSON.parse(message);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
