/**
 * Issue 23, point 11: a throttling storm ends. On the virtual clock (test/helpers/virtual-clock.ts),
 * so a run that waits 15 minutes of pauses takes milliseconds and nothing depends on machine speed.
 */
import type { KaleyraFailure } from '../../nodes/KaleyraWhatsApp/shared/errors';
import { failureFromResponse } from '../../nodes/KaleyraWhatsApp/shared/errors';
import type { Job, Sent } from '../../nodes/KaleyraWhatsApp/shared/schedule';
import { SCHEDULE_DEFAULTS, sendAll } from '../../nodes/KaleyraWhatsApp/shared/schedule';
import { sendText } from '../../nodes/KaleyraWhatsApp/resources/message/sendText';
import type { SendResult } from '../../nodes/KaleyraWhatsApp/shared/send';
import { VirtualClock } from '../helpers/virtual-clock';

const A = '+919900000001';
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

/** Kaleyra answering after 100 ms of virtual time; records every attempt as [index, try, start]. */
function fakeKaleyra(clock: VirtualClock, answer: (index: number, attempt: number) => SendResult) {
	const attempts: Array<[number, number, number]> = [];
	const tries = new Map<number, number>();
	const send = async (index: number): Promise<SendResult> => {
		const attempt = (tries.get(index) ?? 0) + 1;
		tries.set(index, attempt);
		const start = clock.now();
		await clock.sleep(100);
		attempts.push([index, attempt, start]);
		return answer(index, attempt);
	};
	return { send, attempts };
}

function collect(onFailure: 'continue' | 'stop') {
	const results = new Map<number, Sent>();
	const order: number[] = [];
	const onResult = (index: number, result: Sent): 'continue' | 'stop' => {
		if (results.has(index)) throw new Error(`item ${index} reported twice`);
		results.set(index, result);
		order.push(index);
		return result.ok ? 'continue' : onFailure;
	};
	return { results, order, onResult };
}

const toRecipients = (lanes: string[]): Job[] => lanes.map((lane) => ({ lane, businessNumber: A }));

const endedRun = (failure: KaleyraFailure) => {
	expect(failure).toMatchObject({ httpStatus: 429, retryable: true, maybeSent: false });
	expect(failure.title).toBe(
		'Kaleyra is throttling this account: the run waited 1 minute(s) in throttling pauses and ended',
	);
	expect(failure.hint).toContain('raise Options → Max Throttle Wait (minutes)');
};

describe('point 11: a throttling storm has an end', () => {
	it('point 11: a message throttled on every try fails after 3 tries while the run goes on (under the bound)', async () => {
		const clock = new VirtualClock();
		const kaleyra = fakeKaleyra(clock, (index) => (index === 0 ? throttled() : ok(index)));
		const { results, onResult } = collect('continue');
		await sendAll(
			toRecipients(['x', 'y', 'z']),
			{ inFlight: 1, perSecond: 1000 },
			kaleyra.send,
			onResult,
			clock,
		);
		expect(kaleyra.attempts).toEqual([
			[0, 1, 0],
			[0, 2, 1100],
			[0, 3, 2200],
			[1, 1, 2300],
			[2, 1, 2400],
		]);
		expect(results.get(0)).toMatchObject({
			ok: false,
			tries: 3,
			failure: { title: 'Kaleyra is throttling this account', httpStatus: 429 },
		});
		expect(results.get(1)).toMatchObject({ ok: true, messageId: 'wamid.1', tries: 1 });
		expect(results.get(2)).toMatchObject({ ok: true, messageId: 'wamid.2', tries: 1 });
	});

	it('point 11: with Retry-After 60 on every answer, 1,000 items end within the default Max Throttle Wait', async () => {
		const clock = new VirtualClock();
		const kaleyra = fakeKaleyra(clock, () => throttled('60'));
		const { results, onResult } = collect('continue');
		const jobs = toRecipients(
			Array.from({ length: 1000 }, (_, i) => `+9198${String(i).padStart(8, '0')}`),
		);
		await sendAll(jobs, { inFlight: 20, perSecond: 80 }, kaleyra.send, onResult, clock);
		const boundMs = SCHEDULE_DEFAULTS.maxThrottleWaitMinutes * 60_000;
		// 15 pauses of 60 s, each followed by one 100 ms answer; the old code ran for about 33 hours.
		expect(clock.now()).toBeLessThanOrEqual(boundMs + 2_000);
		expect(results.size).toBe(1000);
		const sent = new Map<number, number>();
		for (const [index] of kaleyra.attempts) sent.set(index, (sent.get(index) ?? 0) + 1);
		for (const [index, result] of results) {
			expect(result.ok).toBe(false);
			if (result.ok) continue;
			expect(result.failure).toMatchObject({ httpStatus: 429, retryable: true, maybeSent: false });
			expect(result.tries).toBe(sent.get(index) ?? 0);
		}
		const ended = [...results.values()].filter(
			(r) => !r.ok && r.failure.hint.includes('Max Throttle Wait'),
		);
		expect(ended.length).toBeGreaterThan(900);
		expect(kaleyra.attempts.length).toBeLessThan(20 * 16);
	});

	it('point 11: under stop-on-fail the message that passes the bound stops the run, nothing else is sent', async () => {
		const clock = new VirtualClock();
		const kaleyra = fakeKaleyra(clock, () => throttled('60'));
		const { results, order, onResult } = collect('stop');
		await sendAll(
			toRecipients(['x', 'x', 'y', 'z']),
			{ inFlight: 1, perSecond: 1000, maxThrottleWaitMs: 60_000 },
			kaleyra.send,
			onResult,
			clock,
		);
		expect(kaleyra.attempts).toEqual([
			[0, 1, 0],
			[0, 2, 60_100],
		]);
		expect(order).toEqual([0]);
		const result = results.get(0)!;
		expect(result).toMatchObject({ ok: false, tries: 2 });
		if (!result.ok) endedRun(result.failure);
		expect(clock.now()).toBe(60_200);
	});

	it('point 11: under Continue every item not yet sent gets the same throttled failure, one per input, none sent', async () => {
		const clock = new VirtualClock();
		const kaleyra = fakeKaleyra(clock, () => throttled('60'));
		const { results, order, onResult } = collect('continue');
		await sendAll(
			toRecipients(['x', 'x', 'y', 'z']),
			{ inFlight: 1, perSecond: 1000, maxThrottleWaitMs: 60_000 },
			kaleyra.send,
			onResult,
			clock,
		);
		expect(kaleyra.attempts).toEqual([
			[0, 1, 0],
			[0, 2, 60_100],
		]);
		expect(order).toEqual([0, 1, 2, 3]);
		const first = results.get(0)!;
		expect(first).toMatchObject({ ok: false, tries: 2 });
		if (!first.ok) endedRun(first.failure);
		for (const index of [1, 2, 3]) {
			const result = results.get(index)!;
			expect(result.ok).toBe(false);
			expect(result.tries).toBe(0);
			if (!result.ok && !first.ok) expect(result.failure).toBe(first.failure);
		}
		expect(clock.now()).toBe(60_200);
	});

	it('point 11: the Max Throttle Wait field defaults to what the scheduler uses', () => {
		const options = sendText.properties.find((p) => p.name === 'options')!.options as Array<{
			name: string;
			default: unknown;
		}>;
		expect(options.find((o) => o.name === 'maxThrottleWait')?.default).toBe(
			SCHEDULE_DEFAULTS.maxThrottleWaitMinutes,
		);
	});
});
