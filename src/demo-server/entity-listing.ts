/**
 * GET /entities: concepts filtered by type, oldest first, paginated. Each type has its own
 * insertion-ordered map, so a filtered total is O(1) and a page costs O(offset + per_page).
 */
import { viewConcept, type ConceptView, type Concept } from './concept.js';
import type { ConceptType } from './concept-extraction.js';
import type { MemorySpace } from './memory-space.js';

export interface EntityPage {
  items: ConceptView[];
  total: number;
  page: number;
  per_page: number;
  pages: number;
}

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;

export function listEntities(space: MemorySpace, type: ConceptType | undefined, page: number, perPage: number): EntityPage {
  const source: Map<number, Concept> | undefined = type === undefined ? space.concepts : space.byType.get(type);
  const total = source?.size ?? 0;
  const items: ConceptView[] = [];
  const offset = (page - 1) * perPage;
  if (source !== undefined && offset < total) {
    let index = 0;
    for (const concept of source.values()) {
      if (index++ < offset) continue;
      items.push(viewConcept(concept));
      if (items.length >= perPage) break;
    }
  }
  return { items, total, page, per_page: perPage, pages: Math.ceil(total / perPage) };
}
