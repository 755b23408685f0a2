import { sleep } from 'n8n-workflow';

import type { KaleyraFailure } from './errors';
import { isSafeToRetry, isThrottled } from './errors';
import type { SendResult } from './send';

/**
 * How items are sent: every scheduling decision (order, concurrency, rate, retries, pauses) lives
 * here and nowhere else.
 *
 * - At most `inFlight` requests are open at once. A request waiting for a retry holds no slot, so
 *   its wait never stalls the items behind it.
 * - Two messages to the same recipient never overlap and leave in input order: an item starts only
 *   when every earlier item to that recipient has finished (its "lane").
 * - Each business number has its own rate cap (`perSecond`, Meta counts throughput per number).
 *   Requests start evenly spaced and never more than the cap within any sliding window (see
 *   RATE_CONTROL), from the first second on. A 429 or Meta's 130429 pauses that number as a whole
 *   (Retry-After, else one second); it resumes just under the rate at which the throttle came, and
 *   probes slowly back towards the cap; the throttled message is sent first.
 * - A failure the caller stops on (`onResult` answers 'stop') lets no new request start; requests
 *   already in flight finish and are reported.
 * - Throttling has an end: once the run's throttling pauses add up to `maxThrottleWaitMs`, a number
 *   that throttles everything would throttle the rest too, so the run ends. The message whose
 *   pause would pass the bound fails as throttled, then (unless the caller stopped) every message
 *   not yet sent gets the same failure without being sent; requests in flight finish and report.
 *
 * Memory: the pending work is indexes in lanes; at most `inFlight` sends (plus those waiting to
 * retry) exist as promises at any time, whatever the number of items.
 */

export const RETRY_POLICY = {
	tries: 3,
	firstDelayMs: 500,
	maxRetryAfterMs: 60_000,
	/** A throttled number pauses this long when Kaleyra gives no Retry-After. */
	throttlePauseMs: 1_000,
};

export const SCHEDULE_DEFAULTS = {
	/** Open requests at once: 20 keep 80 msg/s flowing up to 250 ms of latency per request. */
	inFlight: 20,
	/** Meta's default throughput per business number. */
	perSecond: 80,
	/** Options → Max Throttle Wait, in minutes: the most a run waits in throttling pauses before it ends. */
	maxThrottleWaitMinutes: 15,
};

/** Time as the scheduler sees it; tests replace it with a controllable clock. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const clock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => await sleep(ms),
};

export interface Job {
	/** Messages with the same lane (the recipient) are sent one after another, in input order. */
	lane: string;
	/** The rate cap and throttling pauses apply per business number. */
	businessNumber: string;
}

export interface ScheduleSettings {
	inFlight: number;
	perSecond: number;
	/** Throttling pauses (over all business numbers, overlaps counted once) a run waits at most; SCHEDULE_DEFAULTS' when absent. */
	maxThrottleWaitMs?: number;
}

export type Sent = SendResult & { tries: number };

/**
 * Jobs that are still arriving: under On Error → Continue each item is sent as soon as it is
 * checked, so the run does not wait for the last item's check before the first message leaves.
 * `sendAll` takes each job the moment it is added and finishes once the feed is closed and
 * nothing is in flight.
 */
export class JobFeed {
	readonly jobs: Array<Job | undefined> = [];
	private closed = false;
	private listener: (() => void) | undefined;

	/** A job for the next item (`undefined`: the item is not sent). */
	add(job: Job | undefined): void {
		this.jobs.push(job);
		this.listener?.();
	}

	/** No more jobs will come. */
	close(): void {
		this.closed = true;
		this.listener?.();
	}

	get isClosed(): boolean {
		return this.closed;
	}

	/** `sendAll` is told of every change, so a job added while it idles starts at once. */
	listen(listener: () => void): void {
		this.listener = listener;
	}
}

/**
 * Sends every job (`undefined` entries are skipped) through `send`, and reports each final result
 * once to `onResult`, in the order results arrive. Resolves when nothing is in flight any more
 * (and, for a feed, once it is closed).
 */
