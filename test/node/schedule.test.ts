/**
 * The scheduler on its own, on a controllable clock: Kaleyra is a function that answers after a
 * virtual latency, so every assertion is about the schedule (who was open when, how many per
 * second), never about how fast this machine is.
 */
import {
	failureFromNetworkError,
	failureFromResponse,
} from '../../nodes/KaleyraWhatsApp/shared/errors';
import type { Job, Sent } from '../../nodes/KaleyraWhatsApp/shared/schedule';
import { JobFeed, SCHEDULE_DEFAULTS, sendAll } from '../../nodes/KaleyraWhatsApp/shared/schedule';
import { sendText } from '../../nodes/KaleyraWhatsApp/resources/message/sendText';
import type { SendResult } from '../../nodes/KaleyraWhatsApp/shared/send';
import { VirtualClock } from '../helpers/virtual-clock';

const A = '+919900000001';
const B = '+919900000002';

interface Attempt {
	index: number;
	try: number;
	start: number;
	end: number;
	businessNumber: string;
	lane: string;
}

const ok = (index: number): SendResult => ({
	ok: true,
	httpStatus: 202,
	messageId: `wamid.${index}`,
	code: 'WA202',
	body: {},
});
const throttled = (retryAfter?: string): SendResult => ({
	ok: false,
	failure: failureFromResponse(
		429,
		{ message: 'Too many requests' },
		retryAfter === undefined ? {} : { 'retry-after': retryAfter },
	),
});
const meta130429 = (): SendResult => ({
	ok: false,
	failure: failureFromResponse(400, { code: '130429', message: 'Rate limit hit' }, {}),
});
const refused = (): SendResult => ({
	ok: false,
	failure: failureFromNetworkError({ code: 'ECONNREFUSED' }),
});
const rejected = (): SendResult => ({
	ok: false,
	failure: failureFromResponse(400, { code: 'WA400', message: 'Incorrect payload' }, {}),
});

/**
 * A Kaleyra that answers after `latencyMs` of virtual time with `answer(index, try, now)`, and
 * records every attempt and the most requests it ever had open.
 */
function fakeKaleyra(
	clock: VirtualClock,
	jobs: Array<Job | undefined>,
	answer: (index: number, attempt: number, now: number) => SendResult = ok,
	latencyMs = 100,
) {
	const attempts: Attempt[] = [];
	const tries = new Map<number, number>();
	let open = 0;
	let maxOpen = 0;
	const send = async (index: number): Promise<SendResult> => {
		const attempt = (tries.get(index) ?? 0) + 1;
		tries.set(index, attempt);
		const start = clock.now();
		open++;
		maxOpen = Math.max(maxOpen, open);
		await clock.sleep(latencyMs);
		open--;
		attempts.push({
			index,
			try: attempt,
			start,
			end: clock.now(),
			businessNumber: jobs[index]!.businessNumber,
			lane: jobs[index]!.lane,
		});
		return answer(index, attempt, start);
	};
	return { send, attempts, maxOpen: () => maxOpen };
}

function collect() {
	const results = new Map<number, Sent>();
	const order: number[] = [];
	const onResult = (index: number, result: Sent): 'continue' => {
		if (results.has(index)) throw new Error(`item ${index} reported twice`);
		results.set(index, result);
		order.push(index);
		return 'continue';
	};
	return { results, order, onResult };
}

/** The most sends that started within any 1,000 ms window. */
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

const recipients = (count: number, distinct: number, businessNumber = A): Job[] =>
	Array.from({ length: count }, (_, i) => ({
		lane: `+9198${String((i * 7) % distinct).padStart(8, '0')}`,
		businessNumber,
	}));

