/**
 * The user behind TOML scenario files (seeds 000/001): each [operations] weight becomes a task on
 * the demo server's CONTINUUM API — store → POST /learn, recall → POST /recall, embedding_search →
 * POST /search/embedding (k = 10..50, vectors of [data] embedding_dim from the
 * [data.embedding_distribution], see support/embedding-vectors.ts), pattern_completion → GET /recall with a partial query,
 * consolidation → a full-page GET /entities scan (the demo server's heaviest read). With
 * memory_spaces > 1 each operation belongs to one space drawn evenly from the user's seeded stream
 * (X-Memory-Space header) and stats are kept per space: "/learn [space-2]". Per operation, not per
 * user: in an open-model run a few pooled users serve most arrivals, so a space per user would
 * give the first space most of the traffic.
 */
import { HttpUser, type OperationName, type TomlScenario } from '../src/index.js';
import { EmbeddingVectors } from './support/embedding-vectors.js';

type Data = TomlScenario['data'];

interface Tenant {
  headers: Readonly<Record<string, string>>;
  /** The same with content-type: the search body is sent as ready JSON text. */
  jsonHeaders: Readonly<Record<string, string>>;
  /** Appended to stats names when there is more than one space. */
  suffix: string;
}

export function memoryWorkloadUser(operations: Readonly<Record<OperationName, number>>, data: Data): typeof HttpUser {
  const tasks: Record<string, number> = {};
  for (const [op, weight] of Object.entries(operations)) if (weight > 0) tasks[op] = weight;

  // Built once per scenario, shared by every user and operation.
  const tenants: Tenant[] = Array.from({ length: data.memorySpaces }, (_, i) => ({
    headers: Object.freeze({ 'x-memory-space': `space-${i}` }),
    jsonHeaders: Object.freeze({ 'x-memory-space': `space-${i}`, 'content-type': 'application/json' }),
    suffix: data.memorySpaces > 1 ? ` [space-${i}]` : '',
  }));
  // Encoded before the run starts (and only when searches are in the mix), not per request.
  const vectors = (operations.embedding_search ?? 0) > 0 ? new EmbeddingVectors(data.embeddingDim, data.distribution) : null;

  class MemoryWorkloadUser extends HttpUser {
    static override tasks = tasks;
    #tenant(): Tenant {
      return tenants.length === 1 ? (tenants[0] as Tenant) : (tenants[this.rng.int(0, tenants.length - 1)] as Tenant);
    }

    #concept(): string {
      return `Concept${this.rng.int(1, data.numNodes)}`;
    }

    async store(): Promise<void> {
      const t = this.#tenant();
      const text = `${this.#concept()} relates to ${this.#concept()} and ${this.#concept()} in memory`;
      await this.client.post('/learn', { json: { text }, headers: t.headers, name: `/learn${t.suffix}` });
    }

    async recall(): Promise<void> {
      const t = this.#tenant();
      await this.client.post('/recall', { json: { query: `${this.#concept()} ${this.#concept()}`, limit: 10 }, headers: t.headers, name: `/recall${t.suffix}` });
    }

    async embedding_search(): Promise<void> {
      const t = this.#tenant();
      const k = this.rng.int(10, 50);
      const vector = (vectors as EmbeddingVectors).json(this.rng);
      await this.client.post('/search/embedding', { body: `{"vector":${vector},"k":${k}}`, headers: t.jsonHeaders, name: `/search/embedding${t.suffix}` });
    }

    async pattern_completion(): Promise<void> {
      const t = this.#tenant();
      const partial = this.#concept().slice(0, 9);
      await this.client.get('/recall', { query: { q: partial, limit: 5 }, headers: t.headers, name: `/recall?q=[partial]${t.suffix}` });
    }

    async consolidation(): Promise<void> {
      const t = this.#tenant();
      await this.client.get('/entities', { query: { per_page: 100, page: 1 }, headers: t.headers, name: `/entities (consolidation)${t.suffix}` });
    }
  }
  return MemoryWorkloadUser;
}
