import type {
	BinaryHelperFunctions,
	IBinaryData,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	apiKeyOf,
	BASE_URL_SHAPE,
	POD_HOSTS,
	DOT_SEGMENT,
	SID_SHAPE,
	WABA_ID_REFUSED,
} from '../../../credentials/KaleyraWhatsAppApi.credentials';
import type { KaleyraFailure } from './errors';
import { failureFromNetworkError, failureFromResponse } from './errors';
import { redact } from './redact';
import { API_CREDENTIAL as CREDENTIAL_TYPE } from '../../shared/credentials';
import { entryOf } from '../../shared/lookup';

/**
 * How long one request may take, from sending to the last byte of the answer: a hanging or a
 * trickling answer ends then, with maybeSent true. Tests and the fault bench shorten it.
 */
export const TRANSPORT = { timeoutMs: 30_000, lookupTimeoutMs: 30_000 };

/** Every n8n context that may talk to Kaleyra: a run, the editor's dynamic fields, a trigger's webhook and its hooks. */
export type KaleyraContext =
	IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions | IHookFunctions;

export interface KaleyraAccount {
	baseUrl: string;
	sid: string;
	/** The WhatsApp Business Account ID, for the template listing; empty when the credential has none. */
	wabaId: string;
	/**
	 * The credential as read once for the run, handed back to n8n with every call: n8n then skips
	 * reading and decrypting it again per request (a campaign makes thousands). n8n still applies
	 * the credential's authenticate block; node code never touches the key.
	 */
	credential?: ICredentialsDecrypted;
}

/** A file part of a multipart body (a media upload). */
export interface MultipartFile {
	name: string;
	fileName: string;
	mimeType: string;
	data: Buffer;
}

/**
 * One call to Kaleyra. `path` is given as segments (`['v2', sid, 'whatsapp', number, 'messages']`):
 * each is URL-encoded here, so no value a user typed can change which endpoint is called.
 */
export interface KaleyraCall {
	method: IHttpRequestMethods;
	path: string[];
	query?: IDataObject;
	json?: IDataObject;
	form?: Record<string, unknown>;
	multipart?: { fields: Record<string, string>; files: MultipartFile[] };
	/**
	 * A deadline shared by several calls (the pages of one lookup), so that together they take no
	 * longer than it; each call still ends at its own TRANSPORT.timeoutMs too.
	 */
	sharedDeadline?: AbortSignal;
}

/** Kaleyra's answer to one call: a 2xx with its parsed body, or a classified failure. */
export type CallResult =
	| { ok: true; httpStatus: number; body: unknown; headers: Record<string, unknown> }
	| { ok: false; failure: KaleyraFailure };

/**
 * What is wrong with a custom base URL, by the one rule the credential's connection test applies
 * too (BASE_URL_SHAPE and DOT_SEGMENT, exported by the credential), or undefined. It names the
 * part, never echoes the URL: it may carry a password.
 */
