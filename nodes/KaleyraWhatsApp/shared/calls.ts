import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';

import { resolvedLabels, validateCall } from './checks';
import type { KaleyraFailure } from './errors';
import { downloadFailure, toNodeApiError, withOperationHint } from './errors';
import { factsOf, failureJson, failureOutput } from './items';
import { fileNameFromLink } from './media';
import type { Refused } from './parameters';
import { refused, resolveParameters } from './parameters';
import type { KaleyraAccount } from './transport';
import { callKaleyra, downloadToBinary } from './transport';
import type {
	ApiCallOperation,
	CallOperation,
	CallRefusal,
	CallRequest,
	FileCallOperation,
	FileRequest,
	ResolvedParameters,
} from './types';

type Ready = { p: ResolvedParameters; request: CallRequest | FileRequest };

/** One output item of a call: its json and, for a file call, the binary data it carries. */
type CallItem = { json: IDataObject; binary?: IBinaryKeyData };

type Answered = { ok: true; items: CallItem[] } | { ok: false; failure: KaleyraFailure };

/** One item's call, built and checked; nothing is asked of Kaleyra. */
function prepareCall(
	ctx: IExecuteFunctions,
	operation: CallOperation,
	account: KaleyraAccount,
	itemIndex: number,
): Ready | Refused {
	const resolved = resolveParameters(ctx, operation.properties, itemIndex);
	if ('issues' in resolved) return refused(ctx, itemIndex, resolved.issues);
	const { p } = resolved;
	const parameterIssues = operation.checkParameters?.(p, account) ?? [];
	if (parameterIssues.length > 0) return refused(ctx, itemIndex, parameterIssues);
	const request = operation.build(p, account);
	const issues = validateCall(operation, request);
	return issues.length > 0 ? refused(ctx, itemIndex, issues) : { p, request };
}

/**
 * Asks Kaleyra, page after page while the operation names a next page, until Limit items are there.
 * A page Kaleyra names again (the same cursor) ends the listing, so it cannot go on forever.
 */
async function callPages(
	ctx: IExecuteFunctions,
	operation: ApiCallOperation,
	account: KaleyraAccount,
	p: ResolvedParameters,
	request: CallRequest,
): Promise<Answered> {
	const limit = operation.limit?.(p);
	const items: IDataObject[] = [];
	const asked = new Set<string>();
	let next: CallRequest | undefined = request;
	while (next !== undefined) {
		const key = JSON.stringify([next.path, next.query ?? null]);
		if (asked.has(key)) break;
		asked.add(key);
		const result = await callKaleyra(ctx, account, {
			method: next.method,
			path: next.path,
			query: next.query,
			json: next.json,
		});
		if (!result.ok) return result;
		const answer = result.body as IDataObject;
		const found = operation.toItems(answer, p);
		if ('refused' in found)
			return { ok: false, failure: refusal(found, result.httpStatus, answer) };
		items.push(...found);
		if (limit !== undefined && items.length >= limit)
			return { ok: true, items: items.slice(0, limit).map((json) => ({ json })) };
		next = operation.nextPage?.(answer, next);
	}
	const none = items.length === 0 ? operation.whenNone?.(p) : undefined;
	return none === undefined
		? { ok: true, items: items.map((json) => ({ json })) }
		: { ok: false, failure: refusal(none, 200, {}) };
}

/**
 * A file call: the file behind the link into n8n's binary data, added to the input item (its json
 * and any files it had stay), as n8n's own download operations give it. A failure names the field
 * the link is in.
 */
async function fetchFile(
	ctx: IExecuteFunctions,
	operation: FileCallOperation,
	account: KaleyraAccount,
	request: FileRequest,
	item: number,
): Promise<Answered> {
	const stored = await downloadToBinary(
		ctx,
		account,
		{ url: request.url, maxBytes: request.maxBytes },
		{
			fileName: (fromServer, mimeType) =>
				request.fileName || fromServer || fileNameFromLink(request.url, mimeType),
		},
	);
	if (!stored.ok)
		return { ok: false, failure: downloadFailure(resolvedLabels(operation).url ?? 'url', stored) };
	const input = ctx.getInputData()[item];
	return {
		ok: true,
		items: [
			{
				json: { ...input.json },
				binary: { ...input.binary, [request.binaryProperty]: stored.binary },
			},
		],
	};
}

/** One checked item's call: a file call fetches its file, any other asks Kaleyra page by page. */
async function answer(
	ctx: IExecuteFunctions,
	operation: CallOperation,
	account: KaleyraAccount,
	{ p, request }: Ready,
	item: number,
): Promise<Answered> {
	if ('answer' in operation)
		return await fetchFile(ctx, operation, account, request as FileRequest, item);
	return await callPages(ctx, operation, account, p, request as CallRequest);
}

/** An answer that cannot become items, as a failure like Kaleyra's own: nothing was changed by reading it. */
function refusal(
	{ refused }: CallRefusal,
	httpStatus: number,
	answer: IDataObject,
): KaleyraFailure {
	return {
		httpStatus,
		code: refused.code,
		kaleyraMessage: '',
		fieldErrors: {},
		title: refused.title,
		hint: refused.hint,
		retryable: false,
		maybeSent: false,
		response: answer as JsonObject,
	};
}

/**
 * Runs a call operation over every input item: all are checked first (a bad field in item 7 must
 * not leave items 0-6 done and the rest not), then called one after the other, each answer's items
 * paired to its input item. A failure stops the node, or with Continue becomes that item's output.
 */
export async function runCalls(
	ctx: IExecuteFunctions,
	operation: CallOperation,
	account: KaleyraAccount,
): Promise<INodeExecutionData[][]> {
	const count = ctx.getInputData().length;
	const continueOnFail = ctx.continueOnFail();
	const prepared: Array<Ready | Refused> = [];
	for (let item = 0; item < count; item++)
		prepared.push(prepareCall(ctx, operation, account, item));
	if (!continueOnFail) {
		const first = prepared.find((current): current is Refused => 'error' in current);
		if (first !== undefined) throw first.error;
	}
	const output: INodeExecutionData[] = [];
	for (let item = 0; item < count; item++) {
		const current = prepared[item];
		if ('error' in current) {
			output.push(failureOutput(ctx, current.json, item));
			continue;
		}
		const result = await answer(ctx, operation, account, current, item);
		if (result.ok) {
			output.push(...result.items.map((answered) => ({ ...answered, pairedItem: { item } })));
			continue;
		}
		const failure = withOperationHint(result.failure, operation.failureHints);
		const done =
			item === 0
				? ''
				: `${item === 1 ? 'Item 0 was' : `Items 0–${item - 1} were`} done before the node stopped; running the node again repeats them.`;
		const error = toNodeApiError(ctx.getNode(), failure, item, continueOnFail ? '' : done);
		if (!continueOnFail) throw error;
		output.push(failureOutput(ctx, failureJson(error, factsOf(failure)), item));
	}
	return [output];
}
