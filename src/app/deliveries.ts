/**
 * Delivery ids this replica has handled recently. GitHub redelivers a webhook with the same
 * `X-GitHub-Delivery` id (a manual "Redeliver", a retry after a timeout); a remembered id is skipped.
 *
 * This is a cache, not the app's state: it is bounded, lost on restart and not shared between replicas.
 * What makes a redelivery harmless everywhere is the business key each flow checks on the forge (the
 * task marker on issues, the comment marker on replies); this only saves the API calls of finding out.
 */
export class DeliveryLog {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** Records `id`; false when it was already there (the delivery is a repeat). */
  claim(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    // A Set iterates in insertion order, so the first key is the oldest.
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value!);
    return true;
  }

  /** Forgets `id` after a failed delivery, so GitHub's redelivery is handled again. */
  release(id: string): void {
    this.seen.delete(id);
  }
}