export function baseUrlProblem(baseUrl: string): string | undefined {
	if (new RegExp(BASE_URL_SHAPE, 'i').test(baseUrl) && !new RegExp(DOT_SEGMENT, 'i').test(baseUrl))
		return undefined;
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch {
		return 'it is not a URL; enter one such as https://api.kaleyra.io';
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		return `"${url.protocol}" is not http(s)`;
	if (url.username !== '' || url.password !== '' || baseUrl.includes('@'))
		return `it has a user name or password before the host (the key would go to ${url.hostname}); remove it`;
	if (baseUrl.includes('?'))
		return 'it has a query (?…), which would swallow the API path; remove it';
	if (baseUrl.includes('#'))
		return 'it has a fragment (#…), which would drop the API path; remove it';
	if (new RegExp(DOT_SEGMENT, 'i').test(baseUrl))
		return 'it has a "." or ".." segment, which would move the API path; remove it';
	if (url.protocol === 'http:')
		return `it uses plain http to ${url.hostname}, which would send the API key unencrypted; use https (plain http only for localhost)`;
	return 'use https://host[:port][/path]';
}

/** The API key, only to cut it out of anything written (an answer may echo the request's headers). */
function secretOf(account: KaleyraAccount): string | undefined {
	return account.credential?.data === undefined ? undefined : apiKeyOf(account.credential.data);
}

/** Reads the credential: where to send, the SID for the path, the WABA ID for templates. */
export async function getAccount(ctx: KaleyraContext): Promise<KaleyraAccount> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const reference = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	// The key normalised once, here: the copy handed back to n8n is what authenticate sends and what
	// redaction looks for, so the two cannot differ.
	const data = { ...credentials, apiKey: apiKeyOf(credentials) };
	const credential: ICredentialsDecrypted = {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: CREDENTIAL_TYPE,
		data,
	};
	const pod = String(credentials.pod ?? 'in');
	const sid = String(credentials.sid ?? '').trim();
	const wabaId = String(credentials.wabaId ?? '').trim();
	if (sid === '')
		throw new NodeOperationError(ctx.getNode(), 'The Kaleyra WhatsApp API credential has no SID', {
			description:
				'Open the credential and enter the SID shown in the Kaleyra console under Developers → API Keys.',
		});
	if (!new RegExp(SID_SHAPE).test(sid))
		throw new NodeOperationError(
			ctx.getNode(),
			'SID of the Kaleyra WhatsApp API credential is refused: a Kaleyra SID has only letters, digits, _ and -',
			{
				description:
					'Open the credential and enter the SID exactly as the Kaleyra console shows it (Developers → API Keys).',
			},
		);
	// The WABA ID is a path segment of the template listing: "." or ".." would move the request (key
	// included) to another endpoint, so it is held to the SID's rule before anything is sent.
	if (wabaId !== '' && !new RegExp(SID_SHAPE).test(wabaId))
		throw new NodeOperationError(ctx.getNode(), WABA_ID_REFUSED, {
			description:
				"Open the credential and enter the WhatsApp Business Account ID as Meta's WhatsApp Manager shows it (digits only), or clear the WABA ID field and enter templates by name.",
		});
	if (pod !== 'custom') {
		const baseUrl = entryOf(POD_HOSTS, pod);
		if (baseUrl === undefined)
			throw new NodeOperationError(
				ctx.getNode(),
				`Unknown pod "${pod}" in the Kaleyra WhatsApp API credential`,
				{
					description:
						'Open the credential and choose India, Singapore, Europe, North America or Custom Base URL.',
				},
			);
		return { baseUrl, sid, wabaId, credential };
	}
	const baseUrl = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	const problem = baseUrlProblem(baseUrl);
	if (problem !== undefined)
		throw new NodeOperationError(
			ctx.getNode(),
			`Base URL of the Kaleyra WhatsApp API credential is refused: ${problem}`,
			{
				description:
					'Open the credential and enter a base URL such as https://api.kaleyra.io: https, no user name, query, fragment or dot segments (plain http only for localhost).',
			},
		);
	return { baseUrl, sid, wabaId, credential };
}

function encodeForm(fields: Record<string, unknown>): string {
	const form = new URLSearchParams();
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
	}
	return form.toString();
}

/** A multipart/form-data body built here, byte for byte, so a test can read exactly what is uploaded. */
function encodeMultipart(parts: NonNullable<KaleyraCall['multipart']>): {
	body: Buffer;
	contentType: string;
} {
	const boundary = `----kaleyra-n8n-${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
	const quote = (value: string) => value.replace(/["\r\n\\]/g, (c) => encodeURIComponent(c));
	const chunks: Buffer[] = [];
	for (const [name, value] of Object.entries(parts.fields)) {
		chunks.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`,
			),
		);
	}
	for (const file of parts.files) {
		chunks.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.name)}"; filename="${quote(file.fileName)}"\r\nContent-Type: ${file.mimeType}\r\n\r\n`,
			),
			file.data,
			Buffer.from('\r\n'),
		);
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/**
 * n8n hands every request of a run the execution's cancel signal, replacing any the node gives
 * (httpRequestWithAuthentication sets `abortSignal` from `getExecutionCancelSignal`): the context
 * is seen through a view whose signal is both, so a request ends at the deadline as well as when
 * the execution is cancelled.
 */
function withDeadline<T extends KaleyraContext>(ctx: T, deadline: AbortSignal): T {
	const cancel =
		'getExecutionCancelSignal' in ctx
			? (ctx as IExecuteFunctions).getExecutionCancelSignal()
			: undefined;
	const signal = cancel === undefined ? deadline : AbortSignal.any([cancel, deadline]);
	return Object.create(ctx, { getExecutionCancelSignal: { value: () => signal } }) as T;
}

/**
 * The only place that talks HTTP to Kaleyra. n8n's helper applies the credential's
 * authenticate block (the api-key header), n8n's proxy and its SSRF policy. HTTP errors come
 * back as values so that every failure is classified in one place.
 */
