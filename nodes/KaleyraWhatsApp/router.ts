import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { CHECK_NUMBER_FIELD, numberCheckWanted, numberCannotSend } from './numberCheck';
import { operationFor } from './resources';
import { RUN_SETTING_LIMITS } from './resources/message/fields';
import { sendOnce } from './shared/acceptedLedger';
import { runCalls } from './shared/calls';
import type { KaleyraFailure } from './shared/errors';
import { fileNotReadAgain, toNodeApiError, withOperationHint } from './shared/errors';
import { acceptedItem, failedItem, failureJson, failureOutput } from './shared/items';
import type { Refused } from './shared/parameters';
import { refused, resolveParameters } from './shared/parameters';
import type { Job, ScheduleSettings } from './shared/schedule';
import { JobFeed, SCHEDULE_DEFAULTS, sendAll } from './shared/schedule';
import { sendMessage } from './shared/send';
import type { KaleyraAccount } from './shared/transport';
import { getAccount } from './shared/transport';
import type { BinaryFile, KaleyraRequest, SendOperation, ValidationIssue } from './shared/types';
import { clip, kindOf, validateRequest } from './shared/checks';
import { simplified } from './toolMode';

/** A checked item: its request and, when it uploads a file, how to read the file again for the upload. */
type Ready = { request: KaleyraRequest; readFileAgain?: () => Promise<Buffer> };
type Prepared = Ready | Refused;

const NO_BYTES = Buffer.alloc(0);

/** Under Continue, checking gives the event loop to the sends in flight at least this often. */
const CHECK_SLICE_MS = 10;

/**
 * Resolves one item's fields (expressions included), looks up what the operation needs from
 * Kaleyra (read-only), builds its request and validates it. Sends nothing.
 */
async function prepareItem(
	ctx: IExecuteFunctions,
	operation: SendOperation,
	account: KaleyraAccount,
	cache: Map<string, Promise<unknown>>,
	itemIndex: number,
): Promise<Prepared> {
	const resolved = resolveParameters(ctx, operation.properties, itemIndex);
	if ('issues' in resolved) return refused(ctx, itemIndex, resolved.issues);
	const { p } = resolved;
	const binaryProperty = operation.binaryInput?.(p);
	let binaryFile: BinaryFile | undefined;
	if (binaryProperty !== undefined) {
		const read = await readBinary(ctx, itemIndex, binaryProperty);
		if (typeof read === 'string')
			return refused(ctx, itemIndex, [{ field: 'Input Binary Field', message: read }]);
		p.binaryFile = binaryFile = read;
	}
	const looked =
		operation.lookup === undefined ? undefined : await operation.lookup(ctx, account, p, cache);
	const request = operation.build(p, looked);
	const issues = new Map<string, ValidationIssue>();
	for (const issue of [
		...(operation.checkParameters?.(p, looked) ?? []),
		...validateRequest(operation, request),
	])
		issues.set(`${issue.field}|${issue.message}`, issue);
	if (issues.size > 0) return refused(ctx, itemIndex, [...issues.values()]);
	const file = request.upload?.file;
	if (file === undefined || binaryFile === undefined) return { request };
	// Checked: the bytes are let go until the upload, so 5,000 invoices are not all held at once.
	const property = binaryFile.property;
	file.data = NO_BYTES;
	return {
		request,
		readFileAgain: async () => await ctx.helpers.getBinaryDataBuffer(itemIndex, property),
	};
}

/**
 * Sends one checked item, its file read again just for the upload and let go after it. An upload
 * already done (a retry after a throttle) needs no file.
 */
