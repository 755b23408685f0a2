/**
 * Issue 19: the rate at Meta's real ceiling, on the virtual clock (test/helpers/virtual-clock.ts).
 * Meta accepts at most 80 messages per business number in any sliding second; the node must never
 * start more than that in any second (not even after a stall), must ramp rather than burst at the
 * start, and after a throttle must resume just under the rate it had reached, not at half.
 */
import { failureFromResponse } from '../../nodes/KaleyraWhatsApp/shared/errors';
import type { Job, Sent } from '../../nodes/KaleyraWhatsApp/shared/schedule';
import { sendAll } from '../../nodes/KaleyraWhatsApp/shared/schedule';
import type { SendResult } from '../../nodes/KaleyraWhatsApp/shared/send';
import { VirtualClock } from '../helpers/virtual-clock';

const A = '+919900000001';

/** A clock whose event loop stalls: every sleep that would end inside [from, to) wakes at `to` instead. */
class StallingClock extends VirtualClock {
	// The base clock's sleep, taken before this class's own replaces it.
	private readonly wake = (this as VirtualClock).sleep;

	constructor(private readonly stalls: Array<[number, number]>) {
		super();
	}

	override sleep = async (ms: number): Promise<void> => {
		const at = this.now() + Math.max(0, ms);
		const stall = this.stalls.find(([from, to]) => at >= from && at < to);
		await this.wake(stall === undefined ? ms : stall[1] - this.now());
	};
}

/** A clock on a busy event loop: every sleep wakes `lateMs` after its moment. */
class LateClock extends VirtualClock {
	private readonly wake = (this as VirtualClock).sleep;

	constructor(private readonly lateMs: number) {
		super();
	}

	override sleep = async (ms: number): Promise<void> => await this.wake(ms + this.lateMs);
}

/** The most starts within any 1,000 ms window. */
function busiestSecond(starts: number[]): number {
	const sorted = [...starts].sort((a, b) => a - b);
	let best = 0;
	let from = 0;
	for (let to = 0; to < sorted.length; to++) {
		while (sorted[to] - sorted[from] >= 1000) from++;
		best = Math.max(best, to - from + 1);
	}
	return best;
}

const ok = (index: number): SendResult => ({
	ok: true,
	httpStatus: 202,
	messageId: `wamid.${index}`,
	code: 'WA202',
	body: {},
});
const meta130429 = (): SendResult => ({
	ok: false,
	failure: failureFromResponse(400, { code: '130429', message: 'Rate limit hit' }, {}),
});

/**
 * Meta behind Kaleyra: answers after `latencyMs`, counts a request when it arrives (half the latency
 * after it left, plus `jitter(i)` ms), and refuses with 130429 any request that would make more than
 * `ceiling` accepted in the last second.
 */
function metaWindow(
	clock: VirtualClock,
	ceiling: number,
	latencyMs = 100,
	jitter: (attempt: number) => number = () => 0,
) {
	const accepted: number[] = [];
	const starts: number[] = [];
	const sent = new Map<number, number>();
	let attempts = 0;
	let throttles = 0;
	const send = async (index: number): Promise<SendResult> => {
		const attempt = attempts++;
		starts.push(clock.now());
		const arrives = clock.now() + latencyMs / 2 + jitter(attempt);
		await clock.sleep(latencyMs);
		const inWindow = accepted.filter((t) => t > arrives - 1000 && t <= arrives).length;
		if (inWindow >= ceiling) {
			throttles++;
			return meta130429();
		}
		accepted.push(arrives);
		sent.set(index, (sent.get(index) ?? 0) + 1);
		return ok(index);
	};
	return { send, starts, sent, throttles: () => throttles };
}

function collect() {
	const results = new Map<number, Sent>();
	const onResult = (index: number, result: Sent): 'continue' => {
		if (results.has(index)) throw new Error(`item ${index} reported twice`);
		results.set(index, result);
		return 'continue';
	};
	return { results, onResult };
}

const campaign = (count: number): Job[] =>
	Array.from({ length: count }, (_, i) => ({ lane: `r${i}`, businessNumber: A }));