export async function sendAll(
	source: ReadonlyArray<Job | undefined> | JobFeed,
	settings: ScheduleSettings,
	send: (index: number) => Promise<SendResult>,
	onResult: (index: number, result: Sent) => 'continue' | 'stop',
	time: Clock = clock,
): Promise<void> {
	const limit = Math.max(1, Math.floor(settings.inFlight));
	const gate = new RateGate(settings.perSecond, time);
	const maxThrottleWaitMs =
		settings.maxThrottleWaitMs ?? SCHEDULE_DEFAULTS.maxThrottleWaitMinutes * 60_000;
	/** A lane is present while busy; its value holds the items waiting behind the one in flight. */
	const lanes = new Map<string, Queue>();
	/** Items whose lane has just become theirs: older than anything at the cursor, so first. */
	const released = new Queue();
	const slotWaiters: Array<() => void> = [];
	let cursor = 0;
	let holding = 0;
	let live = 0;
	let stopped = false;
	/** Set when throttling has used up the run's wait: what every message not yet sent fails with. */
	let exhausted: KaleyraFailure | undefined;
	let throttledMs = 0;
	let thrown: { error: unknown } | undefined;
	let finish!: () => void;
	const finished = new Promise<void>((resolve) => (finish = resolve));
	const jobs = source instanceof JobFeed ? source.jobs : source;
	const complete = () => !(source instanceof JobFeed) || source.isClosed;

	const next = (): number | undefined => {
		if (released.size > 0) return released.shift();
		while (cursor < jobs.length) {
			const index = cursor++;
			const job = jobs[index];
			if (job === undefined) continue;
			const waiting = lanes.get(job.lane);
			if (waiting !== undefined) {
				waiting.push(index);
				continue;
			}
			lanes.set(job.lane, new Queue());
			return index;
		}
		return undefined;
	};

	/** A message that is not sent because the run ended: reported, and its lane passed on. */
	const giveUp = (index: number, failure: KaleyraFailure, tries: number) => {
		if (onResult(index, { ok: false, failure, tries }) === 'stop') stopped = true;
	};

	const release = (lane: string) => {
		const waiting = lanes.get(lane)!;
		if (waiting.size > 0) released.push(waiting.shift()!);
		else lanes.delete(lane);
	};

	const pump = () => {
		while (exhausted !== undefined && !stopped) {
			const index = next();
			if (index === undefined) break;
			giveUp(index, exhausted, 0);
			release(jobs[index]!.lane);
		}
		while (holding < limit) {
			const waiter = slotWaiters.shift();
			if (waiter !== undefined) {
				holding++;
				waiter();
				continue;
			}
			if (stopped) break;
			const index = next();
			if (index === undefined) break;
			holding++;
			live++;
			void run(index);
		}
		if (live === 0 && (stopped || complete())) finish();
	};

	const slot = async () =>
		await new Promise<void>((resolve) => {
			slotWaiters.push(resolve);
			pump();
		});

	const run = async (index: number) => {
		const job = jobs[index]!;
		let hasSlot = true;
		let throttledBefore = false;
		try {
			for (let tries = 1; ; tries++) {
				await gate.admit(job.businessNumber, throttledBefore);
				if (stopped) return;
				if (exhausted !== undefined) return giveUp(index, exhausted, tries - 1);
				const sentAt = time.now();
				const result = await send(index);
				if (!result.ok && isThrottled(result.failure) && exhausted !== undefined)
					return giveUp(index, exhausted, tries);
				if (result.ok || tries >= RETRY_POLICY.tries || !isSafeToRetry(result.failure)) {
					if (onResult(index, { ...result, tries }) === 'stop') stopped = true;
					return;
				}
				if (isThrottled(result.failure)) {
					const pauseMs = throttlePause(result.failure);
					const addedMs = gate.pauseAdded(job.businessNumber, pauseMs);
					if (throttledMs + addedMs > maxThrottleWaitMs) {
						exhausted = throttledTooLong(result.failure, maxThrottleWaitMs);
						return giveUp(index, exhausted, tries);
					}
					throttledMs += addedMs;
					// The gate holds every send to this number until the pause is over; this item keeps its slot and goes first.
					gate.slowDown(job.businessNumber, pauseMs, sentAt);
					throttledBefore = true;
					continue;
				}
				throttledBefore = false;
				hasSlot = false;
				holding--;
				pump();
				await time.sleep(backoff(result.failure, tries));
				if (stopped) return;
				if (exhausted !== undefined) return giveUp(index, exhausted, tries);
				await slot();
				hasSlot = true;
			}
		} catch (error) {
			thrown ??= { error };
			stopped = true;
		} finally {
			if (hasSlot) holding--;
			live--;
			release(job.lane);
			pump();
		}
	};

	if (source instanceof JobFeed) source.listen(pump);
	pump();
	await finished;
	if (thrown !== undefined) throw thrown.error;
}

