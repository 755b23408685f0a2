import type { IDataObject } from 'n8n-workflow';

import { failureFromResponse, uploadFailure } from './errors';
import { uploadParts } from './media';
import type { KaleyraFailure } from './errors';
import type { KaleyraAccount, KaleyraCall, KaleyraContext } from './transport';
import { callKaleyra, numberSegment } from './transport';
import type { KaleyraRequest, MediaUpload } from './types';

/**
 * What a message send means at Kaleyra: where each kind of request goes, the upload before a media
 * send, and which answer counts as accepted (a message ID). The transport below it is only the door.
 */

/**
 * A message Kaleyra accepted (its message ID; for an upload, the media ID it returned), or why not:
 * what a send means, read from the transport's answer here, and what the scheduler and the Retry
 * On Fail ledger keep per item.
 */
export type SendResult =
	| {
			ok: true;
			httpStatus: number;
			messageId: string | null;
			code: string | null;
			body: IDataObject;
			mediaId?: string;
	  }
	| { ok: false; failure: KaleyraFailure };

/** The message ID of Kaleyra's acceptance: v2 in `data`, v1 in `data[0]`; null when there is none. */
function messageIdOf(body: IDataObject): string | null {
	if (Array.isArray(body)) return null;
	const data = body.data as IDataObject | IDataObject[] | undefined;
	const first = (Array.isArray(data) ? data[0] : data) ?? {};
	const id = first !== null && typeof first === 'object' ? first.message_id : undefined;
	return typeof id === 'string' && id.trim() !== '' ? id : null;
}

/** Where a message request goes: v2 JSON to the business number's messages, v1 form to the account's. */
function messageCall(
	account: KaleyraAccount,
	request: Exclude<KaleyraRequest, { api: 'upload' }>,
): KaleyraCall {
	return request.api === 'v2'
		? {
				method: 'POST',
				path: ['v2', account.sid, 'whatsapp', numberSegment(request.from), 'messages'],
				json: request.body,
			}
		: { method: 'POST', path: ['v1', account.sid, 'messages'], form: request.fields };
}

/** Kaleyra names the uploaded media's ID differently across pages: `data.media_id`, `data.id` or `id`. */
function mediaIdOf(body: IDataObject): string | undefined {
	const data = (body.data ?? {}) as IDataObject;
	const id = data.media_id ?? data.id ?? body.id;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * Uploads an item's file (multipart `file` + `type`) once: the media ID is kept on the upload, so a
 * send retried after a throttled attempt reuses it instead of uploading again.
 */
async function upload(
	ctx: KaleyraContext,
	account: KaleyraAccount,
	from: string,
	media: MediaUpload,
): Promise<SendResult> {
	const result = await callKaleyra(ctx, account, {
		method: 'POST',
		path: ['v2', account.sid, 'whatsapp', numberSegment(from), 'media'],
		multipart: uploadParts(media),
	});
	if (!result.ok) return { ok: false, failure: uploadFailure(result.failure) };
	const body = result.body as IDataObject;
	const mediaId = mediaIdOf(body);
	if (mediaId === undefined) {
		const failure = failureFromResponse(result.httpStatus, body, result.headers);
		return {
			ok: false,
			failure: {
				...failure,
				title: `Kaleyra answered the upload (HTTP ${result.httpStatus}) without a media ID`,
				hint: 'Nothing was sent. The file may be stored at Kaleyra without an ID to use it by; upload it again, or ask Kaleyra support what the upload answer looks like for this account.',
				maybeSent: false,
			},
		};
	}
	media.mediaId = mediaId;
	return {
		ok: true,
		httpStatus: result.httpStatus,
		messageId: null,
		code: typeof body.code === 'string' ? body.code : null,
		body,
		mediaId,
	};
}

function setAt(target: IDataObject, path: string[], value: string): void {
	let node = target;
	for (const key of path.slice(0, -1)) node = node[key] as IDataObject;
	node[path[path.length - 1]] = value;
}

/**
 * Sends one message and reads Kaleyra's acceptance: the message ID (v2 in `data[0]`, v1 in `data`).
 * A request carrying a file uploads it first and sends the media ID Kaleyra returned; an upload
 * request only uploads.
 */
export async function sendMessage(
	ctx: KaleyraContext,
	account: KaleyraAccount,
	request: KaleyraRequest,
): Promise<SendResult> {
	if (request.api === 'upload') return await upload(ctx, account, request.from, request.upload);
	if (request.upload !== undefined && request.upload.mediaId === undefined) {
		const uploaded = await upload(ctx, account, request.from, request.upload);
		if (!uploaded.ok) return uploaded;
	}
	if (request.upload?.idPath !== undefined && request.api === 'v2')
		setAt(request.body, request.upload.idPath, request.upload.mediaId!);
	const result = await callKaleyra(ctx, account, messageCall(account, request));
	if (!result.ok) return result;
	const body = result.body as IDataObject;
	const messageId = messageIdOf(body);
	// Only a message ID shows that Kaleyra accepted a message; without one nobody knows whether it will
	// go out. Marking as read creates no message, so Kaleyra's answer carries none.
	const createsMessage = !(
		request.api === 'v2' &&
		(request.body.messaging_object as IDataObject | undefined)?.status === 'read'
	);
	if (messageId === null && createsMessage)
		return { ok: false, failure: failureFromResponse(result.httpStatus, body, result.headers) };
	return {
		ok: true,
		httpStatus: result.httpStatus,
		messageId,
		code: typeof body.code === 'string' ? body.code : null,
		body,
		...(request.upload?.mediaId === undefined ? {} : { mediaId: request.upload.mediaId }),
	};
}