describe('Bounded concurrency with per-recipient order', () => {
	it('keeps at most Messages in Flight requests open, and two messages to one recipient never overlap and leave in input order', async () => {
		const clock = new VirtualClock();
		const jobs = recipients(300, 13);
		const kaleyra = fakeKaleyra(clock, jobs, ok, 100);
		const { results, onResult } = collect();

		await sendAll(jobs, { inFlight: 10, perSecond: 1000 }, kaleyra.send, onResult, clock);

		expect(kaleyra.maxOpen()).toBe(10);
		expect(results.size).toBe(300);
		expect(kaleyra.attempts).toHaveLength(300);
		const byLane = new Map<string, Attempt[]>();
		for (const attempt of [...kaleyra.attempts].sort((a, b) => a.start - b.start)) {
			byLane.set(attempt.lane, [...(byLane.get(attempt.lane) ?? []), attempt]);
		}
		for (const sends of byLane.values()) {
			for (let i = 1; i < sends.length; i++) {
				expect(sends[i].index).toBeGreaterThan(sends[i - 1].index);
				expect(sends[i].start).toBeGreaterThanOrEqual(sends[i - 1].end);
			}
		}
	});

	it('sends a campaign to one recipient strictly one after another, and one of distinct recipients side by side', async () => {
		const clock = new VirtualClock();
		const same = Array.from({ length: 20 }, (): Job => ({
			lane: '+919811111111',
			businessNumber: A,
		}));
		const kaleyra = fakeKaleyra(clock, same, ok, 100);
		await sendAll(same, { inFlight: 10, perSecond: 1000 }, kaleyra.send, collect().onResult, clock);
		expect(kaleyra.maxOpen()).toBe(1);
		expect(kaleyra.attempts.map((a) => a.index)).toEqual([...Array(20).keys()]);
		expect(clock.now()).toBe(2000);
	});

	it('skips items that have no send (invalid ones kept for the output) and finishes at once on none', async () => {
		const clock = new VirtualClock();
		const jobs = [undefined, { lane: 'x', businessNumber: A }, undefined];
		const kaleyra = fakeKaleyra(clock, jobs as Array<Job | undefined>);
		const { order, onResult } = collect();
		await sendAll(jobs, { inFlight: 4, perSecond: 80 }, kaleyra.send, onResult, clock);
		expect(order).toEqual([1]);
		await sendAll([], { inFlight: 4, perSecond: 80 }, kaleyra.send, onResult, clock);
	});
});

describe('Jobs that arrive while others are sent (On Error → Continue: send each item once checked)', () => {
	it('sends the first job before the second exists, keeps the order per recipient and finishes only once the feed is closed', async () => {
		const clock = new VirtualClock();
		const feed = new JobFeed();
		const kaleyra = fakeKaleyra(clock, feed.jobs, ok, 100);
		const { order, onResult } = collect();
		let done = false;
		const sending = sendAll(
			feed,
			{ inFlight: 4, perSecond: 1000 },
			kaleyra.send,
			onResult,
			clock,
		).then(() => (done = true));

		feed.add({ lane: 'x', businessNumber: A });
		await clock.sleep(150);
		// Item 0 was sent and answered while item 1 was still being checked.
		expect(kaleyra.attempts.map((a) => [a.index, a.start, a.end])).toEqual([[0, 0, 100]]);
		expect(done).toBe(false);

		feed.add(undefined);
		feed.add({ lane: 'y', businessNumber: A });
		feed.add({ lane: 'y', businessNumber: A });
		await clock.sleep(10);
		expect(done).toBe(false);
		feed.close();
		await sending;

		expect(order).toEqual([0, 2, 3]);
		const y = kaleyra.attempts.filter((a) => a.lane === 'y');
		expect(y.map((a) => a.index)).toEqual([2, 3]);
		expect(y[1].start).toBeGreaterThanOrEqual(y[0].end);
	});

	it('finishes at once when the feed is closed with nothing in it', async () => {
		const clock = new VirtualClock();
		const feed = new JobFeed();
		const kaleyra = fakeKaleyra(clock, feed.jobs);
		const { order, onResult } = collect();
		const sending = sendAll(feed, { inFlight: 4, perSecond: 80 }, kaleyra.send, onResult, clock);
		feed.close();
		await sending;
		expect(order).toEqual([]);
	});
});

describe('The rate cap per business number (controllable clock)', () => {
	it('sends at the cap and never faster: 80 per second per number, each number on its own', async () => {
		const clock = new VirtualClock();
		const jobs = Array.from({ length: 800 }, (_, i): Job => ({
			lane: `r${i}`,
			businessNumber: i % 2 === 0 ? A : B,
		}));
		const kaleyra = fakeKaleyra(clock, jobs, ok, 100);

		await sendAll(jobs, { inFlight: 50, perSecond: 80 }, kaleyra.send, collect().onResult, clock);

		for (const number of [A, B]) {
			const starts = kaleyra.attempts
				.filter((a) => a.businessNumber === number)
				.map((a) => a.start);
			expect(busiestSecond(starts)).toBeLessThanOrEqual(80);
			const span = (Math.max(...starts) - Math.min(...starts)) / 1000;
			// 400 messages at 80/s: the first leaves at 0, the 400th 399 intervals later.
			expect(399 / span).toBeGreaterThanOrEqual(0.95 * 80);
		}
	});

	it('is bounded by Messages in Flight ÷ latency when that is lower than the cap', async () => {
		const clock = new VirtualClock();
		const jobs = Array.from({ length: 400 }, (_, i): Job => ({ lane: `r${i}`, businessNumber: A }));
		const kaleyra = fakeKaleyra(clock, jobs, ok, 100);
		await sendAll(jobs, { inFlight: 4, perSecond: 80 }, kaleyra.send, collect().onResult, clock);
		// ceiling min(80, 4 / 0.1 s) = 40 msg/s
		const rate = 400 / (clock.now() / 1000);
		expect(rate).toBeGreaterThanOrEqual(0.95 * 40);
		expect(rate).toBeLessThanOrEqual(40);
	});
});

