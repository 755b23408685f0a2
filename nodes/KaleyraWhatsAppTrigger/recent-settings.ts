import type { CallbackAuthentication } from './authentication';

/**
 * n8n reads a credential from its database and decrypts it on every getCredentials(); n8n 2.x also
 * resolves it in an expression isolate it sets up for the purpose. Per callback that was a third of
 * the trigger's cost (npm run bench:trigger, docs/trigger-throughput.md), so the callback settings
 * a trigger has just used are kept here for a few seconds and a burst of callbacks reads them once.
 * Only settings that let a callback in are kept; a callback they refuse is checked against a fresh
 * read before it gets 401, so a changed secret works at once and the old one stops within the
 * time below.
 */
export class RecentSettings<T> {
	private readonly entries = new Map<string, { value: T; until: number }>();

	constructor(
		readonly keepMs: number,
		readonly capacity: number,
		private readonly now: () => number = () => Date.now(),
	) {}

	get(key: string): T | undefined {
		const entry = this.entries.get(key);
		if (entry === undefined) return undefined;
		if (entry.until > this.now()) return entry.value;
		this.entries.delete(key);
		return undefined;
	}

	set(key: string, value: T): void {
		this.entries.delete(key);
		this.entries.set(key, { value, until: this.now() + this.keepMs });
		if (this.entries.size > this.capacity) {
			const oldest = this.entries.keys().next().value;
			if (oldest !== undefined) this.entries.delete(oldest);
		}
	}
}

/** How long settings that let a callback in are used without reading the credential again. */
export const SETTINGS_KEPT_MS = 5000;

/** One entry per trigger node that received a callback in the last few seconds. */
export const recentSettings = new RecentSettings<CallbackAuthentication>(SETTINGS_KEPT_MS, 1000);