async function sendReady(
	ctx: IExecuteFunctions,
	account: KaleyraAccount,
	{ request, readFileAgain }: Ready,
) {
	const upload = request.upload;
	if (upload === undefined || readFileAgain === undefined || upload.mediaId !== undefined)
		return await sendMessage(ctx, account, request);
	try {
		upload.file.data = await readFileAgain();
	} catch (error) {
		return {
			ok: false as const,
			failure: fileNotReadAgain(
				upload.file.property,
				`n8n's binary data store failed: ${(error as Error).message}.`,
			),
		};
	}
	try {
		if (upload.file.data.length !== upload.file.size)
			return {
				ok: false as const,
				failure: fileNotReadAgain(
					upload.file.property,
					`It has ${upload.file.data.length} bytes now, ${upload.file.size} when it was checked.`,
				),
			};
		return await sendMessage(ctx, account, request);
	} finally {
		upload.file.data = NO_BYTES;
	}
}

/**
 * The file in an item's binary property, or why there is none. Binary data may live on disk or in
 * n8n's object store, so it is read here (async), before build() and its checks.
 */
async function readBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
): Promise<BinaryFile | string> {
	const name = property.trim();
	if (name === '')
		return 'it is empty. Enter the name of the binary property holding the file, e.g. data.';
	const binary = ctx.getInputData()[itemIndex]?.binary?.[name];
	if (binary === undefined) {
		const present = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		return `item ${itemIndex} has no binary property "${clip(name)}"${present.length === 0 ? ' (it has no binary data at all)' : `; it has ${present.map((p) => `"${p}"`).join(', ')}`}. Connect the node that produces the file (Read File, HTTP Request with a file response, a PDF generator), or correct the name.`;
	}
	const metadata = ctx.helpers.assertBinaryData(itemIndex, name);
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
	return {
		property: name,
		fileName: metadata.fileName ?? '',
		mimeType: metadata.mimeType ?? '',
		data,
		size: data.length,
	};
}

/**
 * Runs the operation the node's Resource and Operation select: a send through the send machinery
 * below, a call through runCalls, an operation that runs the execution itself by its own execute.
 */
export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const operation = operationFor(
		ctx.getNodeParameter('resource', 0) as string,
		ctx.getNodeParameter('operation', 0) as string,
	);

	let account: KaleyraAccount;
	try {
		account = await getAccount(ctx);
	} catch (error) {
		const failure =
			error instanceof NodeOperationError
				? error
				: new NodeOperationError(ctx.getNode(), error as Error);
		if (!ctx.continueOnFail()) throw failure;
		const json = failureJson(failure, {
			code: 'CREDENTIAL',
			httpStatus: null,
			retryable: false,
			maybeSent: false,
		});
		return [items.map((_, item) => failureOutput(ctx, json, item))];
	}
	if (operation.kind === 'call') return await runCalls(ctx, operation, account);
	if (operation.kind === 'execute') return await operation.execute(ctx, account);
	return await runSends(ctx, operation, account);
}

/**
 * A send over every input item: checked first, then scheduled within the run settings, each
 * acceptance read by its message ID, guarded against Retry On Fail sending twice.
 */
