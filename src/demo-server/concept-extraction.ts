/**
 * Deterministic concept extraction: the demo server's stand-in for CONTINUUM's NLP. Rules:
 * - a run of capitalised non-stopword words ("Ada Lovelace", "New York") is one named concept,
 *   unless it is a single word opening a sentence (then it is just a capitalised ordinary word);
 *   a named concept after a title (Dr, Mr…) is a person, after in/at/from/near a place,
 *   otherwise an entity (metadata.type overrides this when it is a known type);
 * - any other word of 4+ letters that is not a stopword or a number is a plain concept;
 * - relationships link each concept to the next few in the text, not to all of them, so one
 *   long text costs O(concepts) relationships instead of O(concepts²).
 */
import { STOPWORDS } from './stopwords.js';
import { isIndexToken, scanWords, type Word } from './tokenizer.js';

export const CONCEPT_TYPES = ['concept', 'entity', 'person', 'place', 'organization', 'event'] as const;
export type ConceptType = (typeof CONCEPT_TYPES)[number];

export interface ExtractedConcept {
  name: string;
  /** Lower-case name: the identity of a concept inside a memory space. */
  key: string;
  type: ConceptType;
  /** Index tokens of the name, for the inverted index. */
  tokens: string[];
}

/** A text yields at most this many concepts; the rest of a huge text adds nothing new. */
export const MAX_CONCEPTS_PER_TEXT = 64;
/** Each concept is related to this many following concepts of the same text. */
export const RELATIONSHIP_WINDOW = 3;
const MAX_NAME_WORDS = 4;
const MIN_PLAIN_WORD_LENGTH = 4;

const PERSON_TITLES: ReadonlySet<string> = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'professor', 'sir']);
const PLACE_PREPOSITIONS: ReadonlySet<string> = new Set(['in', 'at', 'from', 'near', 'to']);
const TYPE_NAMES: ReadonlySet<string> = new Set(CONCEPT_TYPES);

export function isConceptType(value: unknown): value is ConceptType {
  return typeof value === 'string' && TYPE_NAMES.has(value);
}

function isNameWord(word: Word): boolean {
  return word.capitalised && !STOPWORDS.has(word.lower) && !PERSON_TITLES.has(word.lower);
}

function isPlainConceptWord(word: Word): boolean {
  if (word.lower.length < MIN_PLAIN_WORD_LENGTH || STOPWORDS.has(word.lower) || PERSON_TITLES.has(word.lower)) return false;
  const first = word.lower.charCodeAt(0);
  return !(first >= 48 && first <= 57);
}

function namedType(previous: Word | undefined, override: ConceptType | undefined): ConceptType {
  if (override !== undefined) return override;
  if (previous === undefined) return 'entity';
  if (PERSON_TITLES.has(previous.lower)) return 'person';
  if (PLACE_PREPOSITIONS.has(previous.lower)) return 'place';
  return 'entity';
}

/** Concepts of a text in order of first appearance, deduplicated by key, at most MAX_CONCEPTS_PER_TEXT. */
export function extractConcepts(text: string, typeOverride?: ConceptType): ExtractedConcept[] {
  const words = scanWords(text);
  const found = new Map<string, ExtractedConcept>();
  let i = 0;
  while (i < words.length && found.size < MAX_CONCEPTS_PER_TEXT) {
    const word = words[i] as Word;
    let end = i;
    while (end < words.length && end - i < MAX_NAME_WORDS && isNameWord(words[end] as Word)) {
      end++;
      // A name never spans a sentence boundary ("…in London. Machine learning…").
      if (end < words.length && (words[end] as Word).sentenceStart) break;
    }
    const runLength = end - i;
    if (runLength >= 2 || (runLength === 1 && !word.sentenceStart)) {
      const run = words.slice(i, end);
      const name = run.map((w) => w.raw).join(' ');
      addConcept(found, name, namedType(words[i - 1], typeOverride), run);
      i = end;
      continue;
    }
    if (isPlainConceptWord(word)) addConcept(found, word.lower, 'concept', [word]);
    i++;
  }
  return [...found.values()];
}

function addConcept(found: Map<string, ExtractedConcept>, name: string, type: ConceptType, run: Word[]): void {
  const key = name.toLowerCase();
  if (found.has(key)) return;
  const tokens = run.map((w) => w.lower).filter(isIndexToken);
  if (tokens.length === 0) return;
  found.set(key, { name, key, type, tokens });
}

/** Index pairs (into the extracted list) that become relationships. */
export function relationshipPairs(count: number): Array<readonly [number, number]> {
  const pairs: Array<readonly [number, number]> = [];
  for (let a = 0; a < count; a++) {
    const last = Math.min(count - 1, a + RELATIONSHIP_WINDOW);
    for (let b = a + 1; b <= last; b++) pairs.push([a, b]);
  }
  return pairs;
}
