import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { KaleyraRequest } from '../operations/types';
import type { KaleyraFailure } from './errors';
import { failureFromNetworkError, failureFromResponse } from './errors';
import { isHttpLink } from './validation';

export const CREDENTIAL_TYPE = 'kaleyraWhatsAppApi';

/** Must match KALEYRA_BASE_URL_EXPRESSION in the credential (a test holds them together). */
export const POD_HOSTS: Record<string, string> = {
	in: 'https://api.in.kaleyra.io',
	sg: 'https://api.ap.kaleyra.io',
	eu: 'https://api.eu.kaleyra.io',
	na: 'https://api.na.kaleyra.ai',
};

const REQUEST_TIMEOUT_MS = 30_000;

export interface KaleyraAccount {
	baseUrl: string;
	sid: string;
}

export type SendResult = { ok: true; httpStatus: number; body: IDataObject } | { ok: false; failure: KaleyraFailure };

function isLoopback(hostname: string): boolean {
	return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Reads the credential once per execution: where to send, and the SID for the path. */
export async function getAccount(ctx: IExecuteFunctions): Promise<KaleyraAccount> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const pod = String(credentials.pod ?? 'in');
	const sid = String(credentials.sid ?? '').trim();
	if (sid === '')
		throw new NodeOperationError(ctx.getNode(), 'The Kaleyra WhatsApp API credential has no SID', {
			description: 'Open the credential and enter the SID shown in the Kaleyra console under Developers → API Keys.',
		});
	if (pod !== 'custom') {
		const baseUrl = POD_HOSTS[pod];
		if (baseUrl === undefined)
			throw new NodeOperationError(ctx.getNode(), `Unknown pod "${pod}" in the Kaleyra WhatsApp API credential`, {
				description: 'Open the credential and choose India, Singapore, Europe, North America or Custom Base URL.',
			});
		return { baseUrl, sid };
	}
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	const problem = !isHttpLink(baseUrl)
		? `"${baseUrl}" is not an http(s) URL`
		: new URL(baseUrl).protocol === 'http:' && !isLoopback(new URL(baseUrl).hostname)
			? `"${baseUrl}" uses plain http, which would send the API key unencrypted`
			: undefined;
	if (problem !== undefined)
		throw new NodeOperationError(ctx.getNode(), `Base URL of the Kaleyra WhatsApp API credential: ${problem}`, {
			description: 'Open the credential and enter a base URL such as https://api.kaleyra.io (plain http only for localhost).',
		});
	return { baseUrl, sid };
}

function encodeForm(fields: Record<string, unknown>): string {
	const form = new URLSearchParams();
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
	}
	return form.toString();
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/**
 * The only place that talks HTTP to Kaleyra. n8n's helper applies the credential's
 * authenticate block (the api-key header), n8n's proxy and its SSRF policy. HTTP errors come
 * back as values so that every failure is classified in one place.
 */
export async function sendRequest(ctx: IExecuteFunctions, account: KaleyraAccount, request: KaleyraRequest): Promise<SendResult> {
	const sid = encodeURIComponent(account.sid);
	const options: IHttpRequestOptions =
		request.api === 'v2'
			? {
					method: 'POST',
					url: `${account.baseUrl}/v2/${sid}/whatsapp/${encodeURIComponent(request.from.replace(/^\+/, ''))}/messages`,
					body: request.body,
					json: true,
				}
			: {
					method: 'POST',
					url: `${account.baseUrl}/v1/${sid}/messages`,
					body: encodeForm(request.fields),
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
				};
	options.headers = { accept: 'application/json', ...(options.headers ?? {}) };
	options.returnFullResponse = true;
	options.ignoreHttpStatusErrors = true;
	options.timeout = REQUEST_TIMEOUT_MS;
	let response: { statusCode: number; body: unknown; headers: Record<string, unknown> };
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options);
	} catch (error) {
		return { ok: false, failure: failureFromNetworkError(error) };
	}
	const body = parseBody(response.body);
	if (response.statusCode >= 200 && response.statusCode < 300 && body !== null && typeof body === 'object') {
		return { ok: true, httpStatus: response.statusCode, body: body as IDataObject };
	}
	return { ok: false, failure: failureFromResponse(response.statusCode, body, response.headers ?? {}) };
}