async function runSends(
	ctx: IExecuteFunctions,
	operation: SendOperation,
	account: KaleyraAccount,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();

	// The run settings hold for the whole batch, so a bad one is not one item's fault: without
	// Continue the node fails naming it; with Continue every item fails with it (a thrown error
	// would make n8n pass the input through as if sent). Nothing is sent either way.
	const inFlight = runSetting(ctx, 'messagesInFlight');
	const perSecond = runSetting(ctx, 'messagesPerSecond');
	const maxThrottleWait = runSetting(ctx, 'maxThrottleWait');
	for (const setting of [inFlight, perSecond, maxThrottleWait]) {
		if (typeof setting === 'number') continue;
		if (!continueOnFail) throw setting.error;
		const json = failureJson(setting.error, {
			code: 'INVALID_INPUT',
			field: setting.field,
			httpStatus: null,
			retryable: false,
			maybeSent: false,
		});
		return [items.map((_, item) => failureOutput(ctx, json, item))];
	}
	const checkNumbers = numberCheckWanted(ctx);
	if (checkNumbers instanceof NodeOperationError) {
		if (!continueOnFail) throw checkNumbers;
		const json = failureJson(checkNumbers, {
			code: 'INVALID_INPUT',
			field: CHECK_NUMBER_FIELD,
			httpStatus: null,
			retryable: false,
			maybeSent: false,
		});
		return [items.map((_, item) => failureOutput(ctx, json, item))];
	}
	const settings: ScheduleSettings = {
		inFlight: inFlight as number,
		perSecond: perSecond as number,
		maxThrottleWaitMs: (maxThrottleWait as number) * 60_000,
	};

	const cache = new Map<string, Promise<unknown>>();
	const prepared: Prepared[] = [];
	// Options → Check Number Can Send First: each business number is asked about once, before its
	// first message; an item from a number that cannot send is refused, unsent.
	const numberChecks = new Map<string, Promise<NodeOperationError | undefined>>();
	const blockedNumber = async (current: Prepared) => {
		if (!checkNumbers || 'error' in current) return undefined;
		const from = current.request.from;
		if (!numberChecks.has(from)) numberChecks.set(from, numberCannotSend(ctx, account, from));
		return await numberChecks.get(from);
	};
	const refusedFor = (blocked: NodeOperationError): Refused => ({
		error: blocked,
		json: failureJson(blocked, {
			code: 'NUMBER_CANNOT_SEND',
			httpStatus: null,
			retryable: false,
			maybeSent: false,
		}),
	});
	const output: INodeExecutionData[] = new Array<INodeExecutionData>(items.length);
	const jobOf = (item: number): Job | undefined => {
		const current = prepared[item];
		if ('error' in current) {
			output[item] = failureOutput(ctx, current.json, item);
			return undefined;
		}
		// An item without a recipient shares no lane with any other.
		return {
			lane:
				current.request.to === null || current.request.to === '' ? `#${item}` : current.request.to,
			businessNumber: current.request.from,
		};
	};
	const accepted: number[] = [];
	const maybeSent: number[] = [];
	let stoppedBy: { item: number; failure: KaleyraFailure } | undefined;
	const send = (source: JobFeed | Array<Job | undefined>) =>
		sendAll(
			source,
			settings,
			async (item) => {
				const ready = prepared[item] as Ready;
				return await sendOnce(ctx, item, async () => await sendReady(ctx, account, ready));
			},
			(item, result) => {
				const { request } = prepared[item] as { request: KaleyraRequest };
				if (result.ok) {
					accepted.push(item);
					const answer = {
						messageId: result.messageId,
						code: result.code,
						httpStatus: result.httpStatus,
					};
					const json = (operation.output ?? acceptedItem)(request, answer);
					// Tool mode only (the field exists nowhere else): what goes back to the model.
					const simplify = ctx.getNodeParameter('simplify', item, false) === true;
					output[item] = { json: simplify ? simplified(json) : json, pairedItem: { item } };
					return 'continue';
				}
				const failure = withOperationHint(result.failure, operation.failureHints);
				if (!continueOnFail) {
					if (stoppedBy === undefined) stoppedBy = { item, failure };
					else if (failure.maybeSent) maybeSent.push(item);
					return 'stop';
				}
				output[item] = failureOutput(
					ctx,
					failedItem(request, failure, toNodeApiError(ctx.getNode(), failure, item)),
					item,
				);
				return 'continue';
			},
		);

	if (continueOnFail) {
		// Each item has its own fate under Continue, so sending need not wait for the last check:
		// an item leaves as soon as it is checked, and the check phase is off the campaign's path.
		const feed = new JobFeed();
		const sending = send(feed);
		sending.catch(() => undefined);
		let yieldedAt = Date.now();
		for (let item = 0; item < items.length; item++) {
			const current = await prepareItem(ctx, operation, account, cache, item);
			const blocked = await blockedNumber(current);
			prepared.push(blocked === undefined ? current : refusedFor(blocked));
			feed.add(jobOf(item));
			// Checking is synchronous work; the answers of the messages in flight need the event
			// loop too, or the first send would wait for the last check after all.
			if (Date.now() - yieldedAt >= CHECK_SLICE_MS) {
				await sleep(0);
				yieldedAt = Date.now();
			}
		}
		feed.close();
		await sending;
		return [output];
	}

	// Every item is checked before the first is sent: a bad field in item 7 must not leave
	// items 1-6 sent and the rest not.
	for (let item = 0; item < items.length; item++)
		prepared.push(await prepareItem(ctx, operation, account, cache, item));
	const invalid = prepared.find((p): p is Refused => 'error' in p);
	if (invalid !== undefined) throw invalid.error;
	// Asked for, a number that cannot send stops the whole campaign before its first message.
	for (const current of prepared) {
		const blocked = await blockedNumber(current);
		if (blocked !== undefined) throw blocked;
	}
	await send(prepared.map((_, item) => jobOf(item)));
	if (stoppedBy !== undefined) {
		throw toNodeApiError(
			ctx.getNode(),
			stoppedBy.failure,
			stoppedBy.item,
			stopNote(accepted, maybeSent, items.length),
		);
	}
	return [output];
}

