/**
 * Word scanning shared by concept extraction, recall and embedding queries. A char-code loop
 * rather than a regex: no per-request regex state, one pass, and it also records what the
 * extraction rules need (capitalisation, sentence starts) without a second scan.
 */
import { STOPWORDS } from './stopwords.js';

export interface Word {
  /** The word as written. */
  raw: string;
  /** Lower case; the key used by the inverted index. */
  lower: string;
  /** Starts with an upper-case letter. */
  capitalised: boolean;
  /** First word of the text or of a sentence (after . ! ? or a line break). */
  sentenceStart: boolean;
}

/** Words longer than this are hashes, URLs or noise, never concepts. */
const MAX_WORD_LENGTH = 48;

function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) ||
    code === 39 || code >= 0xc0;
}

function endsSentence(code: number): boolean {
  return code === 46 || code === 33 || code === 63 || code === 10;
}

function isUpper(ch: string): boolean {
  return ch !== ch.toLowerCase();
}

/** Splits text into words; apostrophes inside words are kept ("don't"), at the edges dropped. */
export function scanWords(text: string): Word[] {
  const words: Word[] = [];
  let start = -1;
  let sentenceStart = true;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    if (isWordChar(code)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      const raw = trimApostrophes(text.slice(start, i));
      if (raw.length > 0 && raw.length <= MAX_WORD_LENGTH) {
        words.push({ raw, lower: raw.toLowerCase(), capitalised: isUpper(raw.charAt(0)), sentenceStart });
      }
      sentenceStart = false;
      start = -1;
    }
    if (endsSentence(code)) sentenceStart = true;
  }
  return words;
}

function trimApostrophes(word: string): string {
  let from = 0;
  let to = word.length;
  while (from < to && word.charCodeAt(from) === 39) from++;
  while (to > from && word.charCodeAt(to - 1) === 39) to--;
  return from === 0 && to === word.length ? word : word.slice(from, to);
}

/** Whether a lower-case word may be an index token (for recall and embeddings). */
export function isIndexToken(lower: string): boolean {
  return lower.length >= 2 && !STOPWORDS.has(lower);
}

/** Distinct index tokens of a query, in first-seen order. */
export function queryTokens(text: string): string[] {
  const seen = new Set<string>();
  for (const word of scanWords(text)) {
    if (isIndexToken(word.lower)) seen.add(word.lower);
  }
  return [...seen];
}