describe('Issue 19, point 1: a sliding window, never above the setting', () => {
	it('after event-loop stalls, no second has more than 80 starts at a setting of 80 (the old bucket let the reserved moments out together)', async () => {
		const clock = new StallingClock([
			[1_100, 1_400],
			[3_050, 3_500],
			[5_000, 5_090],
		]);
		const kaleyra = metaWindow(clock, 1_000);
		await sendAll(
			campaign(600),
			{ inFlight: 20, perSecond: 80 },
			kaleyra.send,
			collect().onResult,
			clock,
		);
		expect(kaleyra.starts).toHaveLength(600);
		expect(busiestSecond(kaleyra.starts)).toBeLessThanOrEqual(80);
	});

	it('the first second ramps: starts are spread over it, not sent at its beginning', async () => {
		const clock = new VirtualClock();
		const kaleyra = metaWindow(clock, 1_000);
		await sendAll(
			campaign(200),
			{ inFlight: 200, perSecond: 80 },
			kaleyra.send,
			collect().onResult,
			clock,
		);
		const first = kaleyra.starts.filter((t) => t < 1_000);
		expect(first.length).toBeLessThanOrEqual(80);
		expect(first.length).toBeGreaterThanOrEqual(76);
		// Evenly spaced: at most 8 in any tenth of the first second.
		for (let from = 0; from < 1_000; from += 100)
			expect(first.filter((t) => t >= from && t < from + 100).length).toBeLessThanOrEqual(8);
	});

	it("against Meta's window at 80/s with ±10 ms of jitter: 2,000 messages, no throttle, every message once, at 97 % of the ceiling", async () => {
		const clock = new VirtualClock();
		const kaleyra = metaWindow(clock, 80, 100, (attempt) => ((attempt * 7) % 21) - 10);
		const { results, onResult } = collect();
		await sendAll(campaign(2_000), { inFlight: 20, perSecond: 80 }, kaleyra.send, onResult, clock);
		expect(kaleyra.throttles()).toBe(0);
		expect(results.size).toBe(2_000);
		expect([...kaleyra.sent.values()].every((n) => n === 1)).toBe(true);
		expect(kaleyra.sent.size).toBe(2_000);
		expect(2_000 / (clock.now() / 1000)).toBeGreaterThanOrEqual(0.96 * 80);
	});
});

describe('Issue 19, point 1: a loaded machine keeps the ceiling', () => {
	it('every wake-up 4 ms late (a busy event loop): 2,000 messages still go at 96 % of 80/s, never more than 80 in a second (each late start used to be lost: 59/s)', async () => {
		const clock = new LateClock(4);
		const kaleyra = metaWindow(clock, 80);
		const { results, onResult } = collect();
		await sendAll(campaign(2_000), { inFlight: 20, perSecond: 80 }, kaleyra.send, onResult, clock);
		expect(kaleyra.throttles()).toBe(0);
		expect(results.size).toBe(2_000);
		expect(busiestSecond(kaleyra.starts)).toBeLessThanOrEqual(80);
		expect(2_000 / (clock.now() / 1000)).toBeGreaterThanOrEqual(0.96 * 80);
	});
});

describe('Issue 19, point 2: recovery keeps the ceiling', () => {
	it('a number whose real ceiling is 60/s at a setting of 80: a few throttles, then it settles just under 60; every message once, throttled ones retried', async () => {
		const clock = new VirtualClock();
		const kaleyra = metaWindow(clock, 60);
		const { results, onResult } = collect();
		await sendAll(campaign(2_000), { inFlight: 20, perSecond: 80 }, kaleyra.send, onResult, clock);
		expect(results.size).toBe(2_000);
		expect([...results.values()].every((r) => r.ok)).toBe(true);
		expect(kaleyra.sent.size).toBe(2_000);
		expect([...kaleyra.sent.values()].every((n) => n === 1)).toBe(true);
		// One throttle to learn the ceiling, then one per probe that reaches it (9 here); the old rule (halve, climb by a tenth of the cap a second) sent at 37/s.
		expect(kaleyra.throttles()).toBeLessThanOrEqual(12);
		expect(2_000 / (clock.now() / 1000)).toBeGreaterThanOrEqual(0.85 * 60);
	});
});
