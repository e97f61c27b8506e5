/**
 * Federation peers of one memory space, ordered by last contact so the least recently seen peer is
 * the one dropped past the cap (a load test inventing a peer id per user must not grow it forever).
 */
export interface Peer {
  peerId: string;
  firstSeen: number;
  lastSeen: number;
  contributions: number;
  syncs: number;
  heartbeats: number;
}

export interface PeerView {
  peer_id: string;
  first_seen: string;
  last_seen: string;
  contributions: number;
  syncs: number;
  heartbeats: number;
  active: boolean;
}

export const MAX_PEERS = 1024;
/** A peer heard from within this window counts as active. */
export const PEER_ACTIVE_MS = 60_000;

export class PeerRegistry {
  readonly #peers = new Map<string, Peer>();

  get size(): number {
    return this.#peers.size;
  }

  /** Records contact with a peer and returns its (mutable) record. */
  touch(peerId: string, now: number): Peer {
    let peer = this.#peers.get(peerId);
    if (peer === undefined) {
      peer = { peerId, firstSeen: now, lastSeen: now, contributions: 0, syncs: 0, heartbeats: 0 };
      if (this.#peers.size >= MAX_PEERS) {
        const oldest = this.#peers.keys().next();
        if (oldest.done !== true) this.#peers.delete(oldest.value);
      }
    } else {
      this.#peers.delete(peerId);
    }
    peer.lastSeen = now;
    this.#peers.set(peerId, peer);
    return peer;
  }

  /** Peers seen within PEER_ACTIVE_MS; a full walk is cheap because the registry is capped. */
  activeCount(now: number): number {
    let active = 0;
    for (const peer of this.#peers.values()) if (now - peer.lastSeen <= PEER_ACTIVE_MS) active++;
    return active;
  }

  /** Most recently seen first, at most `limit`. */
  list(now: number, limit: number): PeerView[] {
    const all = [...this.#peers.values()];
    const out: PeerView[] = [];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const peer = all[i] as Peer;
      out.push({
        peer_id: peer.peerId,
        first_seen: new Date(peer.firstSeen).toISOString(),
        last_seen: new Date(peer.lastSeen).toISOString(),
        contributions: peer.contributions,
        syncs: peer.syncs,
        heartbeats: peer.heartbeats,
        active: now - peer.lastSeen <= PEER_ACTIVE_MS,
      });
    }
    return out;
  }
}