/**
 * A run setting (Options → Messages in Flight, Messages per Second, Max Throttle Wait), read once from the first item
 * on its own, so that another option's expression failing there fails that item only. An
 * expression can yield anything: a value that is not a whole number in the field's range is
 * refused (NaN would stop the scheduler sending, 0 or less would switch the rate cap off).
 */
const RUN_SETTING_DEFAULTS: Record<keyof typeof RUN_SETTING_LIMITS, number> = {
	messagesInFlight: SCHEDULE_DEFAULTS.inFlight,
	messagesPerSecond: SCHEDULE_DEFAULTS.perSecond,
	maxThrottleWait: SCHEDULE_DEFAULTS.maxThrottleWaitMinutes,
};

function runSetting(
	ctx: IExecuteFunctions,
	name: keyof typeof RUN_SETTING_LIMITS,
): number | { field: string; error: NodeOperationError } {
	const { displayName, minValue, maxValue } = RUN_SETTING_LIMITS[name];
	const field = `Options → ${displayName}`;
	const refused = (problem: string) => ({
		field,
		error: new NodeOperationError(ctx.getNode(), `${field}: ${problem}`, {
			description: `It applies to the whole run (read from the first item), so nothing was sent. Enter a whole number from ${minValue} to ${maxValue}, or remove the option for the default.`,
		}),
	});
	let value: unknown;
	try {
		value = ctx.getNodeParameter(`options.${name}`, 0, null);
	} catch (error) {
		return refused(`its expression failed: ${(error as Error).message}`);
	}
	if (value === null || value === undefined || value === '') return RUN_SETTING_DEFAULTS[name];
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (
		typeof number === 'number' &&
		Number.isInteger(number) &&
		number >= minValue &&
		number <= maxValue
	)
		return number;
	const got =
		typeof value === 'string'
			? `"${clip(value)}"`
			: typeof value === 'number'
				? String(value)
				: kindOf(value);
	return refused(`expected a whole number from ${minValue} to ${maxValue}, got ${got}.`);
}

/** "0–41, 43, 45–99": item indexes as ranges, short enough for 20,000 items. */
export function indexRanges(indexes: number[]): string {
	const sorted = [...indexes].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let i = 0; i < sorted.length; i++) {
		const first = sorted[i];
		while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
		parts.push(first === sorted[i] ? String(first) : `${first}–${sorted[i]}`);
	}
	return parts.join(', ');
}

/** What was already sent when the node stops at a failure, so that nobody sends it again. */
function stopNote(accepted: number[], maybeSent: number[], total: number): string {
	if (accepted.length === 0 && maybeSent.length === 0) return '';
	const parts: string[] = [];
	if (accepted.length > 0) {
		parts.push(
			`Kaleyra accepted ${accepted.length} of the ${total} item(s) before the node stopped; their indexes (from 0): ${indexRanges(accepted)}. Running the whole workflow again would send them again.`,
		);
	}
	if (maybeSent.length > 0)
		parts.push(`These may have been sent (Kaleyra did not answer): ${indexRanges(maybeSent)}.`);
	parts.push('No other item was sent.');
	return parts.join(' ');
}
