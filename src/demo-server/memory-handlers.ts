/** POST /learn, POST|GET /recall, POST /turn. */
import { optionalInteger, optionalObject, optionalString, queryInteger, requireString } from './body-fields.js';
import { isConceptType } from './concept-extraction.js';
import { HttpError } from './http-io.js';
import type { LearnResult } from './memory-space.js';
import { DEFAULT_RECALL_LIMIT, MAX_RECALL_LIMIT, recall, type RecallResult } from './recall.js';
import { ok, type Reply, type RequestContext } from './route.js';

const MAX_TEXT_LENGTH = 100_000;
const MAX_QUERY_LENGTH = 10_000;
const MAX_METADATA_BYTES = 4096;
const TURN_RECALL_LIMIT = 5;

function learnBody(result: LearnResult): Record<string, unknown> {
  return {
    concepts_extracted: result.conceptsExtracted,
    concepts_created: result.conceptsCreated,
    relationships_extracted: result.relationshipsExtracted,
    concept_ids: result.conceptIds,
  };
}

function recallBody(result: RecallResult): Record<string, unknown> {
  return {
    context: result.context,
    concepts_found: result.conceptsFound,
    relationships_found: result.relationshipsFound,
    query_time_ms: result.queryTimeMs,
    results: result.results,
  };
}

/** `text`, or CONTINUUM's own pair `user_message` / `ai_response` joined, is what gets learned. */
function learnText(ctx: RequestContext): string {
  const { body } = ctx;
  if (body.text === undefined && (body.user_message !== undefined || body.ai_response !== undefined)) {
    const user = optionalString(body, 'user_message', MAX_TEXT_LENGTH) ?? '';
    const ai = optionalString(body, 'ai_response', MAX_TEXT_LENGTH) ?? '';
    return `${user}\n${ai}`;
  }
  if (typeof body.text !== 'string') {
    throw new HttpError(400, '"text" is required and must be a string (or send "user_message" and "ai_response")');
  }
  return requireString(body, 'text', MAX_TEXT_LENGTH, true);
}

export function handleLearn(ctx: RequestContext): Reply {
  const text = learnText(ctx);
  const metadata = optionalObject(ctx.body, 'metadata', MAX_METADATA_BYTES);
  const type = metadata?.type;
  if (type !== undefined && !isConceptType(type)) {
    throw new HttpError(400, `"metadata.type" must be one of concept, entity, person, place, organization, event`);
  }
  return ok(learnBody(ctx.space().learn(text, type, metadata)));
}

export function handleRecallPost(ctx: RequestContext): Reply {
  const query = requireString(ctx.body, 'query', MAX_QUERY_LENGTH);
  const limit = optionalInteger(ctx.body, 'limit', 1, MAX_RECALL_LIMIT) ?? DEFAULT_RECALL_LIMIT;
  return ok({ query, ...recallBody(recall(ctx.space(), query, limit)) });
}

export function handleRecallGet(ctx: RequestContext): Reply {
  const query = ctx.query.get('q') ?? ctx.query.get('query');
  if (query === null || query.trim() === '') throw new HttpError(400, 'query parameter "q" is required');
  if (query.length > MAX_QUERY_LENGTH) throw new HttpError(400, `query parameter "q" is longer than ${MAX_QUERY_LENGTH} characters`);
  const limit = queryInteger(ctx.query, 'limit', DEFAULT_RECALL_LIMIT, 1, MAX_RECALL_LIMIT);
  return ok({ query, ...recallBody(recall(ctx.space(), query, limit)) });
}

/** Recall first (what the model would see), then learn from the exchange, like CONTINUUM's turn. */
export function handleTurn(ctx: RequestContext): Reply {
  const userMessage = requireString(ctx.body, 'user_message', MAX_TEXT_LENGTH);
  const aiResponse = requireString(ctx.body, 'ai_response', MAX_TEXT_LENGTH, true);
  const space = ctx.space();
  const recalled = recall(space, userMessage, TURN_RECALL_LIMIT);
  const learned = space.learn(`${userMessage}\n${aiResponse}`, undefined, undefined);
  return ok({ ...recallBody(recalled), ...learnBody(learned) });
}