describe('Throttling: the adaptive pause on 429 and on 130429', () => {
	it.each([
		['a 429 with Retry-After: 2', () => throttled('2'), 2000],
		["Meta's 130429 (no Retry-After: one second)", meta130429, 1000],
	])(
		'%s pauses the whole number, resumes just under the rate it had reached (not half) and never passes the cap; every message once',
		async (_title, refusal, pauseMs) => {
			const clock = new VirtualClock();
			const jobs = Array.from({ length: 600 }, (_, i): Job => ({
				lane: `r${i}`,
				businessNumber: A,
			}));
			let refusedAt = -1;
			const kaleyra = fakeKaleyra(clock, jobs, (index, attempt, now) => {
				if (index === 100 && attempt === 1) {
					refusedAt = now + 100;
					return refusal();
				}
				return ok(index);
			});
			const { results, onResult } = collect();

			await sendAll(jobs, { inFlight: 20, perSecond: 80 }, kaleyra.send, onResult, clock);

			expect(results.size).toBe(600);
			expect([...results.values()].every((r) => r.ok)).toBe(true);
			expect(results.get(100)!.tries).toBe(2);
			expect(kaleyra.attempts).toHaveLength(601);
			const starts = kaleyra.attempts.map((a) => a.start);
			// Nothing leaves during the pause...
			expect(starts.filter((t) => t > refusedAt && t < refusedAt + pauseMs)).toEqual([]);
			// ...the throttled message goes first when it ends, then the rest at 95 % of the 77.7/s reached (80 per 1,030 ms)...
			const after = kaleyra.attempts
				.filter((a) => a.start >= refusedAt + pauseMs)
				.sort((a, b) => a.start - b.start);
			expect(after[0]).toMatchObject({ index: 100, try: 2, start: refusedAt + pauseMs });
			const firstSecond = after.filter((a) => a.start < refusedAt + pauseMs + 1000);
			expect(firstSecond.length).toBeGreaterThanOrEqual(70);
			expect(firstSecond.length).toBeLessThanOrEqual(74);
			// ...and never above the cap afterwards.
			expect(busiestSecond(after.map((a) => a.start))).toBeLessThanOrEqual(80);
		},
	);

	it('a Kaleyra that allows only 40/s: slows down by itself and gets every message through, none twice', async () => {
		const clock = new VirtualClock();
		const jobs = Array.from({ length: 400 }, (_, i): Job => ({ lane: `r${i}`, businessNumber: A }));
		const window: number[] = [];
		const kaleyra = fakeKaleyra(clock, jobs, (index, _attempt, now) => {
			while (window.length > 0 && now - window[0] >= 1000) window.shift();
			if (window.length >= 40) return throttled();
			window.push(now);
			return ok(index);
		});
		const { results, onResult } = collect();

		await sendAll(jobs, { inFlight: 20, perSecond: 80 }, kaleyra.send, onResult, clock);

		const accepted = kaleyra.attempts.filter(
			(a) => results.get(a.index)?.ok && a.try === results.get(a.index)!.tries,
		);
		expect(results.size).toBe(400);
		expect([...results.values()].filter((r) => !r.ok)).toEqual([]);
		expect(new Set(accepted.map((a) => a.index)).size).toBe(400);
		// Throttled sends are a small share, not a storm.
		expect(kaleyra.attempts.length).toBeLessThan(400 * 1.2);
	});

	it("a retry's wait never stalls the items that do not need it: a refused connection waits alone, its recipient's next message behind it", async () => {
		const clock = new VirtualClock();
		const jobs: Job[] = Array.from({ length: 12 }, (_, i) => ({
			lane: i === 5 ? 'r0' : `r${i}`,
			businessNumber: A,
		}));
		const kaleyra = fakeKaleyra(
			clock,
			jobs,
			(index, attempt) => (index === 0 && attempt === 1 ? refused() : ok(index)),
			100,
		);
		const { results, onResult } = collect();

		await sendAll(jobs, { inFlight: 2, perSecond: 1000 }, kaleyra.send, onResult, clock);

		const retry = kaleyra.attempts.find((a) => a.index === 0 && a.try === 2)!;
		expect(retry.start).toBeGreaterThanOrEqual(100 + 500);
		// During item 0's 500 ms wait both slots kept sending other recipients' messages.
		const during = kaleyra.attempts.filter((a) => a.start >= 100 && a.start < retry.start);
		expect(during.length).toBeGreaterThanOrEqual(8);
		expect(during.map((a) => a.index)).not.toContain(5);
		expect(kaleyra.attempts.find((a) => a.index === 5)!.start).toBeGreaterThanOrEqual(retry.end);
		expect(results.size).toBe(12);
		expect(results.get(0)).toMatchObject({ ok: true, tries: 2 });
	});

	it('gives up after 3 tries and reports the last failure', async () => {
		const clock = new VirtualClock();
		const jobs: Job[] = [{ lane: 'r0', businessNumber: A }];
		const kaleyra = fakeKaleyra(clock, jobs, () => throttled('0'));
		const { results, onResult } = collect();
		await sendAll(jobs, { inFlight: 5, perSecond: 80 }, kaleyra.send, onResult, clock);
		expect(kaleyra.attempts).toHaveLength(3);
		expect(results.get(0)).toMatchObject({ ok: false, tries: 3, failure: { httpStatus: 429 } });
	});
});

