/** The stored concept record and its public JSON view. */
import type { ConceptType } from './concept-extraction.js';
import { hashString } from './prng.js';

export interface Concept {
  /** Numeric inside the server; exposed as "c<id>" so ids stay opaque to clients. */
  id: number;
  name: string;
  key: string;
  type: ConceptType;
  description: string;
  metadata: Record<string, unknown> | undefined;
  /** Server-issued; +1 on every content change (PUT, federation contribution). */
  version: number;
  /** Content hash (name, type, description) that federation peers compare. */
  hash: string;
  tokens: readonly string[];
  mentions: number;
  /** "local" or the peer_id that contributed it. */
  origin: string;
  createdAt: number;
  updatedAt: number;
  /** Embedding, computed on first embedding search only: most runs never pay for it. */
  vector: Float32Array | undefined;
}

export interface ConceptView {
  id: string;
  name: string;
  type: ConceptType;
  description: string;
  metadata: Record<string, unknown> | null;
  version: number;
  hash: string;
  mentions: number;
  origin: string;
  created_at: string;
  updated_at: string;
}

export function contentHash(name: string, type: string, description: string): string {
  return hashString(`${name}\u0000${type}\u0000${description}`).toString(16).padStart(8, '0');
}

export function formatConceptId(id: number): string {
  return `c${id}`;
}

/** Accepts "c42" (what the API hands out) and "42"; anything else is not a concept id. */
export function parseConceptId(text: string): number | undefined {
  const digits = text.charCodeAt(0) === 99 ? text.slice(1) : text;
  if (digits.length === 0 || digits.length > 15) return undefined;
  for (let i = 0; i < digits.length; i++) {
    const code = digits.charCodeAt(i);
    if (code < 48 || code > 57) return undefined;
  }
  return Number(digits);
}

export function viewConcept(concept: Concept): ConceptView {
  return {
    id: formatConceptId(concept.id),
    name: concept.name,
    type: concept.type,
    description: concept.description,
    metadata: concept.metadata ?? null,
    version: concept.version,
    hash: concept.hash,
    mentions: concept.mentions,
    origin: concept.origin,
    created_at: new Date(concept.createdAt).toISOString(),
    updated_at: new Date(concept.updatedAt).toISOString(),
  };
}
