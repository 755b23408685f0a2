import type { IExecuteFunctions } from 'n8n-workflow';

import type { SendResult } from './transport';
import type { KaleyraRequest } from './types';

/**
 * n8n's "Retry On Fail" runs the whole node again, with the same items, when one item fails.
 * Without this, every item Kaleyra had already accepted would be sent a second time. The ledger
 * remembers, per execution, node and run, which item was accepted with which request; a retried
 * run answers those items with the first acceptance instead of sending again. A new execution, or
 * the node's next run in a loop, sends normally. Bounded: the oldest entries go first.
 */
const MAX_ENTRIES = 100_000;
const accepted = new Map<string, Extract<SendResult, { ok: true }>>();

/** FNV-1a over the request as sent: the same item with other content (a loop's next batch) is a new message. */
function hashOf(request: KaleyraRequest): string {
	const upload = request.upload === undefined ? '' : `${request.upload.kind}:${request.upload.file.fileName}:${request.upload.file.size}`;
	const text = `${upload}|${JSON.stringify(request.api === 'v2' ? request.body : request.api === 'v1' ? request.fields : '')}`;
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
	return `${text.length}:${hash.toString(16)}`;
}

function keyOf(ctx: IExecuteFunctions, item: number, request: KaleyraRequest): string | undefined {
	const executionId = ctx.getExecutionId();
	if (executionId === undefined || executionId === '') return undefined;
	const runIndex = (ctx as unknown as { runIndex?: unknown }).runIndex;
	return [executionId, ctx.getNode().id ?? ctx.getNode().name, typeof runIndex === 'number' ? runIndex : 0, item, hashOf(request)].join('|');
}

/** Sends with `send` unless this execution's node run already had this item accepted; remembers acceptances. */
export async function sendOnce<R extends SendResult>(
	ctx: IExecuteFunctions,
	item: number,
	request: KaleyraRequest,
	send: () => Promise<R>,
): Promise<R | Extract<SendResult, { ok: true }>> {
	const key = keyOf(ctx, item, request);
	const earlier = key === undefined ? undefined : accepted.get(key);
	if (earlier !== undefined) return earlier;
	const result = await send();
	if (result.ok && key !== undefined) {
		if (accepted.size >= MAX_ENTRIES) accepted.delete(accepted.keys().next().value as string);
		accepted.set(key, { ...result, body: {} });
	}
	return result;
}
