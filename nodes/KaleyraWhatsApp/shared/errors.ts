import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import type { CodeMeaning } from '../../shared/codes';
import { CHECK_CREDENTIAL, CODES } from '../../shared/codes';
import { entryOf } from '../../shared/lookup';

/**
 * Every way a send can fail, in one shape: what Kaleyra said, what it means for the user, and
 * whether trying again is safe. `maybeSent` is true when the request may have reached Kaleyra
 * (a reset connection, a timeout): re-sending could then deliver the message twice.
 */
export interface KaleyraFailure {
	httpStatus: number | null;
	code: string | null;
	kaleyraMessage: string;
	/** Kaleyra's per-field reasons, from the `error` object of its answer. */
	fieldErrors: Record<string, string>;
	title: string;
	hint: string;
	retryable: boolean;
	maybeSent: boolean;
	retryAfterMs?: number;
	/** The answer as Kaleyra sent it, kept for the error's details (never holds the API key). */
	response: JsonObject;
}

const STATUS_MEANINGS: Record<number, CodeMeaning> = {
	401: { title: 'Kaleyra refused the credentials', hint: CHECK_CREDENTIAL, retryable: false },
	403: { title: 'Kaleyra refused access', hint: CHECK_CREDENTIAL, retryable: false },
	404: {
		title: 'Kaleyra does not know this address',
		hint: 'Check the pod (or custom base URL) in the credential, the SID, and the Business Number field.',
		retryable: false,
	},
	429: {
		title: 'Kaleyra is throttling this account',
		hint: 'Too many messages per second. Send fewer at once, or try again shortly.',
		retryable: true,
	},
};

const MAY_HAVE_ACTED =
	'The answer did not come from Kaleyra (a gateway in front of it), so the message may have reached Kaleyra: check its delivery status (the ref fields help) before sending it again, or try later.';

function meaningOf(status: number, code: string | null): CodeMeaning {
	const known = entryOf(CODES, code) ?? entryOf(STATUS_MEANINGS, String(status));
	if (known !== undefined) return known;
	if (status >= 500)
		return {
			title: `Kaleyra answered with a server error (HTTP ${status})`,
			hint: MAY_HAVE_ACTED,
			retryable: true,
		};
	return {
		title: `Kaleyra refused the request (HTTP ${status})`,
		hint: 'Kaleyra support can explain an unknown code.',
		retryable: false,
	};
}

function asObject(value: unknown): JsonObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as JsonObject)
		: undefined;
}

function describeBody(raw: string): string {
	const trimmed = raw.trim();
	if (trimmed === '') return 'an empty body';
	if (/^<(!doctype|html)/i.test(trimmed)) return 'an HTML page instead of JSON';
	return `a non-JSON body ("${trimmed.slice(0, 80)}")`;
}

