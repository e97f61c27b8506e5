/**
 * Realistic CONTINUUM request bodies from @faker-js/faker: conversations (user_message /
 * ai_response), entity names, multi-concept queries, federation contributions.
 *
 * Reproducible with --seed: each virtual user owns one ContinuumData (so no Faker instance is
 * shared between users or held in module state) and every generator re-seeds the Faker from the
 * user's own Rng right before it draws. The output therefore depends only on the user's seeded
 * stream, never on how the event loop interleaved users or on how many values Faker consumed.
 * Cost: a Faker instance is ~0.2 ms to create; one body is a handful of Faker calls (~0.1 ms).
 */
import { Faker, base, en } from '@faker-js/faker';
import type { Rng } from '../../src/index.js';

/** The concept types the CONTINUUM API accepts (metadata.type, /entities?type=). */
export const CONCEPT_TYPES = ['concept', 'entity', 'person', 'place', 'organization', 'event'] as const;
export type ConceptType = (typeof CONCEPT_TYPES)[number];

export interface Conversation {
  user_message: string;
  ai_response: string;
}

export interface FederatedConcept {
  name: string;
  type: ConceptType;
  description: string;
}

export class ContinuumData {
  readonly #rng: Rng;
  // `en` alone lacks some data (hacker.abbreviation) that `base` supplies.
  readonly #faker = new Faker({ locale: [en, base] });

  constructor(rng: Rng) {
    this.#rng = rng;
  }

  /** The user's Faker, re-seeded from the user's Rng: call once per generated body. */
  #seeded(): Faker {
    this.#faker.seed(this.#rng.nextUint32());
    return this.#faker;
  }

  /** One chat exchange naming people, companies, places and technical concepts. */
  conversation(): Conversation {
    const f = this.#seeded();
    const person = f.person.fullName();
    const company = f.company.name();
    const city = f.location.city();
    const thing = `${f.hacker.adjective()} ${f.hacker.noun()}`;
    // Templates are functions so that only the chosen one draws its extra values.
    const userMessage = f.helpers.arrayElement([
      () => `Please remember that ${person} from ${company} is building the ${thing} in ${city}.`,
      () => `What did we decide about the ${thing} for ${company}? Dr ${f.person.lastName()} asked again.`,
      () => `I met ${person} in ${city} today; we talked about ${f.hacker.ingverb()} the ${thing}.`,
      () => `Can you summarise what we know about ${company} and their ${f.hacker.noun()} strategy?`,
    ])();
    const aiResponse = `${f.hacker.phrase()} ${company} calls it "${f.company.catchPhrase()}". ` +
      `${person} leads the ${thing} work, and the next review is in ${city}.`;
    return { user_message: userMessage, ai_response: aiResponse };
  }

  /** Free text for POST /learn {text}. */
  text(): string {
    const c = this.conversation();
    return `${c.user_message}\n${c.ai_response}`;
  }

  /** A query naming two to four concepts, the kind a model sends for context. */
  query(minConcepts = 2, maxConcepts = 4): string {
    const f = this.#seeded();
    const count = f.number.int({ min: minConcepts, max: maxConcepts });
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      parts.push(f.helpers.arrayElement([
        () => f.hacker.noun(),
        () => `${f.hacker.adjective()} ${f.hacker.noun()}`,
        () => f.company.name(),
        () => f.location.city(),
        () => f.person.lastName(),
      ])());
    }
    return parts.join(' ');
  }

  /** A named entity: a person, a company, a place or a product. */
  entityName(): string {
    const f = this.#seeded();
    return f.helpers.arrayElement([
      () => f.person.fullName(),
      () => f.company.name(),
      () => f.location.city(),
      () => f.commerce.productName(),
    ])();
  }

  /** A one-sentence description for PUT /concepts/:id. */
  description(): string {
    return this.#seeded().company.catchPhrase();
  }

  /** Concepts a federation peer contributes. */
  federatedConcepts(count: number): FederatedConcept[] {
    const f = this.#seeded();
    const out: FederatedConcept[] = [];
    for (let i = 0; i < count; i++) {
      const [name, type] = f.helpers.arrayElement<() => [string, ConceptType]>([
        () => [f.person.fullName(), 'person'],
        () => [f.company.name(), 'organization'],
        () => [f.location.city(), 'place'],
        () => [`${f.hacker.adjective()} ${f.hacker.noun()}`, 'concept'],
      ])();
      out.push({ name, type, description: f.company.catchPhrase() });
    }
    return out;
  }
}
