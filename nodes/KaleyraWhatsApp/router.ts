import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationFor } from './resources';
import { toNodeApiError } from './shared/errors';
import { acceptedItem, failedItem, failureOutput } from './shared/items';
import { forEachItem, sendWithSafeRetries } from './shared/schedule';
import type { KaleyraAccount } from './shared/transport';
import { getAccount, sendMessage } from './shared/transport';
import type { BinaryFile, KaleyraOperation, KaleyraRequest, ResolvedParameters } from './shared/types';
import type { ValidationIssue } from './shared/checks';
import { validateRequest } from './shared/checks';

type Prepared = { request: KaleyraRequest } | { error: NodeOperationError; json: IDataObject };

/**
 * Resolves one item's fields (expressions included), looks up what the operation needs from
 * Kaleyra (read-only), builds its request and validates it. Sends nothing.
 */
async function prepareItem(
	ctx: IExecuteFunctions,
	operation: KaleyraOperation,
	account: KaleyraAccount,
	cache: Map<string, Promise<unknown>>,
	itemIndex: number,
): Promise<Prepared> {
	const parameters: Record<string, unknown> = {};
	for (const property of operation.properties) {
		if (property.name in parameters) continue;
		const fallback = property.type === 'collection' || property.type === 'fixedCollection' ? {} : '';
		parameters[property.name] = ctx.getNodeParameter(property.name, itemIndex, fallback);
	}
	const p = parameters as ResolvedParameters;
	const binaryProperty = operation.binaryInput?.(p);
	if (binaryProperty !== undefined) {
		const read = await readBinary(ctx, itemIndex, binaryProperty);
		if (typeof read === 'string') return invalid(ctx, itemIndex, [{ field: 'Input Binary Field', message: read }]);
		p.binaryFile = read;
	}
	const looked = operation.lookup === undefined ? undefined : await operation.lookup(ctx, account, p, cache);
	const request = operation.build(p, looked);
	const issues = [...(operation.checkParameters?.(p, looked) ?? []), ...validateRequest(operation, request)];
	return issues.length === 0 ? { request } : invalid(ctx, itemIndex, issues);
}

/** An item that is not sent: its first problem as the error, the others in the description. */
function invalid(ctx: IExecuteFunctions, itemIndex: number, issues: ValidationIssue[]): Prepared {
	const [first, ...others] = issues;
	const more = others.map((issue) => `${issue.field}: ${issue.message}`).join(' ');
	const error = new NodeOperationError(ctx.getNode(), `${first.field}: ${first.message}`, {
		itemIndex,
		description: `Nothing was sent for item ${itemIndex + 1}.${more === '' ? '' : ` Also: ${more}`}`,
	});
	return {
		error,
		json: { error: error.message, description: error.description ?? null, code: 'INVALID_INPUT', field: first.field, httpStatus: null, retryable: false, maybeSent: false },
	};
}

/**
 * The file in an item's binary property, or why there is none. Binary data may live on disk or in
 * n8n's object store, so it is read here (async), before build() and its checks.
 */
async function readBinary(ctx: IExecuteFunctions, itemIndex: number, property: string): Promise<BinaryFile | string> {
	const name = property.trim();
	if (name === '') return 'it is empty. Enter the name of the binary property holding the file, e.g. data.';
	const binary = ctx.getInputData()[itemIndex]?.binary?.[name];
	if (binary === undefined) {
		const present = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		return `item ${itemIndex + 1} has no binary property "${name}"${present.length === 0 ? ' (it has no binary data at all)' : `; it has ${present.map((p) => `"${p}"`).join(', ')}`}. Connect the node that produces the file (Read File, HTTP Request with a file response, a PDF generator), or correct the name.`;
	}
	const metadata = ctx.helpers.assertBinaryData(itemIndex, name);
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
	return { property: name, fileName: metadata.fileName ?? '', mimeType: metadata.mimeType ?? '', data };
}

/** Runs the operation the node's Resource and Operation select over every input item. */
export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const operation = operationFor(ctx.getNodeParameter('resource', 0) as string, ctx.getNodeParameter('operation', 0) as string);
	const continueOnFail = ctx.continueOnFail();
	const output: INodeExecutionData[] = [];

	let account: KaleyraAccount;
	try {
		account = await getAccount(ctx);
	} catch (error) {
		const failure = error instanceof NodeOperationError ? error : new NodeOperationError(ctx.getNode(), error as Error);
		if (!continueOnFail) throw failure;
		const json = {
			error: failure.message,
			description: failure.description ?? null,
			code: 'CREDENTIAL',
			httpStatus: null,
			retryable: false,
			maybeSent: false,
		};
		return [items.map((_, item) => failureOutput(ctx, json, item))];
	}

	// Every item is checked before the first is sent: a bad field in item 7 must not leave
	// items 1-6 sent and the rest not.
	const cache = new Map<string, Promise<unknown>>();
	const prepared: Prepared[] = [];
	for (let item = 0; item < items.length; item++) prepared.push(await prepareItem(ctx, operation, account, cache, item));
	if (!continueOnFail) {
		const invalid = prepared.find((p): p is Extract<Prepared, { error: unknown }> => 'error' in p);
		if (invalid !== undefined) throw invalid.error;
	}

	let accepted = 0;
	await forEachItem(prepared.length, async (item) => {
		const current = prepared[item];
		if ('error' in current) {
			output.push(failureOutput(ctx, current.json, item));
			return;
		}
		const result = await sendWithSafeRetries(async () => await sendMessage(ctx, account, current.request));
		if (result.ok) {
			accepted++;
			const answer = { messageId: result.messageId, code: result.code, httpStatus: result.httpStatus };
			const json = (operation.output ?? acceptedItem)(current.request, answer);
			output.push({ json, pairedItem: { item } });
			return;
		}
		const note =
			!continueOnFail && accepted > 0
				? `The ${accepted} item(s) before this one were accepted by Kaleyra; running the whole workflow again would send them again.`
				: '';
		const extraHint = result.failure.code === null ? undefined : operation.failureHints?.[result.failure.code];
		const failure = extraHint === undefined ? result.failure : { ...result.failure, hint: `${result.failure.hint} ${extraHint}` };
		const error = toNodeApiError(ctx.getNode(), failure, item, note);
		if (!continueOnFail) throw error;
		output.push(failureOutput(ctx, failedItem(current.request, failure, error), item));
	});
	return [output];
}
