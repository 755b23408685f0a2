/**
 * Kaleyra delivers callbacks at least once (docs/kaleyra-api.md §5.4), and a retried callback must not
 * start the workflow again. n8n calls a trigger's webhook() afresh for every request, with no
 * memory of its own that lasts between them, so the IDs already seen live here, in the running n8n instance (module scope).
 * The store is bounded: past its capacity the oldest IDs are forgotten, which is safe because
 * Kaleyra re-delivers within minutes, not after tens of thousands of newer callbacks.
 */
export class SeenCallbacks {
	private readonly seen = new Set<string>();

	constructor(readonly capacity: number) {}

	/**
	 * True the first time `key` arrives within `scope` (one trigger node of one workflow, per
	 * mode), false for a repeat. Synchronous on purpose: two identical callbacks racing each other
	 * cannot both pass, since nothing else runs between the check and the record.
	 */
	firstTime(scope: string, key: string): boolean {
		const entry = `${scope}\n${key}`;
		if (this.seen.has(entry)) return false;
		this.seen.add(entry);
		if (this.seen.size > this.capacity) {
			const oldest = this.seen.values().next().value;
			if (oldest !== undefined) this.seen.delete(oldest);
		}
		return true;
	}

	get size(): number {
		return this.seen.size;
	}
}

/** About 10 MB at most, shared by every Kaleyra WhatsApp Trigger in this running n8n instance. */
export const seenCallbacks = new SeenCallbacks(50_000);