describe('Stop on failure under concurrency', () => {
	it('starts no send after the first failure, lets those in flight finish and reports every one of them', async () => {
		const clock = new VirtualClock();
		const jobs = Array.from({ length: 100 }, (_, i): Job => ({ lane: `r${i}`, businessNumber: A }));
		const kaleyra = fakeKaleyra(
			clock,
			jobs,
			(index) => (index === 30 ? rejected() : ok(index)),
			100,
		);
		const reported: Array<{ index: number; at: number; ok: boolean }> = [];
		let stoppedAt = Infinity;

		await sendAll(
			jobs,
			{ inFlight: 10, perSecond: 80 },
			kaleyra.send,
			(index, result) => {
				reported.push({ index, at: clock.now(), ok: result.ok });
				if (result.ok) return 'continue';
				stoppedAt = Math.min(stoppedAt, clock.now());
				return 'stop';
			},
			clock,
		);

		expect(stoppedAt).toBeLessThan(Infinity);
		expect(kaleyra.attempts.filter((a) => a.start >= stoppedAt)).toEqual([]);
		// Those open when it failed were answered and reported; nothing else was sent.
		expect(reported.map((r) => r.index).sort((a, b) => a - b)).toEqual(
			kaleyra.attempts.map((a) => a.index).sort((a, b) => a - b),
		);
		expect(reported.filter((r) => r.at > stoppedAt).length).toBeGreaterThan(0);
		expect(kaleyra.attempts.length).toBeLessThan(45);
	});

	it('abandons a retry that was waiting when the run stopped (it was certainly not sent)', async () => {
		const clock = new VirtualClock();
		const jobs: Job[] = [
			{ lane: 'r0', businessNumber: A },
			{ lane: 'r1', businessNumber: A },
		];
		const kaleyra = fakeKaleyra(
			clock,
			jobs,
			(index) => (index === 0 ? refused() : rejected()),
			100,
		);
		const { order } = collect();
		await sendAll(
			jobs,
			{ inFlight: 2, perSecond: 1000 },
			kaleyra.send,
			(index, result) => {
				order.push(index);
				return result.ok ? 'continue' : 'stop';
			},
			clock,
		);
		expect(order).toEqual([1]);
		expect(kaleyra.attempts.map((a) => [a.index, a.try])).toEqual([
			[0, 1],
			[1, 1],
		]);
	});
});

describe('Bounded memory', () => {
	it('20,000 items: never more than Messages in Flight sends or waits alive at once, every item reported once', async () => {
		const clock = new VirtualClock();
		const jobs = recipients(20_000, 5_000);
		let alive = 0;
		let maxAlive = 0;
		const kaleyra = fakeKaleyra(clock, jobs, ok, 50);
		const send = async (index: number) => {
			alive++;
			maxAlive = Math.max(maxAlive, alive);
			try {
				return await kaleyra.send(index);
			} finally {
				alive--;
			}
		};
		const { results, onResult } = collect();
		await sendAll(jobs, { inFlight: 40, perSecond: 1000 }, send, onResult, clock);
		expect(results.size).toBe(20_000);
		expect(maxAlive).toBe(40);
	});
});

describe('The options a user sets', () => {
	it('default to what the scheduler uses when they are left out (older workflows have neither)', () => {
		const options = sendText.properties.find((p) => p.name === 'options')!.options as Array<{
			name: string;
			default: unknown;
		}>;
		expect(options.find((o) => o.name === 'messagesInFlight')?.default).toBe(
			SCHEDULE_DEFAULTS.inFlight,
		);
		expect(options.find((o) => o.name === 'messagesPerSecond')?.default).toBe(
			SCHEDULE_DEFAULTS.perSecond,
		);
	});
});