function throttlePause(failure: KaleyraFailure): number {
	return Math.min(
		failure.retryAfterMs ?? RETRY_POLICY.throttlePauseMs,
		RETRY_POLICY.maxRetryAfterMs,
	);
}

/** The throttled failure that ends the run: retryable later, certainly not sent, naming the option to raise. */
function throttledTooLong(failure: KaleyraFailure, maxThrottleWaitMs: number): KaleyraFailure {
	const minutes = Math.round((maxThrottleWaitMs / 60_000) * 100) / 100;
	return {
		...failure,
		title: `${failure.title}: the run waited ${minutes} minute(s) in throttling pauses and ended`,
		hint: `This message and every message not yet sent were not sent. Run them again later, send fewer per second (Options → Messages per Second), or raise Options → Max Throttle Wait (minutes) to wait longer. ${failure.hint}`,
		retryable: true,
		maybeSent: false,
	};
}

function backoff(failure: KaleyraFailure, tries: number): number {
	if (failure.retryAfterMs !== undefined)
		return Math.min(failure.retryAfterMs, RETRY_POLICY.maxRetryAfterMs);
	return RETRY_POLICY.firstDelayMs * 2 ** (tries - 1);
}

/**
 * How the rate per business number is held and recovered. Meta counts accepted messages per number
 * in a sliding one-second window on its own clock; a request that starts on time here can arrive
 * there a little earlier or later, so the node counts its starts over a slightly longer window.
 */
export const RATE_CONTROL = {
	/** The node's window is this much longer than Meta's second: 80 starts per 1,030 ms (77.7/s at a cap of 80). */
	windowMarginMs: 30,
	/** After a throttle the number settles at this share of the rate at which the throttle came. */
	settleShare: 0.95,
	/** Each this long without a throttle the settled rate probes one message per second higher, up to the cap. */
	probeEveryMs: 5_000,
	/** Fewer starts than this in the window before a throttle say nothing about the number's ceiling (a storm, another sender): the rate stays. */
	startsToLearn: 10,
	/**
	 * A start that wakes late (a busy event loop: a slice of checks, a garbage collection) is made up
	 * on the following starts, up to this much; without it every late wake-up was lost for good and a
	 * loaded machine sent at 85 % of the cap. The window above still bounds every second.
	 */
	catchUpMs: 20,
};

interface Waiter {
	resolve: () => void;
}

interface NumberState {
	/** Current messages per second: the cap, or the rate learned from the last throttle. */
	rate: number;
	/** When this number's requests started, oldest first (only the last window's worth is kept). */
	starts: Queue;
	/** Sends waiting to start, in the order they may; retries of throttled messages are put in front. */
	waiting: Waiter[];
	serving: boolean;
	pausedUntil: number;
	/** When the last throttle was taken into account: answers to requests sent before it belong to the same episode. */
	slowedAt: number;
	/** When the rate last changed (a throttle or a probe): the next probe counts from here. */
	changedAt: number;
	/** How late the last start left after its moment (at most catchUpMs): the next one may leave that much sooner. */
	lateMs: number;
}

/**
 * The rate cap per business number: requests start evenly spaced, and never more than the rate in
 * any sliding window (so a stall never turns into a burst), beginning from the run's first moment
 * (so the first second ramps). A throttle pauses the number, then resumes just under the rate at
 * which it came.
 */
class RateGate {
	private readonly numbers = new Map<string, NumberState>();
	private readonly windowMs = 1000 + RATE_CONTROL.windowMarginMs;

	constructor(
		private readonly cap: number,
		private readonly time: Clock,
	) {}

	private state(businessNumber: string): NumberState {
		let state = this.numbers.get(businessNumber);
		if (state === undefined) {
			state = {
				rate: this.cap,
				starts: new Queue(),
				waiting: [],
				serving: false,
				pausedUntil: -Infinity,
				slowedAt: -Infinity,
				changedAt: -Infinity,
				lateMs: 0,
			};
			this.numbers.set(businessNumber, state);
		}
		return state;
	}

