/**
 * The conversation stream's client messages (GET /ws/conversation), read from one text frame.
 * Pure: a frame becomes a turn, a ping, or what was wrong with it, never an exception, so one bad
 * message costs its sender an error message and nothing else.
 *
 *   {"type":"turn","id":"t1","text":"…"}   → {"type":"ack","re":"t1"}, then {"type":"recall","re":"t1","results":[…]}
 *   {"type":"ping","id":7}                 → {"type":"pong","re":7}
 *   anything else                          → {"type":"error","message":"…"} (with "re" when an id was readable)
 */

/** An id is echoed back as `re`: a short string or a finite number, as the client sent it. */
export type MessageId = string | number;

export type ClientMessage =
  | { kind: 'turn'; id: MessageId; text: string }
  | { kind: 'ping'; id: MessageId | null }
  | { kind: 'malformed'; message: string; re: MessageId | null };

export const MAX_TURN_TEXT_LENGTH = 10_000;
const MAX_ID_LENGTH = 128;
const KNOWN_TYPES = 'turn, ping';

/** Reads one text frame. */
export function parseClientMessage(text: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return malformed('not JSON: send {"type":"turn","id":"…","text":"…"} or {"type":"ping","id":"…"}');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return malformed('a message must be a JSON object');
  const fields = value as Record<string, unknown>;
  const read = readId(fields.id);
  if (!read.ok) return malformed(`"id" must be a string of at most ${MAX_ID_LENGTH} characters or a finite number`);
  const id = read.id;
  switch (fields.type) {
    case 'ping':
      return { kind: 'ping', id };
    case 'turn':
      return readTurn(fields.text, id);
    default:
      return malformed(`"type" must be one of ${KNOWN_TYPES} (got ${describe(fields.type)})`, id);
  }
}

function readTurn(text: unknown, id: MessageId | null): ClientMessage {
  if (id === null) return malformed('a turn needs an "id" (echoed back as "re" in its ack and recall)');
  if (typeof text !== 'string' || text.trim() === '') return malformed('a turn needs a non-empty string "text"', id);
  if (text.length > MAX_TURN_TEXT_LENGTH) return malformed(`"text" is longer than ${MAX_TURN_TEXT_LENGTH} characters`, id);
  return { kind: 'turn', id, text };
}

/** An absent id is null (a ping may go without); one of another kind is not usable. */
function readId(id: unknown): { ok: true; id: MessageId | null } | { ok: false } {
  if (id === undefined || id === null) return { ok: true, id: null };
  if ((typeof id === 'string' && id.length <= MAX_ID_LENGTH) || (typeof id === 'number' && Number.isFinite(id))) return { ok: true, id };
  return { ok: false };
}

function malformed(message: string, re: MessageId | null = null): ClientMessage {
  return { kind: 'malformed', message, re };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'nothing';
  return value === null ? 'null' : typeof value;
}
