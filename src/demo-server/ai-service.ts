/**
 * continuum.AIService (protos/continuum/ai_service.proto): a simulated language model. Generate
 * recalls the prompt's context from the call's memory space, then answers after a model's delay:
 * time to first token (150-250 ms) plus 8 ms per token, between a quarter of `max_tokens` and all
 * of them (default 128: about 0.4-1.3 s, so the seed's "p99 < 2 s" is met by a healthy server and
 * missed when the fault flags or an overload add a second). The delay is a timer, not work: many
 * calls wait at once, as on a real inference server, and a cancelled call's timer is cleared.
 */
import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import { intField, spaceOf, stringField, type RequestFields } from './grpc-calls.js';
import { statusOfError, withFaults } from './grpc-faults.js';
import { recall } from './recall.js';
import type { ServerState } from './server-state.js';

const MAX_PROMPT_LENGTH = 10_000;
const DEFAULT_MAX_TOKENS = 128;
const MAX_TOKENS = 512;
const CONTEXT_CONCEPTS = 5;
const FIRST_TOKEN_MS = 150;
const FIRST_TOKEN_JITTER_MS = 100;
const MS_PER_TOKEN = 8;
const FILLER = ['the', 'memory', 'suggests', 'that', 'context', 'matters', 'and', 'recall', 'helps', 'here'];

export function aiService(state: ServerState): UntypedServiceImplementation {
  return {
    Generate: (call: ServerUnaryCall<RequestFields, unknown>, callback: sendUnaryData<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      const reply: sendUnaryData<unknown> = (error, value) => {
        if (done) return;
        done = true;
        callback(error, value);
      };
      void withFaults(state, (cancel) => call.once('cancelled', cancel), () => new Promise<void>((resolve) => {
        let answer: { text: string; tokens: number; context: string[]; time_to_first_token_ms: number };
        let delayMs: number;
        try {
          const prompt = stringField(call.request, 'prompt', MAX_PROMPT_LENGTH);
          const maxTokens = intField(call.request, 'max_tokens', DEFAULT_MAX_TOKENS, 1, MAX_TOKENS);
          const context = recall(spaceOf(state, call.metadata), prompt, CONTEXT_CONCEPTS).results.map((hit) => hit.name);
          const fewest = Math.ceil(maxTokens / 4);
          const tokens = fewest + Math.floor(state.random() * (maxTokens - fewest + 1));
          const firstTokenMs = FIRST_TOKEN_MS + Math.floor(state.random() * (FIRST_TOKEN_JITTER_MS + 1));
          answer = { text: words(tokens, context), tokens, context, time_to_first_token_ms: firstTokenMs };
          delayMs = firstTokenMs + tokens * MS_PER_TOKEN;
        } catch (error) {
          reply(statusOfError(error));
          resolve();
          return;
        }
        const cancelled = (): void => {
          clearTimeout(timer);
          resolve();
        };
        call.once('cancelled', cancelled);
        timer = setTimeout(() => {
          call.off('cancelled', cancelled);
          reply(null, answer);
          resolve();
        }, delayMs);
      })).then((error) => {
        if (error !== null) reply(error);
      });
    },
  };
}

/** `count` words: the recalled concepts' names first (a name of several words gives several), as a model would echo its context, then filler. */
function words(count: number, context: readonly string[]): string {
  const echoed = context.flatMap((name) => name.split(/\s+/).filter((w) => w !== ''));
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(i < echoed.length ? (echoed[i] ?? '') : (FILLER[i % FILLER.length] ?? ''));
  return out.join(' ');
}
