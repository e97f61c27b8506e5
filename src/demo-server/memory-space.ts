/**
 * One isolated memory (selected by X-Memory-Space): concepts, their name and token indexes, the
 * relationship graph and the federation change log. Concepts are evicted oldest-first (by creation)
 * past the cap, and an eviction is removed from every index and logged as a delete for peers.
 */
import { type Concept, contentHash, formatConceptId } from './concept.js';
import { type ConceptType, type ExtractedConcept, extractConcepts, relationshipPairs } from './concept-extraction.js';
import { ChangeLog } from './change-log.js';
import { InvertedIndex } from './inverted-index.js';
import { PeerRegistry } from './peer-registry.js';
import { RelationshipGraph } from './relationship-graph.js';
import { isIndexToken, scanWords } from './tokenizer.js';

export interface MemorySpaceLimits {
  maxConcepts: number;
  maxRelationships: number;
}

export interface LearnResult {
  conceptsExtracted: number;
  conceptsCreated: number;
  relationshipsExtracted: number;
  conceptIds: string[];
}

export interface ConceptPatch {
  name?: string;
  description?: string;
  type?: ConceptType;
  metadata?: Record<string, unknown>;
}

export type UpdateOutcome = Concept | 'not_found' | 'name_taken';

const CHANGE_LOG_CAPACITY = 10_000;

export class MemorySpace {
  /** Insertion order = creation order, so the first key is always the eviction victim. */
  readonly concepts = new Map<number, Concept>();
  readonly byType = new Map<ConceptType, Map<number, Concept>>();
  readonly index = new InvertedIndex();
  readonly graph: RelationshipGraph;
  readonly changes = new ChangeLog(CHANGE_LOG_CAPACITY);
  readonly peers = new PeerRegistry();
  readonly #byKey = new Map<string, number>();
  readonly #maxConcepts: number;
  #nextId = 1;
  #evicted = 0;

  constructor(limits: MemorySpaceLimits) {
    this.#maxConcepts = limits.maxConcepts;
    this.graph = new RelationshipGraph(limits.maxRelationships);
  }

  get evictedCount(): number {
    return this.#evicted;
  }

  get(id: number): Concept | undefined {
    return this.concepts.get(id);
  }

  findByName(name: string): Concept | undefined {
    const id = this.#byKey.get(name.toLowerCase());
    return id === undefined ? undefined : this.concepts.get(id);
  }

  learn(text: string, typeOverride: ConceptType | undefined, metadata: Record<string, unknown> | undefined): LearnResult {
    const extracted = extractConcepts(text, typeOverride);
    const ids: number[] = [];
    let created = 0;
    for (const item of extracted) {
      const existing = this.#byKey.get(item.key);
      const concept = existing === undefined ? undefined : this.concepts.get(existing);
      if (concept !== undefined) {
        concept.mentions++;
        ids.push(concept.id);
      } else {
        ids.push(this.#create(item, metadata, 'local', 1, '').id);
        created++;
      }
    }
    let relationships = 0;
    for (const [a, b] of relationshipPairs(ids.length)) {
      const idA = ids[a] as number;
      const idB = ids[b] as number;
      // With a tiny cap a concept of this very text may already be evicted again.
      if (!this.concepts.has(idA) || !this.concepts.has(idB)) continue;
      if (this.graph.link(idA, idB) !== 'dropped') relationships++;
    }
    return { conceptsExtracted: extracted.length, conceptsCreated: created, relationshipsExtracted: relationships, conceptIds: ids.map(formatConceptId) };
  }

  /** Creates a named concept outside text extraction (federation contributions). */
  createNamed(name: string, type: ConceptType, description: string, origin: string, version: number): Concept | undefined {
    const tokens = scanWords(name).map((w) => w.lower).filter(isIndexToken);
    if (tokens.length === 0) return undefined;
    return this.#create({ name, key: name.toLowerCase(), type, tokens }, undefined, origin, version, description);
  }

  update(id: number, patch: ConceptPatch): UpdateOutcome {
    const concept = this.concepts.get(id);
    if (concept === undefined) return 'not_found';
    if (patch.name !== undefined && patch.name.toLowerCase() !== concept.key) {
      const key = patch.name.toLowerCase();
      if (this.#byKey.has(key)) return 'name_taken';
      this.index.remove(id, concept.tokens);
      this.#byKey.delete(concept.key);
      concept.tokens = scanWords(patch.name).map((w) => w.lower).filter(isIndexToken);
      concept.key = key;
      concept.vector = undefined;
      this.#byKey.set(key, id);
      this.index.add(id, concept.tokens);
    }
    if (patch.name !== undefined) concept.name = patch.name;
    if (patch.type !== undefined && patch.type !== concept.type) {
      this.byType.get(concept.type)?.delete(id);
      concept.type = patch.type;
      this.#typeMap(patch.type).set(id, concept);
    }
    if (patch.description !== undefined) concept.description = patch.description;
    if (patch.metadata !== undefined) concept.metadata = patch.metadata;
    concept.version++;
    concept.hash = contentHash(concept.name, concept.type, concept.description);
    concept.updatedAt = Date.now();
    this.#log('upsert', concept);
    return concept;
  }

  delete(id: number): boolean {
    const concept = this.concepts.get(id);
    if (concept === undefined) return false;
    this.#remove(concept);
    return true;
  }

  #create(
    item: ExtractedConcept, metadata: Record<string, unknown> | undefined, origin: string, version: number, description: string,
  ): Concept {
    while (this.concepts.size >= this.#maxConcepts) this.#evictOldest();
    const now = Date.now();
    const concept: Concept = {
      id: this.#nextId++, name: item.name, key: item.key, type: item.type, description, metadata,
      version, hash: contentHash(item.name, item.type, description), tokens: item.tokens, mentions: 1, origin,
      createdAt: now, updatedAt: now, vector: undefined,
    };
    this.concepts.set(concept.id, concept);
    this.#byKey.set(concept.key, concept.id);
    this.#typeMap(concept.type).set(concept.id, concept);
    this.index.add(concept.id, concept.tokens);
    this.#log('upsert', concept);
    return concept;
  }

  #evictOldest(): void {
    const oldest = this.concepts.values().next();
    if (oldest.done === true) return;
    this.#remove(oldest.value);
    this.#evicted++;
  }

  #remove(concept: Concept): void {
    this.concepts.delete(concept.id);
    this.#byKey.delete(concept.key);
    this.byType.get(concept.type)?.delete(concept.id);
    this.index.remove(concept.id, concept.tokens);
    this.graph.remove(concept.id);
    this.#log('delete', concept);
  }

  #typeMap(type: ConceptType): Map<number, Concept> {
    let map = this.byType.get(type);
    if (map === undefined) {
      map = new Map();
      this.byType.set(type, map);
    }
    return map;
  }

  #log(op: 'upsert' | 'delete', concept: Concept): void {
    this.changes.append({ op, id: formatConceptId(concept.id), name: concept.name, version: concept.version, hash: concept.hash });
  }
}