export async function callKaleyra(
	ctx: KaleyraContext,
	account: KaleyraAccount,
	call: KaleyraCall,
): Promise<CallResult> {
	// One deadline for the whole exchange: axios's timeout fires only when the socket is idle, so an
	// answer trickling in a byte at a time would otherwise hold the item (and its slot) forever.
	const own = AbortSignal.timeout(TRANSPORT.timeoutMs);
	const deadline =
		call.sharedDeadline === undefined ? own : AbortSignal.any([own, call.sharedDeadline]);
	const options: IHttpRequestOptions = {
		method: call.method,
		url: `${account.baseUrl}/${call.path.map((segment) => encodeURIComponent(segment)).join('/')}`,
		headers: { accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would carry the api-key header to whatever host Location names (a 307 would post the message again).
		disableFollowRedirect: true,
		timeout: TRANSPORT.timeoutMs,
		abortSignal: deadline,
	};
	if (call.query !== undefined) options.qs = call.query;
	if (call.json !== undefined) {
		options.body = call.json;
		options.json = true;
	} else if (call.form !== undefined) {
		options.body = encodeForm(call.form);
		options.headers!['content-type'] = 'application/x-www-form-urlencoded';
	} else if (call.multipart !== undefined) {
		const { body, contentType } = encodeMultipart(call.multipart);
		options.body = body;
		options.headers!['content-type'] = contentType;
	}
	let response: { statusCode: number; body: unknown; headers: Record<string, unknown> };
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(
			withDeadline(ctx, deadline),
			CREDENTIAL_TYPE,
			options,
			account.credential === undefined ? undefined : { credentialsDecrypted: account.credential },
		);
	} catch (error) {
		const timedOut = deadline.aborted ? { code: 'ETIMEDOUT', message: 'timeout' } : error;
		return { ok: false, failure: redact(failureFromNetworkError(timedOut), secretOf(account)) };
	}
	// An answer may echo the request's headers (some proxies do): the key is cut out before anything reads it.
	const body = redact(parseBody(response.body), secretOf(account));
	const headers = redact(response.headers ?? {}, secretOf(account));
	if (
		response.statusCode >= 200 &&
		response.statusCode < 300 &&
		body !== null &&
		typeof body === 'object'
	)
		return { ok: true, httpStatus: response.statusCode, body, headers };
	return { ok: false, failure: failureFromResponse(response.statusCode, body, headers) };
}

/** The business number as the v2 paths take it: digits only. */
export const numberSegment = (from: string) => from.replace(/^\+/, '');

/** Node's Readable, as n8n's binary helpers take it (community nodes may not import node:stream, even for its types). */
export type Readable = Exclude<Parameters<BinaryHelperFunctions['prepareBinaryData']>[0], Buffer>;

/** Downloading a file from a link (inbound media): bounded in time and size, never streamed whole into memory. */
export const DOWNLOAD = { timeoutMs: 60_000, maxRedirects: 3 };

export interface DownloadRequest {
	url: string;
	maxBytes: number;
}

/** A file on its way in, or why not (never thrown: the caller keeps the item and says why). */
export type DownloadResult =
	| {
			ok: true;
			stream: Readable;
			mimeType: string | null;
			fileName: string | null;
			bytes: number | null;
	  }
	| { ok: false; reason: string; retryable: boolean; httpStatus: number | null };

const sameOrigin = (a: URL, b: URL) => a.protocol === b.protocol && a.host === b.host;

/**
 * The file's bytes, failing once more than `maxBytes` have passed: a link that lies about its size,
 * or sends no size, ends there (with Readable's own map, for the same reason as above).
 */
function capped(body: Readable, maxBytes: number): Readable {
	let seen = 0;
	return body.map((chunk: Buffer) => {
		seen += chunk.length;
		if (seen > maxBytes) throw new Error(`the file is larger than ${maxBytes} bytes`);
		return chunk;
	});
}

function fileNameOf(disposition: unknown): string | null {
	const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(
		typeof disposition === 'string' ? disposition : '',
	);
	if (!match) return null;
	try {
		return decodeURIComponent(match[1]).replace(/[\\/]/g, '_');
	} catch {
		return match[1].replace(/[\\/]/g, '_');
	}
}

/**
 * The second door, for files behind a link (Kaleyra's `media_url` for inbound media, which has no
 * retrieval API: docs/kaleyra-api.md §6). The API key goes only to the account's own Kaleyra host
 * (the credential's base URL, same scheme, host and port); any other host gets no credential. A
 * redirect is followed only within the same host, at most DOWNLOAD.maxRedirects times, so neither the
 * key nor the request moves elsewhere. The whole exchange ends after DOWNLOAD.timeoutMs.
 */
