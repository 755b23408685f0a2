import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';

import type { KaleyraFailure } from './errors';
import type { Accepted, KaleyraRequest } from './types';

/** The output item of a message Kaleyra accepted. */
export function acceptedItem(
	request: KaleyraRequest,
	{ messageId, code, httpStatus }: Accepted,
): IDataObject {
	const uploaded = request.upload?.mediaId === undefined ? {} : { mediaId: request.upload.mediaId };
	return {
		messageId,
		to: request.to,
		type: request.type,
		status: 'accepted',
		code,
		httpStatus,
		...uploaded,
		...request.refs,
	};
}

/** What a failure says besides its message, whatever failed: an input refused, the credential, Kaleyra's answer. */
export interface FailureFacts {
	code: string | null;
	/** The field a refused input names, as the node shows it. */
	field?: string;
	httpStatus: number | null;
	retryable: boolean;
	maybeSent: boolean;
	/** Kaleyra's per-field reasons, when it gave any. */
	fields?: Record<string, string>;
}

/**
 * The json of a failed item, the one shape every failure of the node takes (a refused field, a
 * credential, a run setting, a send or a call Kaleyra refused); `extra` adds what the operation
 * knows of the item (a send's recipient, type and references).
 */
export function failureJson(
	error: { message: string; description?: string | null },
	facts: FailureFacts,
	extra: IDataObject = {},
): IDataObject {
	return {
		error: error.message,
		description: error.description ?? null,
		code: facts.code,
		...(facts.field === undefined ? {} : { field: facts.field }),
		httpStatus: facts.httpStatus,
		retryable: facts.retryable,
		maybeSent: facts.maybeSent,
		...(facts.fields === undefined || Object.keys(facts.fields).length === 0
			? {}
			: { fields: facts.fields }),
		...extra,
	};
}

/** The facts of a failure Kaleyra's answer (or its absence) gave. */
export function factsOf(failure: KaleyraFailure): FailureFacts {
	return {
		code: failure.code,
		httpStatus: failure.httpStatus,
		retryable: failure.retryable,
		maybeSent: failure.maybeSent,
		fields: failure.fieldErrors,
	};
}

/** The json of an item whose send failed, with everything needed to decide on a re-send. */
export function failedItem(
	request: KaleyraRequest,
	failure: KaleyraFailure,
	error: NodeApiError,
): IDataObject {
	return failureJson(error, factsOf(failure), {
		to: request.to,
		type: request.type,
		...request.refs,
	});
}

/**
 * A failed item for "On Error: Continue". n8n replaces the json of any item that carries `error`
 * with `{ error: message }` (2.x: WorkflowExecute.normalizeNodeErrors), which would drop code,
 * httpStatus, retryable and maybeSent, so the failure travels in the json only.
 *
 * For "Continue (using error output)" n8n moves an item to the error output by the keys of its
 * json: n8n 1.x only when they are exactly `error`, or `error` and `message`; n8n 2.x when they
 * are among `error`, `message` and `details`. The one shape both lines route is a json with only
 * `error`, so the whole failure (message, description, code, httpStatus, retryable, maybeSent,
 * fields, to, type, references) goes under `error`; n8n then merges the input item in.
 */
export function failureOutput(
	ctx: IExecuteFunctions,
	json: IDataObject,
	item: number,
): INodeExecutionData {
	if (ctx.getNode().onError !== 'continueErrorOutput') return { json, pairedItem: { item } };
	const { error, ...facts } = json;
	return { json: { error: { message: error, ...facts } }, pairedItem: { item } };
}
