/**
 * Memory spaces by name (X-Memory-Space). Bounded: past maxSpaces a new name is refused with 429
 * rather than silently dropping another tenant's data.
 */
import { HttpError } from './http-io.js';
import { MemorySpace, type MemorySpaceLimits } from './memory-space.js';

export const DEFAULT_SPACE = 'default';
const MAX_SPACE_NAME_LENGTH = 64;

/** Letters, digits, "-", "_", "." only: names appear in logs and stats, so keep them printable. */
function isValidSpaceName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_SPACE_NAME_LENGTH) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95 || c === 46;
    if (!ok) return false;
  }
  return true;
}

/** The space name of a request's header value; 400 when it is not a usable name. */
export function spaceNameFrom(header: string | string[] | undefined): string {
  if (header === undefined) return DEFAULT_SPACE;
  const name = Array.isArray(header) ? header[0] ?? '' : header;
  if (!isValidSpaceName(name)) {
    throw new HttpError(400, `X-Memory-Space must be 1-${MAX_SPACE_NAME_LENGTH} characters of letters, digits, "-", "_" or "."`);
  }
  return name;
}

export class SpaceRegistry {
  readonly #spaces = new Map<string, MemorySpace>();
  readonly #limits: MemorySpaceLimits;
  readonly #maxSpaces: number;

  constructor(limits: MemorySpaceLimits, maxSpaces: number) {
    this.#limits = limits;
    this.#maxSpaces = maxSpaces;
  }

  get size(): number {
    return this.#spaces.size;
  }

  get(name: string): MemorySpace {
    let space = this.#spaces.get(name);
    if (space === undefined) {
      if (this.#spaces.size >= this.#maxSpaces) {
        throw new HttpError(429, `too many memory spaces (max ${this.#maxSpaces}); reuse an existing X-Memory-Space or raise maxSpaces`);
      }
      space = new MemorySpace(this.#limits);
      this.#spaces.set(name, space);
    }
    return space;
  }
}
