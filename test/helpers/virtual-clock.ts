/**
 * A clock the test controls: `now()` is virtual milliseconds, `sleep(ms)` resolves when virtual
 * time reaches its moment. Time jumps straight to the earliest pending sleep, one sleeper per
 * turn of the event loop (so every promise chain woken by it runs first), and never goes back.
 * A run that would take minutes of wall time takes milliseconds; what it asserts is the schedule,
 * not the machine's speed.
 */
import type { Clock } from '../../nodes/KaleyraWhatsApp/shared/schedule';

interface Sleeper {
	at: number;
	seq: number;
	wake: () => void;
}

export class VirtualClock implements Clock {
	private time = 0;
	private seq = 0;
	private sleepers: Sleeper[] = [];
	private ticking = false;

	now = (): number => this.time;

	sleep = async (ms: number): Promise<void> =>
		await new Promise<void>((wake) => {
			this.sleepers.push({ at: this.time + Math.max(0, ms), seq: this.seq++, wake });
			this.tick();
		});

	private tick(): void {
		if (this.ticking) return;
		this.ticking = true;
		setImmediate(() => {
			this.ticking = false;
			if (this.sleepers.length === 0) return;
			this.sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.sleepers.shift()!;
			this.time = Math.max(this.time, next.at);
			next.wake();
			if (this.sleepers.length > 0) this.tick();
		});
	}
}
