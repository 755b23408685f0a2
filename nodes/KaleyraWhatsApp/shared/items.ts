import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';

import type { KaleyraFailure } from './errors';
import type { Accepted, KaleyraRequest } from './types';

/** The output item of a message Kaleyra accepted. */
export function acceptedItem(request: KaleyraRequest, { messageId, code, httpStatus }: Accepted): IDataObject {
	const uploaded = request.upload?.mediaId === undefined ? {} : { mediaId: request.upload.mediaId };
	return { messageId, to: request.to, type: request.type, status: 'accepted', code, httpStatus, ...uploaded, ...request.refs };
}

/** The json of an item whose send failed, with everything needed to decide on a re-send. */
export function failedItem(request: KaleyraRequest, failure: KaleyraFailure, error: NodeApiError): IDataObject {
	return {
		error: error.message,
		description: error.description ?? null,
		code: failure.code,
		httpStatus: failure.httpStatus,
		retryable: failure.retryable,
		maybeSent: failure.maybeSent,
		...(Object.keys(failure.fieldErrors).length > 0 ? { fields: failure.fieldErrors } : {}),
		to: request.to,
		type: request.type,
		...request.refs,
	};
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
export function failureOutput(ctx: IExecuteFunctions, json: IDataObject, item: number): INodeExecutionData {
	if (ctx.getNode().onError !== 'continueErrorOutput') return { json, pairedItem: { item } };
	const { error, ...facts } = json;
	return { json: { error: { message: error, ...facts } }, pairedItem: { item } };
}