/** Parses Retry-After as seconds or an HTTP date; milliseconds, or undefined when absent. */
function retryAfterMs(header: unknown): number | undefined {
	if (header === undefined || header === null || header === '') return undefined;
	const seconds = Number(header);
	// A negative number is no Retry-After (RFC 9110: delta-seconds or a date): the default pause.
	if (Number.isFinite(seconds)) return seconds < 0 ? undefined : seconds * 1000;
	const date = Date.parse(String(header));
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function hostOf(location: unknown): string {
	if (location === undefined || location === null || location === '') return 'no named host';
	try {
		return new URL(String(location)).host || 'no named host';
	} catch {
		return 'a relative address on the same host';
	}
}

/** A 3xx: never followed, since the api-key header would travel to the host Location names. */
function redirectFailure(status: number, headers: Record<string, unknown>): KaleyraFailure {
	const host = hostOf(headers.location);
	const title = `Kaleyra's address answered with a redirect (HTTP ${status}), which the node does not follow`;
	return {
		httpStatus: status,
		code: null,
		kaleyraMessage: `it points to ${host}`,
		fieldErrors: {},
		title,
		hint: `Following it would send the API key${status === 307 || status === 308 ? ' and the message again' : ''} to ${host}. Check the pod or custom base URL in the credential. The server that redirected may have acted on the request: check the delivery status before sending again.`,
		retryable: false,
		maybeSent: true,
		response: { message: title, redirectHost: host },
	};
}

/**
 * An HTTP answer that is not an acceptance. `maybeSent` is false only when the answer shows that
 * Kaleyra did not act: a 4xx refusal carrying Kaleyra's code, or a 429 (or 130429)
 * (throttled before anything was done). A gateway's HTML or text 5xx, a redirect, or a 2xx without
 * a message ID may all hide a request Kaleyra acted on.
 */
export function failureFromResponse(
	status: number,
	body: unknown,
	headers: Record<string, unknown>,
): KaleyraFailure {
	if (status >= 300 && status < 400) return redirectFailure(status, headers);
	let parsed = asObject(body);
	let rawDescription: string | undefined;
	if (parsed === undefined && typeof body === 'string') {
		try {
			parsed = asObject(JSON.parse(body));
		} catch {
			parsed = undefined;
		}
		if (parsed === undefined) rawDescription = describeBody(body);
	} else if (parsed === undefined) {
		rawDescription = describeBody('');
	}
	const rawCode = parsed?.code;
	const code =
		(typeof rawCode === 'string' && rawCode !== '') || typeof rawCode === 'number'
			? String(rawCode)
			: null;
	const kaleyraMessage =
		parsed !== undefined && typeof parsed.message === 'string'
			? parsed.message
			: `HTTP ${status} with ${rawDescription ?? 'no message'}`;
	const fieldErrors: Record<string, string> = {};
	const errorObject = parsed !== undefined ? asObject(parsed.error) : undefined;
	for (const [field, reason] of Object.entries(errorObject ?? {})) {
		fieldErrors[field] = typeof reason === 'string' ? reason : JSON.stringify(reason);
	}
	const accepted = status >= 200 && status < 300;
	const meaning: CodeMeaning = accepted
		? {
				title: `Kaleyra answered HTTP ${status} without a message ID`,
				hint: 'Kaleyra may have accepted this message. Check the delivery status before sending it again, or it may arrive twice.',
				retryable: false,
			}
		: meaningOf(status, code);
	const hint =
		rawDescription !== undefined && status < 500 && status !== 429
			? `${meaning.hint} Kaleyra's API answers in JSON, so ${rawDescription} usually means the base URL points at something else (a proxy or a login page).`
			: meaning.hint;
	return {
		httpStatus: status,
		code,
		kaleyraMessage,
		fieldErrors,
		title: meaning.title,
		hint,
		retryable: meaning.retryable,
		// Not sent only when the answer shows Kaleyra did not act: a throttle, or a 4xx with Kaleyra's
		// code. A 5xx, even Kaleyra's own WA500, may come after the message was queued.
		maybeSent:
			accepted ||
			!(status === 429 || code === '130429' || (code !== null && status >= 400 && status < 500)),
		retryAfterMs:
			status === 429 || code === '130429' ? retryAfterMs(headers['retry-after']) : undefined,
		response: parsed ?? { body: rawDescription ?? '' },
	};
}

const NOT_POSTPAID =
	'Kaleyra accepts media uploads only from postpaid accounts; others get 401 ("Unauthorised account type"). Ask Kaleyra to make the account postpaid, or put the file at a public https link and use the Media Source "Public Link" instead. Nothing was sent.';

/**
 * A failed media upload. A 401 there most often means the account is not postpaid (the SID and
 * key may be fine: the same credential sends messages), so that is said first.
 */
export function uploadFailure(failure: KaleyraFailure): KaleyraFailure {
	if (failure.httpStatus !== 401 || failure.code === 'RBC001')
		return { ...failure, maybeSent: false };
	return {
		...failure,
		title: 'Kaleyra refused the media upload for this account',
		hint: `${NOT_POSTPAID} ${failure.hint}`,
		maybeSent: false,
	};
}

const REFUSED = [
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
];

/** No HTTP answer: either the request never left (safe to retry) or its fate is unknown. */
export function failureFromNetworkError(error: unknown): KaleyraFailure {
	const err = (error ?? {}) as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
	const code = String(err.code ?? err.cause?.code ?? 'ENETWORK');
	const neverLeft = REFUSED.includes(code);
	const timedOut =
		code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(String(err.message ?? ''));
	const title = neverLeft
		? 'Could not reach Kaleyra'
		: timedOut
			? 'Kaleyra did not answer in time'
			: 'The connection to Kaleyra broke before it answered';
	const hint = neverLeft
		? 'Check the pod or custom base URL in the credential, and that this n8n can reach the internet (proxy settings). Nothing was sent.'
		: 'Kaleyra may or may not have accepted this message. Check the delivery status (ref fields help) before sending it again, or it may arrive twice.';
	return {
		httpStatus: null,
		code,
		kaleyraMessage: title,
		fieldErrors: {},
		title,
		hint,
		retryable: neverLeft,
		maybeSent: !neverLeft,
		// Not under `code`: NodeApiError swaps the message of an error whose code is ECONNRESET,
		// ECONNREFUSED... for n8n's generic text ("You can retry the request immediately"), which
		// would contradict the warning that the message may already have been sent.
		response: { message: title, networkError: code },
	};
}

/**
 * The item's file, checked before the batch, could not be read again for its upload (the binary
 * data store failed, or the file is not the one checked). Nothing of this item was sent.
 */
export function fileNotReadAgain(property: string, reason: string): KaleyraFailure {
	const title = `Could not read the file in binary property "${property}" again to upload it`;
	return {
		httpStatus: null,
		code: 'FILE_UNREADABLE',
		kaleyraMessage: title,
		fieldErrors: {},
		title,
		hint: `${reason} Nothing was sent for this item; run it again.`,
		retryable: false,
		maybeSent: false,
		response: { message: title },
	};
}

/**
 * A file that could not be fetched from its link (Media → Download), named by the field the link
 * is in; the reason is the download's own (transport.ts). Nothing was sent or changed anywhere.
 */
export function downloadFailure(
	field: string,
	{
		reason,
		retryable,
		httpStatus,
	}: { reason: string; retryable: boolean; httpStatus: number | null },
): KaleyraFailure {
	const title = `${field}: the file could not be downloaded: ${reason}`;
	return {
		httpStatus,
		code: 'DOWNLOAD_FAILED',
		kaleyraMessage: '',
		fieldErrors: {},
		title,
		hint: retryable
			? 'The media host may answer later: run the node again, or turn on Retry On Fail in its settings.'
			: `Check ${field}: map the trigger's mediaUrl of a message that came to this Kaleyra account (its links last for a limited time).`,
		retryable,
		maybeSent: false,
		response: { message: title },
	};
}

/** Kaleyra (429) or Meta (130429) refused the message for the rate: sending slower will get it through. */
export function isThrottled(failure: KaleyraFailure): boolean {
	return failure.httpStatus === 429 || failure.code === '130429';
}

/**
 * Only these are retried without asking: a throttled send (429 or 130429: refused, not acted on)
 * and a connection that never opened. Anything else might have been acted on.
 */
export function isSafeToRetry(failure: KaleyraFailure): boolean {
	return (
		isThrottled(failure) || (failure.httpStatus === null && failure.retryable && !failure.maybeSent)
	);
}

export function describeFailure(failure: KaleyraFailure): { message: string; description: string } {
	const codePart = failure.code !== null && failure.httpStatus !== null ? ` [${failure.code}]` : '';
	const said =
		failure.httpStatus !== null && failure.kaleyraMessage !== ''
			? `: ${failure.kaleyraMessage}`
			: '';
	// Kaleyra often repeats its message under a field (WA401: phone_number); that is not said twice.
	// Its generic `{ error: "…" }` is a message, not a field.
	const kaleyraSaid = failure.httpStatus !== null ? failure.kaleyraMessage.trim() : '';
	const reasons = Object.entries(failure.fieldErrors).filter(
		([, reason]) => reason.trim() !== kaleyraSaid,
	);
	const sentence = (text: string) => `${text.trim().replace(/[.\s]+$/, '')}.`;
	const generic = reasons.filter(([field]) => field === 'error').map(([, reason]) => reason);
	const fields = reasons
		.filter(([field]) => field !== 'error')
		.map(([field, reason]) => `${field}: ${reason.trim().replace(/[.\s]+$/, '')}`)
		.join('; ');
	const description = [
		failure.hint,
		generic.length > 0 ? `Kaleyra says: ${sentence(generic.join('; '))}` : '',
		fields !== '' ? `Kaleyra says about the fields: ${fields}.` : '',
	]
		.filter((part) => part !== '')
		.join(' ');
	return { message: `${failure.title}${codePart}${said}`, description };
}

export function toNodeApiError(
	node: INode,
	failure: KaleyraFailure,
	itemIndex: number,
	note = '',
): NodeApiError {
	const { message, description } = describeFailure(failure);
	const fullDescription = note === '' ? description : `${description} ${note}`;
	const error = new NodeApiError(node, failure.response, {
		message,
		description: fullDescription,
		httpCode: failure.httpStatus === null ? undefined : String(failure.httpStatus),
		itemIndex,
	});
	// NodeApiError swaps a message containing ECONNRESET, ETIMEDOUT, "preexisting"… for n8n's generic
	// text ("You can retry the request immediately"); the user must see the node's title and Kaleyra's code.
	if (error.message !== message) {
		error.messages = [...new Set([...(error.messages ?? []), error.message])];
		error.message = message;
	}
	error.description = fullDescription;
	return error;
}

/**
 * The failure with the operation's own advice for its code added to the hint (an operation's
 * `failureHints`, keyed by Kaleyra's code: read with entryOf, the code comes from outside).
 */
export function withOperationHint(
	failure: KaleyraFailure,
	hints: Record<string, string> | undefined,
): KaleyraFailure {
	const extra = failure.code === null ? undefined : entryOf(hints ?? {}, failure.code);
	return extra === undefined ? failure : { ...failure, hint: `${failure.hint} ${extra}` };
}
