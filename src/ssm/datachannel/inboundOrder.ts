/**
 * Puts the agent's `output_stream_data` messages back in sequence-number order (core.md §10.7): the agent may send
 * them out of order or twice (retransmission), and each must be delivered exactly once, in order, from 0.
 */
export type Arrival<T> =
  /** Already delivered or already waiting: acknowledge again, deliver nothing. */
  | { status: "duplicate" }
  /** Too far ahead to keep: do not acknowledge, so the agent sends it again later. */
  | { status: "full" }
  /** Kept: `ready` holds what can now be delivered, in order (possibly nothing). */
  | { status: "accepted"; ready: T[] };

export class InboundOrder<T> {
  private expected = 0;
  private readonly waiting = new Map<number, T>();

  /** `capacity` bounds how many early messages are held. */
  constructor(private readonly capacity = 1000) {}

  /** The next sequence number to deliver. */
  get next(): number {
    return this.expected;
  }

  arrive(sequenceNumber: number, item: T): Arrival<T> {
    if (sequenceNumber < this.expected || this.waiting.has(sequenceNumber)) return { status: "duplicate" };
    if (sequenceNumber !== this.expected && this.waiting.size >= this.capacity) return { status: "full" };
    this.waiting.set(sequenceNumber, item);
    const ready: T[] = [];
    for (let item = this.waiting.get(this.expected); item !== undefined; item = this.waiting.get(this.expected)) {
      this.waiting.delete(this.expected);
      ready.push(item);
      this.expected++;
    }
    return { status: "accepted", ready };
  }
}