export async function downloadFromLink(
	ctx: KaleyraContext,
	account: KaleyraAccount | undefined,
	request: DownloadRequest,
): Promise<DownloadResult> {
	let url: URL;
	try {
		url = new URL(request.url);
	} catch {
		return { ok: false, reason: 'the media link is not a URL', retryable: false, httpStatus: null };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		return {
			ok: false,
			reason: `the media link is not http(s) but ${url.protocol}`,
			retryable: false,
			httpStatus: null,
		};
	const own = account === undefined ? undefined : new URL(account.baseUrl);
	const deadline = AbortSignal.timeout(DOWNLOAD.timeoutMs);
	for (let hop = 0; ; hop += 1) {
		const options: IHttpRequestOptions = {
			method: 'GET',
			url: url.toString(),
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: DOWNLOAD.timeoutMs,
			abortSignal: deadline,
		};
		const withKey = own !== undefined && sameOrigin(url, own);
		let response: { statusCode: number; body: Readable; headers: Record<string, unknown> };
		try {
			response = withKey
				? await ctx.helpers.httpRequestWithAuthentication.call(
						withDeadline(ctx, deadline),
						CREDENTIAL_TYPE,
						options,
						account?.credential === undefined
							? undefined
							: { credentialsDecrypted: account.credential },
					)
				: await ctx.helpers.httpRequest(options);
		} catch (error) {
			const failure = redact(
				failureFromNetworkError(
					deadline.aborted ? { code: 'ETIMEDOUT', message: 'timeout' } : error,
				),
				account === undefined ? undefined : secretOf(account),
			);
			return {
				ok: false,
				reason: `the download failed: ${failure.code ?? 'network error'} (${failure.title.replace('Kaleyra', 'the media host')})`,
				retryable: true,
				httpStatus: null,
			};
		}
		const { statusCode, headers } = response;
		if (statusCode >= 300 && statusCode < 400 && typeof headers.location === 'string') {
			response.body.destroy();
			const next = new URL(headers.location, url);
			if (!sameOrigin(next, url))
				return {
					ok: false,
					reason: `the media link redirects to another host (${next.host}); not followed`,
					retryable: false,
					httpStatus: statusCode,
				};
			if (hop >= DOWNLOAD.maxRedirects)
				return {
					ok: false,
					reason: `the media link redirects more than ${DOWNLOAD.maxRedirects} times`,
					retryable: false,
					httpStatus: statusCode,
				};
			url = next;
			continue;
		}
		if (statusCode < 200 || statusCode >= 300) {
			response.body.destroy();
			const retryable = statusCode === 429 || statusCode >= 500;
			const why =
				statusCode === 404 || statusCode === 410
					? 'the file is not there (any more)'
					: statusCode === 401 || statusCode === 403
						? 'the media host refused access'
						: 'the media host answered an error';
			return {
				ok: false,
				reason: `${why} (HTTP ${statusCode})`,
				retryable,
				httpStatus: statusCode,
			};
		}
		const length = Number(headers['content-length']);
		const bytes =
			Number.isFinite(length) && headers['content-length'] !== undefined ? length : null;
		if (bytes !== null && bytes > request.maxBytes) {
			response.body.destroy();
			return {
				ok: false,
				reason: `the file is ${bytes} bytes, more than the ${request.maxBytes} allowed (Options → Max Media Size)`,
				retryable: false,
				httpStatus: statusCode,
			};
		}
		const type =
			typeof headers['content-type'] === 'string'
				? headers['content-type'].split(';')[0].trim()
				: '';
		const stream = capped(response.body, request.maxBytes);
		deadline.addEventListener(
			'abort',
			() => stream.destroy(new Error('the download took longer than allowed')),
			{ once: true },
		);
		return {
			ok: true,
			stream,
			mimeType: type === '' ? null : type,
			fileName: fileNameOf(headers['content-disposition']),
			bytes,
		};
	}
}

/** A file from a link in n8n's binary data, or why not (never thrown, as for DownloadResult). */
export type StoredFile =
	| { ok: true; binary: IBinaryData }
	| { ok: false; reason: string; retryable: boolean; httpStatus: number | null };

/** How a downloaded file is named and typed, once the server's answer is known. */
export interface StoreAs {
	/** A MIME type the caller knows better than the server (WhatsApp's own for a customer's file). */
	mimeType?: string | null;
	/** The file's name from the server's (Content-Disposition) and the MIME type. */
	fileName(fromServer: string | null, mimeType: string | null): string;
}

/**
 * A file behind a link, by downloadFromLink's rules, streamed into n8n's binary data store (never
 * held whole here). The bytes arrive while n8n stores them, so a size cap or deadline that ends the
 * stream ends here too: both nodes' downloads (the trigger's Download Media, Media → Download) go
 * through this one function.
 */
export async function downloadToBinary(
	ctx: IExecuteFunctions | IWebhookFunctions,
	account: KaleyraAccount | undefined,
	request: DownloadRequest,
	as: StoreAs,
): Promise<StoredFile> {
	const result = await downloadFromLink(ctx, account, request);
	if (!result.ok) return result;
	const mimeType = as.mimeType ?? result.mimeType;
	try {
		const binary = await ctx.helpers.prepareBinaryData(
			result.stream,
			as.fileName(result.fileName, mimeType),
			mimeType ?? undefined,
		);
		return { ok: true, binary };
	} catch (error) {
		result.stream.destroy();
		return {
			ok: false,
			reason: `the download broke off: ${(error as Error).message}`,
			retryable: true,
			httpStatus: null,
		};
	}
}
