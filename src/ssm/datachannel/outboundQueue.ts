/**
 * The client's sent-but-unacknowledged `input_stream_data` messages (core.md §10.7). Each is kept as its exact wire
 * bytes until the agent acknowledges its sequence number, and sent again when it has waited a full interval: the
 * agent drops what it cannot take and relies on the client to resend.
 */
interface Pending {
  frame: Buffer;
  /** When it last went out; undefined while publication is paused and it has not gone out yet. */
  sentAt: number | undefined;
}

export class OutboundQueue {
  private readonly pending = new Map<number, Pending>();

  get size(): number {
    return this.pending.size;
  }

  add(sequenceNumber: number, frame: Buffer, sentAt: number | undefined): void {
    this.pending.set(sequenceNumber, { frame, sentAt });
  }

  /** Forgets an acknowledged message; false when it was not waiting (a late duplicate acknowledgement). */
  acknowledge(sequenceNumber: number): boolean {
    return this.pending.delete(sequenceNumber);
  }

  /**
   * The frames to send now, oldest first: those never sent, and those sent at least `intervalMs` ago. They are
   * marked as sent at `now`.
   */
  due(now: number, intervalMs: number): Buffer[] {
    const out: Buffer[] = [];
    for (const p of this.pending.values()) {
      if (p.sentAt === undefined || now - p.sentAt >= intervalMs) {
        p.sentAt = now;
        out.push(p.frame);
      }
    }
    return out;
  }

  /** The frames never sent yet (held back while publication was paused), marked as sent at `now`. */
  unsent(now: number): Buffer[] {
    const out: Buffer[] = [];
    for (const p of this.pending.values()) {
      if (p.sentAt === undefined) {
        p.sentAt = now;
        out.push(p.frame);
      }
    }
    return out;
  }
}
