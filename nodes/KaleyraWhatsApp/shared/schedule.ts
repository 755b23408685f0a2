import { sleep } from 'n8n-workflow';

import type { KaleyraFailure } from './errors';
import { isSafeToRetry } from './errors';
import type { SendResult } from './transport';

/**
 * How items are sent: one after another, in input order. Every scheduling decision (order, retries, pauses) lives here and nowhere else.
 */
export const RETRY_POLICY = {
	tries: 3,
	firstDelayMs: 500,
	maxRetryAfterMs: 60_000,
};

export async function sendWithSafeRetries(send: () => Promise<SendResult>): Promise<SendResult & { tries: number }> {
	let tries = 0;
	for (;;) {
		tries++;
		const result = await send();
		if (result.ok || tries >= RETRY_POLICY.tries || !isSafeToRetry(result.failure)) return { ...result, tries };
		await sleep(delayBefore(result.failure, tries));
	}
}

function delayBefore(failure: KaleyraFailure, tries: number): number {
	if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, RETRY_POLICY.maxRetryAfterMs);
	return RETRY_POLICY.firstDelayMs * 2 ** (tries - 1);
}

/** Runs `work` for each index, in input order; a throw stops the run there. */
export async function forEachItem(count: number, work: (index: number) => Promise<void>): Promise<void> {
	for (let index = 0; index < count; index++) await work(index);
}
