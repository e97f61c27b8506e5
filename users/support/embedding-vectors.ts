/**
 * Query vectors for the TOML scenarios' embedding_search, at a cost per request that hardly grows
 * with embedding_dim. Drawing a fresh vector component by component and JSON-encoding it took
 * 0.23 ms per request at 768 dimensions, 1.6 ms at 4096 and 33 ms at 65 536 (this 2-core box): at the
 * seed's 5 000 ops/s the 768-dimension searches alone kept the event loop busy, and a 65 536-dimension
 * run went on for a minute past -t, the arrival runner dispatching whole batches of them in one go.
 *
 * So the text is made once: the vector is cut into blocks of BLOCK components, and for each block
 * SLOTS variants are drawn and encoded before the run. A request picks one variant per block and
 * joins them (~3 µs at 768 dimensions, ~0.5 ms at 16 384): 32^(dim/64) distinct vectors, each
 * component still drawn from the scenario's distribution. For `clustered`, a cluster's centre is
 * made of blocks too: in each block it takes one of PROTOTYPES centres (fixed by cluster and block),
 * and the noise around it is one of that centre's variants. Components are written with 7
 * significant digits, about what a float32 embedding carries.
 */
import { Rng, type TomlScenario } from '../../src/index.js';

type Distribution = TomlScenario['data']['distribution'];

const BLOCK = 64;
const PROTOTYPES = 4;
const VARIANTS = 8;
const SLOTS = PROTOTYPES * VARIANTS;
/** The bank's own seed: every worker thread and every run encodes the same variants; requests pick with the user's Rng. */
const BANK_SEED = 0x5eed_7ec5;

/** A deterministic centre component in [-1, 1) for (prototype, dimension). */
function centre(prototype: number, dim: number): number {
  let h = Math.imul(prototype + 1, 0x9e3779b1) ^ Math.imul(dim + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
  return ((h >>> 0) / 4294967296) * 2 - 1;
}

function gaussian(rng: Rng): number {
  // Box–Muller.
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Which of its block's prototype centres cluster `cluster` takes in block `block`. */
function prototypeOf(cluster: number, block: number): number {
  const h = Math.imul(cluster ^ Math.imul(block + 1, 0x27d4eb2f), 0x165667b1) >>> 0;
  return ((h ^ (h >>> 15)) >>> 0) % PROTOTYPES;
}

export class EmbeddingVectors {
  readonly dim: number;
  readonly #distribution: Distribution;
  /** [block][slot]: encoded components, comma-separated. Clustered: slot = prototype × VARIANTS + variant. */
  readonly #blocks: string[][];
  readonly #parts: string[];

  constructor(dim: number, distribution: Distribution) {
    this.dim = dim;
    this.#distribution = distribution;
    const rng = new Rng(BANK_SEED);
    this.#blocks = [];
    for (let start = 0; start < dim; start += BLOCK) {
      const end = Math.min(dim, start + BLOCK);
      this.#blocks.push(Array.from({ length: SLOTS }, (_, slot) => this.#encode(rng, start, end, Math.floor(slot / VARIANTS))));
    }
    this.#parts = new Array<string>(this.#blocks.length);
  }

  #encode(rng: Rng, start: number, end: number, prototype: number): string {
    const { type, stdDev } = this.#distribution;
    const values: number[] = [];
    for (let d = start; d < end; d++) {
      const x = type === 'clustered' ? centre(prototype, d) + stdDev * gaussian(rng) : type === 'normal' ? gaussian(rng) : rng.uniform(-1, 1);
      values.push(Number(x.toPrecision(7)));
    }
    return values.join(',');
  }

  /** One vector as JSON text (`[0.1234567,-0.5,…]`), drawn with the caller's seeded stream. */
  json(rng: Rng): string {
    const clustered = this.#distribution.type === 'clustered';
    const cluster = clustered ? rng.int(0, this.#distribution.numClusters - 1) : 0;
    const parts = this.#parts;
    for (let b = 0; b < this.#blocks.length; b++) {
      const slot = clustered ? prototypeOf(cluster, b) * VARIANTS + rng.int(0, VARIANTS - 1) : rng.int(0, SLOTS - 1);
      parts[b] = (this.#blocks[b] as string[])[slot] as string;
    }
    return `[${parts.join(',')}]`;
  }
}
