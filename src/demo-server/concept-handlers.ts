/** GET|PUT|DELETE /concepts/:id and GET /entities. */
import { optionalObject, optionalString, queryInteger } from './body-fields.js';
import { formatConceptId, parseConceptId, viewConcept, type Concept } from './concept.js';
import { CONCEPT_TYPES, isConceptType, type ConceptType } from './concept-extraction.js';
import { DEFAULT_PER_PAGE, listEntities, MAX_PER_PAGE } from './entity-listing.js';
import { HttpError } from './http-io.js';
import type { ConceptPatch } from './memory-space.js';
import { ok, type Reply, type RequestContext } from './route.js';

const MAX_NAME_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 8192;
const MAX_METADATA_BYTES = 4096;
const RELATED_LIMIT = 10;
const MAX_PAGE = 1_000_000;

function findConcept(ctx: RequestContext): Concept {
  const id = parseConceptId(ctx.param);
  const concept = id === undefined ? undefined : ctx.space().get(id);
  if (concept === undefined) throw new HttpError(404, `no concept with id "${ctx.param}"`);
  return concept;
}

export function handleGetConcept(ctx: RequestContext): Reply {
  const concept = findConcept(ctx);
  const space = ctx.space();
  const related = space.graph.neighbours(concept.id, RELATED_LIMIT).map(([id, weight]) => ({
    id: formatConceptId(id), name: space.get(id)?.name ?? '', weight,
  }));
  return ok({ concept: viewConcept(concept), related });
}

function readPatch(ctx: RequestContext): ConceptPatch {
  const patch: ConceptPatch = {};
  const name = optionalString(ctx.body, 'name', MAX_NAME_LENGTH);
  if (name !== undefined) {
    if (name.trim() === '') throw new HttpError(400, '"name" must not be empty');
    patch.name = name;
  }
  const description = optionalString(ctx.body, 'description', MAX_DESCRIPTION_LENGTH);
  if (description !== undefined) patch.description = description;
  const type = ctx.body.type;
  if (type !== undefined) {
    if (!isConceptType(type)) throw new HttpError(400, `"type" must be one of ${CONCEPT_TYPES.join(', ')}`);
    patch.type = type;
  }
  const metadata = optionalObject(ctx.body, 'metadata', MAX_METADATA_BYTES);
  if (metadata !== undefined) patch.metadata = metadata;
  if (Object.keys(patch).length === 0) {
    throw new HttpError(400, 'send at least one of "name", "description", "type", "metadata"');
  }
  return patch;
}

export function handleUpdateConcept(ctx: RequestContext): Reply {
  const concept = findConcept(ctx);
  const patch = readPatch(ctx);
  const outcome = ctx.space().update(concept.id, patch);
  if (outcome === 'not_found') throw new HttpError(404, `no concept with id "${ctx.param}"`);
  if (outcome === 'name_taken') throw new HttpError(409, `a concept named "${patch.name ?? ''}" already exists`);
  return ok({ concept: viewConcept(outcome) });
}

export function handleDeleteConcept(ctx: RequestContext): Reply {
  const concept = findConcept(ctx);
  ctx.space().delete(concept.id);
  return ok({ id: formatConceptId(concept.id), deleted: true });
}

export function handleListEntities(ctx: RequestContext): Reply {
  const typeText = ctx.query.get('type');
  let type: ConceptType | undefined;
  if (typeText !== null && typeText !== '') {
    if (!isConceptType(typeText)) {
      throw new HttpError(400, `query parameter "type" must be one of ${CONCEPT_TYPES.join(', ')} (got "${typeText}")`);
    }
    type = typeText;
  }
  const page = queryInteger(ctx.query, 'page', 1, 1, MAX_PAGE);
  const perPage = queryInteger(ctx.query, 'per_page', DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
  return ok({ ...listEntities(ctx.space(), type, page, perPage) });
}
