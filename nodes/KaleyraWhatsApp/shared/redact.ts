import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { apiKeyOf } from '../../../credentials/KaleyraWhatsAppApi.credentials';
import { API_CREDENTIAL } from '../../shared/credentials';

/**
 * Cuts the API key out of anything the node writes (output items, errors, descriptions), whatever
 * brought it there: an answer echoing the request's headers, a value a user mapped. Also in the
 * forms an echo may take: URL-encoded or JSON-escaped.
 */
export const REDACTED = '[redacted]';

function forms(secret: string): string[] {
	return [
		...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]),
	].filter((form) => form.length >= 4);
}

function cut(text: string, variants: string[]): string {
	let result = text;
	for (const variant of variants)
		if (result.includes(variant)) result = result.split(variant).join(REDACTED);
	return result;
}

function walk(value: unknown, variants: string[], seen: WeakSet<object>): unknown {
	if (typeof value === 'string') return cut(value, variants);
	if (value === null || typeof value !== 'object' || seen.has(value)) return value;
	seen.add(value);
	if (Buffer.isBuffer(value)) return value;
	if (Array.isArray(value)) return value.map((entry) => walk(entry, variants, seen));
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value))
		copy[cut(key, variants)] = walk(entry, variants, seen);
	return copy;
}

/** A copy of `value` with every occurrence of `secret` replaced; `value` itself when there is no secret or no occurrence. */
export function redact<T>(value: T, secret: string | undefined): T {
	if (secret === undefined || secret.length < 4) return value;
	const variants = forms(secret);
	if (typeof value === 'string') return cut(value, variants) as T;
	return walk(value, variants, new WeakSet()) as T;
}

/** The same on an error object, in place: n8n stores message, description and the context with the run. */
export function redactError<E extends Error>(error: E, secret: string | undefined): E {
	if (secret === undefined || secret.length < 4) return error;
	const target = error as unknown as Record<string, unknown>;
	for (const key of ['message', 'description', 'stack'])
		if (typeof target[key] === 'string') target[key] = redact(target[key], secret);
	for (const key of ['context', 'cause', 'messages', 'errorResponse'])
		if (target[key] !== undefined) target[key] = redact(target[key], secret);
	return error;
}

/**
 * Runs the node's work and cuts the credential's API key out of every item it outputs and of the
 * error it throws: the last line of defence, whatever brought the key there.
 */
export async function withoutSecret(
	ctx: IExecuteFunctions,
	work: () => Promise<INodeExecutionData[][]>,
): Promise<INodeExecutionData[][]> {
	let secret: string | undefined;
	try {
		// The key as it is sent (trimmed): an echo carries that, not the value as saved.
		secret = apiKeyOf(await ctx.getCredentials(API_CREDENTIAL));
	} catch {
		secret = undefined;
	}
	try {
		const outputs = await work();
		return outputs.map((items) =>
			items.map((item) => ({ ...item, json: redact(item.json, secret) })),
		);
	} catch (error) {
		throw error instanceof Error ? redactError(error, secret) : error;
	}
}
