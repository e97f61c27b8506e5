import type { Redis } from 'ioredis';

/**
 * The broker's clock minus this machine's wall clock, in ms, from Redis TIME (the best of a few
 * round trips, each taken at its midpoint). Every machine of a distributed run measures its own,
 * so their wall times can be put on one clock (the master's) however far their clocks drift apart.
 */
export async function brokerClockOffsetMs(redis: Redis, samples = 5): Promise<number> {
  let best: { rtt: number; offset: number } | null = null;
  for (let i = 0; i < samples; i++) {
    const t0 = Date.now();
    const [sec, usec] = await redis.time();
    const t1 = Date.now();
    const brokerMs = Number(sec) * 1000 + Number(usec) / 1000;
    const sample = { rtt: t1 - t0, offset: brokerMs - (t0 + t1) / 2 };
    if (best === null || sample.rtt < best.rtt) best = sample;
  }
  return best?.offset ?? 0;
}
