import { z } from 'zod';

import { WA_SOURCES } from '../resources/message/fields';
import { uploadSchema } from './media';
import type { KaleyraOperation, KaleyraRequest } from './types';

/**
 * The checks operations build their validation schemas from (each operation's schema sits in its
 * own file), and the envelope every send shares. Every leaf check writes its own sentence, so a
 * message reads "<field as the user sees it>: <what is wrong and how to fix it>". Only the zod API
 * common to zod 3.25 and 4 is used.
 */

export interface ValidationIssue {
	field: string;
	message: string;
}

const E164 = /^\+[1-9]\d{7,14}$/;
export const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;

export type Check = (value: unknown) => string | undefined;

export function leaf(check: Check) {
	return z.unknown().superRefine((value, ctx) => {
		const problem = check(value);
		if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
	});
}

const length = (value: string) => [...value].length;
export const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

export function text(max: number, whatToEnter: string): Check {
	return (value) => {
		if (isEmpty(value)) return `it is empty. Enter ${whatToEnter}.`;
		if (typeof value !== 'string') return `expected text, got ${typeof value}.`;
		if (value.trim() === '') return `it contains only spaces. Enter ${whatToEnter}.`;
		if (length(value) > max) return `WhatsApp allows at most ${max} characters; this has ${length(value)}. Shorten it.`;
		return undefined;
	};
}

export function optionalText(max: number, consequence = 'Shorten it.'): Check {
	return (value) => {
		if (isEmpty(value)) return undefined;
		if (typeof value !== 'string') return `expected text, got ${typeof value}.`;
		if (length(value) > max) return `at most ${max} characters are allowed; this has ${length(value)}. ${consequence}`;
		return undefined;
	};
}

export const phone: Check = (value) => {
	if (isEmpty(value) || value === '+') return 'it is empty. Enter a WhatsApp number in international format, e.g. +919900000000.';
	if (typeof value !== 'string' || !E164.test(value))
		return `"${String(value)}" is not a phone number in international format. Use + and the country code followed by the number (8 to 15 digits), e.g. +919900000000.`;
	return undefined;
};

export function isHttpLink(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
	} catch {
		return false;
	}
}

export function link(whatFor: string): Check {
	return (value) => {
		if (isEmpty(value)) return `it is empty. Enter the public http(s) link of the ${whatFor}.`;
		if (typeof value !== 'string' || !isHttpLink(value))
			return `"${String(value)}" is not a public http(s) link. Use a full URL starting with https://.`;
		return undefined;
	};
}

export const optionalLink: Check = (value) => (isEmpty(value) ? undefined : link('page')(value));

export const messageId: Check = (value) => {
	if (isEmpty(value)) return 'it is empty. Map the ID of the WhatsApp message (it starts with wamid.).';
	if (typeof value !== 'string') return `expected text, got ${typeof value}.`;
	return undefined;
};

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

export const emoji: Check = (value) => {
	if (value === '' || value === undefined) return undefined;
	if (typeof value !== 'string') return `expected an emoji, got ${typeof value}.`;
	const graphemes = [...segmenter.segment(value)].length;
	if (graphemes !== 1 || !EMOJI.test(value))
		return `"${value}" is not a single emoji. Enter exactly one emoji such as 👍, or an escape such as \\u2764; leave it empty to remove a reaction.`;
	return undefined;
};

export const boolean: Check = (value) =>
	typeof value === 'boolean' ? undefined : `expected true or false, got "${String(value)}".`;

export const reference = leaf(optionalText(255, 'Kaleyra would cut the rest silently, so status callbacks would no longer match.'));

const extraInfo = z
	.object({
		ref: reference,
		ref1: reference,
		ref2: reference,
		wa_source: leaf((value) =>
			isEmpty(value) || (WA_SOURCES as readonly unknown[]).includes(value)
				? undefined
				: `"${String(value)}" is not a source Kaleyra knows. Use one of: ${WA_SOURCES.join(', ')}.`,
		),
	})
	.optional();

// A read receipt and an upload have no recipient (`to` is null); every send has one.
const envelope = z.object({ from: leaf(phone), to: leaf((value) => (value === null ? undefined : phone(value))) });

function issuesOf(schema: z.ZodTypeAny, value: unknown, prefix: Array<string | number>) {
	const result = schema.safeParse(value);
	if (result.success) return [];
	return result.error.issues.map((issue) => ({ path: [...prefix, ...issue.path] as Array<string | number>, message: issue.message }));
}

/** Finds the UI label of a payload path: exact, then with indexes and media types generalised, then a parent. */
function labelFor(path: Array<string | number>, labels: Record<string, string>): string {
	const index = path.find((segment) => typeof segment === 'number');
	const general = path.map((segment, position) => {
		if (typeof segment === 'number') return '#';
		if (position === 2 && path[1] === 'messaging_object' && (MEDIA_TYPES as readonly string[]).includes(segment)) return '#media';
		return segment;
	});
	for (let end = general.length; end > 0; end--) {
		for (const candidate of [path.slice(0, end).join('.'), general.slice(0, end).join('.')]) {
			const label = labels[candidate];
			if (label !== undefined) return label.replace('{n}', String((index as number) + 1));
		}
	}
	return path.join('.');
}

/** All problems of one request (envelope, the operation's own schema, references), in the user's words; empty when Kaleyra should accept it. */
export function validateRequest(operation: KaleyraOperation, request: KaleyraRequest): ValidationIssue[] {
	const raw = [...issuesOf(envelope, request, [])];
	if (request.api === 'v2') {
		raw.push(...issuesOf(operation.schema, request.body.messaging_object ?? {}, ['body', 'messaging_object']));
		raw.push(...issuesOf(extraInfo, request.body.extra_info, ['body', 'extra_info']));
		if (request.upload !== undefined) raw.push(...issuesOf(uploadSchema, request.upload, ['upload']));
	} else if (request.api === 'v1') {
		raw.push(...issuesOf(operation.schema, request.fields, ['fields']));
	} else {
		raw.push(...issuesOf(operation.schema, request.upload, ['upload']));
	}
	const seen = new Set<string>();
	const issues: ValidationIssue[] = [];
	for (const { path, message } of raw) {
		const field = labelFor(path, operation.fieldLabels);
		const key = `${field}|${message}`;
		if (seen.has(key)) continue;
		seen.add(key);
		issues.push({ field, message });
	}
	return issues;
}