	/** Resolves at the moment one message to this number may leave; `first` (a throttled message's retry) goes before the others waiting. */
	async admit(businessNumber: string, first = false): Promise<void> {
		const state = this.state(businessNumber);
		await new Promise<void>((resolve) => {
			if (first) state.waiting.unshift({ resolve });
			else state.waiting.push({ resolve });
			if (!state.serving) void this.serve(state);
		});
	}

	/** One loop per number lets the waiting sends out one at a time, each at the first moment the rules allow. */
	private async serve(state: NumberState): Promise<void> {
		state.serving = true;
		try {
			let heldBack = false;
			while (state.waiting.length > 0) {
				const now = this.time.now();
				const at = this.nextStart(state, now);
				if (at > now) {
					await this.time.sleep(at - now);
					heldBack = true;
					continue;
				}
				// Only a start the rules held back can wake late; one whose moment had long passed is not late.
				state.lateMs = heldBack ? Math.min(RATE_CONTROL.catchUpMs, now - at) : 0;
				heldBack = false;
				state.starts.push(now);
				state.waiting.shift()!.resolve();
			}
		} finally {
			state.serving = false;
		}
	}

	/** The earliest moment the next request to this number may start (in the past when nothing held it back since). */
	private nextStart(state: NumberState, now: number): number {
		if (
			state.rate < this.cap &&
			now >= state.pausedUntil &&
			now - state.changedAt >= RATE_CONTROL.probeEveryMs
		) {
			state.rate = Math.min(this.cap, state.rate + 1);
			state.changedAt = now;
		}
		const allowed = Math.max(1, Math.floor(state.rate));
		// Two windows of starts are kept: one to hold the cap, the one before it to measure a throttle's rate.
		while (state.starts.size > 0 && state.starts.at(0)! <= now - 2 * this.windowMs)
			state.starts.shift();
		const size = state.starts.size;
		// Evenly spaced, so a full window is spread over the window rather than sent at its start.
		const spaced =
			size === 0
				? -Infinity
				: state.starts.at(size - 1)! + this.windowMs / state.rate - state.lateMs;
		// The window holds `allowed` starts at most: the next may leave once the oldest of the last `allowed` has left it.
		const windowFree =
			size >= allowed ? state.starts.at(size - allowed)! + this.windowMs : -Infinity;
		return Math.max(spaced, windowFree, state.pausedUntil);
	}

	/** How much longer this number would be paused by a pause of `pauseMs` from now (overlaps count once). */
	pauseAdded(businessNumber: string, pauseMs: number): number {
		const now = this.time.now();
		return Math.max(0, now + pauseMs - Math.max(now, this.state(businessNumber).pausedUntil));
	}

	/**
	 * Throttled: nothing more to this number for `pauseMs`, then just under the rate at which the
	 * throttle came (the starts in the window before the refused request). Answers to requests sent
	 * before the last throttle belong to the same episode and only extend the pause.
	 */
	slowDown(businessNumber: string, pauseMs: number, sentAt: number): void {
		const state = this.state(businessNumber);
		const now = this.time.now();
		if (sentAt >= state.slowedAt) {
			const starts = state.starts.countIn(sentAt - this.windowMs, sentAt);
			if (starts >= RATE_CONTROL.startsToLearn) {
				const reached = (starts * 1000) / this.windowMs;
				state.rate = Math.max(1, Math.min(state.rate, reached) * RATE_CONTROL.settleShare);
			}
			state.slowedAt = now;
			state.changedAt = now;
		}
		state.pausedUntil = Math.max(state.pausedUntil, now + pauseMs);
	}
}

/** A FIFO of numbers (item indexes, start times) without Array#shift's copying. */
class Queue {
	private items: number[] = [];
	private head = 0;

	get size(): number {
		return this.items.length - this.head;
	}

	push(index: number): void {
		this.items.push(index);
	}

	/** The entry `offset` places behind the head. */
	at(offset: number): number | undefined {
		return this.items[this.head + offset];
	}

	/** How many entries lie in (from, to], for entries in ascending order (start times). */
	countIn(from: number, to: number): number {
		let count = 0;
		for (let i = this.items.length - 1; i >= this.head && this.items[i] > from; i--)
			if (this.items[i] <= to) count++;
		return count;
	}

	shift(): number | undefined {
		if (this.head >= this.items.length) return undefined;
		const index = this.items[this.head++];
		if (this.head > 1024 && this.head * 2 > this.items.length) {
			this.items = this.items.slice(this.head);
			this.head = 0;
		}
		return index;
	}
}
