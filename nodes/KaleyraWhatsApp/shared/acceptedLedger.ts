import type { IExecuteFunctions } from 'n8n-workflow';

import type { SendResult } from './send';

/**
 * n8n's "Retry On Fail" runs the whole node again, with the same items, when one item fails.
 * Without this, every item Kaleyra had already accepted would be sent a second time, and an item
 * whose outcome is unknown (a WA500, a timeout: `maybeSent`) would reach the recipient twice. The
 * ledger remembers, per execution, node, run and item, what came of each item that Kaleyra
 * accepted or may have acted on; a retried run answers those items with that first result instead
 * of sending again. An item that surely was not sent (a refusal, a throttle) is not remembered, so
 * the retry sends it. A new execution, or the node's next run in a loop (another run index), sends
 * normally. Bounded: the oldest entries go first.
 *
 * The key is where the item stands in the execution, not its content: a body with `$now` or
 * `Math.random()` resolves differently on the retry and is still the same message.
 */
const MAX_ENTRIES = 100_000;
const sent = new Map<string, SendResult>();

function keyOf(ctx: IExecuteFunctions, item: number): string | undefined {
	const executionId = ctx.getExecutionId();
	if (executionId === undefined || executionId === '') return undefined;
	const runIndex = (ctx as unknown as { runIndex?: unknown }).runIndex;
	return [
		executionId,
		ctx.getNode().id ?? ctx.getNode().name,
		typeof runIndex === 'number' ? runIndex : 0,
		item,
	].join('|');
}

/**
 * Sends with `send` unless this execution's node run already had this item accepted or maybe sent;
 * remembers both outcomes.
 */
export async function sendOnce<R extends SendResult>(
	ctx: IExecuteFunctions,
	item: number,
	send: () => Promise<R>,
): Promise<R | SendResult> {
	const key = keyOf(ctx, item);
	const earlier = key === undefined ? undefined : sent.get(key);
	if (earlier !== undefined) return earlier;
	const result = await send();
	if (key !== undefined && (result.ok || result.failure.maybeSent)) {
		if (sent.size >= MAX_ENTRIES) sent.delete(sent.keys().next().value as string);
		sent.set(key, result.ok ? { ...result, body: {} } : result);
	}
	return result;
}
