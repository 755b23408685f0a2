import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';
import { z } from 'zod';

import { MEDIA_KINDS } from '../../shared/media';
import { uploadSchema } from './media';
import type {
	CallOperation,
	FileRequest,
	CallRequest,
	KaleyraRequest,
	SendOperation,
	ValidationIssue,
} from './types';

/**
 * The checks operations build their validation schemas from (each operation's schema sits in its
 * own file), and the envelope every send shares. Every leaf check writes its own sentence, so a
 * message reads "<field as the user sees it>: <what is wrong and how to fix it>". Only the zod API
 * common to zod 3.25 and 4 is used.
 */

export type { ValidationIssue } from './types';

/** The integrations Kaleyra knows as a message's source (Options → Source, `extra_info.wa_source`). */
export const WA_SOURCES = [
	'api',
	'clevertap',
	'zoho',
	'webengage',
	'shopify',
	'leadsquared',
	'responsys',
	'braze',
	'hubspot',
	'salesforce',
	'zapier',
	'eloqua',
	'moengage',
] as const;

const E164 = /^\+[1-9]\d{7,14}$/;
/** The media types a v2 send takes: WhatsApp's media kinds, one list for both nodes. */
export { MEDIA_KINDS as MEDIA_TYPES } from '../../shared/media';

export type Check = (value: unknown) => string | undefined;

export function leaf(check: Check) {
	return z.unknown().superRefine((value, ctx) => {
		const problem = check(value);
		if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
	});
}

/** Characters as WhatsApp counts them (code points), counted without building an array. */
function length(value: string): number {
	let count = 0;
	for (let i = 0; i < value.length; i++) {
		const unit = value.charCodeAt(i);
		if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
			const next = value.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) i++;
		}
		count++;
	}
	return count;
}
export const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

/** What a value is, in the user's words, for "expected text, got …". */
export function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list (array)';
	if (typeof value === 'number')
		return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? 'a number' : 'an infinite number';
	if (typeof value === 'object') return 'an object';
	return typeof value;
}

/** Spaces and the characters that show nothing: zero-width space/joiners, word joiner, BOM, Mongolian vowel separator. */
const INVISIBLE = /[\s\u200B-\u200D\u2060\uFEFF\u180E\u00AD]/g;
export const isBlank = (value: string) => value.replace(INVISIBLE, '') === '';

export function text(max: number, whatToEnter: string): Check {
	return (value) => {
		if (isEmpty(value)) return `it is empty. Enter ${whatToEnter}.`;
		if (typeof value !== 'string') return `expected text, got ${kindOf(value)}.`;
		if (isBlank(value))
			return `it contains only spaces or invisible characters. Enter ${whatToEnter}.`;
		if (length(value) > max)
			return `WhatsApp allows at most ${max} characters; this has ${length(value)}. Shorten it.`;
		return undefined;
	};
}

export function optionalText(max: number, consequence = 'Shorten it.'): Check {
	return (value) => {
		if (isEmpty(value)) return undefined;
		if (typeof value !== 'string') return `expected text, got ${kindOf(value)}.`;
		if (length(value) > max)
			return `at most ${max} characters are allowed; this has ${length(value)}. ${consequence}`;
		return undefined;
	};
}

export const phone: Check = (value) => {
	if (isEmpty(value) || value === '+')
		return 'it is empty. Enter a WhatsApp number in international format, e.g. +919900000000.';
	if (typeof value !== 'string') return `expected a phone number, got ${kindOf(value)}.`;
	if (!E164.test(value))
		return `"${clip(value)}" is not a phone number in international format. Use + and the country code followed by the number (8 to 15 digits), e.g. +919900000000.`;
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
		if (typeof value !== 'string') return `expected a link, got ${kindOf(value)}.`;
		if (!isHttpLink(value))
			return `"${clip(value)}" is not a public http(s) link. Use a full URL starting with https://.`;
		return undefined;
	};
}

export const optionalLink: Check = (value) => (isEmpty(value) ? undefined : link('page')(value));

export const messageId: Check = (value) => {
	if (isEmpty(value))
		return 'it is empty. Map the ID of the WhatsApp message (it starts with wamid.).';
	if (typeof value !== 'string') return `expected text, got ${kindOf(value)}.`;
	return undefined;
};

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

/** Whether a text has an emoji in it (Meta refuses one on a Flow's button). */
export const hasEmoji = (value: string) => EMOJI.test(value);

/** The longest single emoji (a family or flag sequence with modifiers) is well under this many UTF-16 units. */
const EMOJI_MAX_UNITS = 64;

/** One emoji. Length is bounded before the grapheme count, so a huge value is refused in linear time. */
export const emoji: Check = (value) => {
	const notOne = (shown: string) =>
		`"${shown}" is not a single emoji. Enter exactly one emoji such as 👍, or an escape such as \\u2764; to remove a reaction, turn on Remove Reaction.`;
	if (isEmpty(value) || (typeof value === 'string' && isBlank(value)))
		return 'it is empty. Enter one emoji such as 👍; to remove your earlier reaction, turn on Remove Reaction.';
	if (typeof value !== 'string') return `expected an emoji, got ${kindOf(value)}.`;
	if (value.length > EMOJI_MAX_UNITS) return notOne(clip(value));
	let graphemes = 0;
	for (const _ of segmenter.segment(value)) if (++graphemes > 1) break;
	if (graphemes !== 1 || !EMOJI.test(value)) return notOne(value);
	return undefined;
};

/** A value quoted in a message: at most 40 characters, so a 1 MB field does not make a 1 MB error. */
export function clip(value: string): string {
	return value.length <= 40 ? value : `${value.slice(0, 40)}… (${value.length} characters)`;
}

export const boolean: Check = (value) =>
	typeof value === 'boolean'
		? undefined
		: `expected true or false, got ${typeof value === 'string' ? `"${clip(value)}"` : kindOf(value)}.`;

export const reference = leaf(
	optionalText(
		255,
		'Kaleyra would cut the rest silently, so status callbacks would no longer match.',
	),
);

const extraInfo = z
	.object({
		ref: reference,
		ref1: reference,
		ref2: reference,
		wa_source: leaf((value) =>
			isEmpty(value) || (WA_SOURCES as readonly unknown[]).includes(value)
				? undefined
				: `"${clip(String(value))}" is not a source Kaleyra knows. Use one of: ${WA_SOURCES.join(', ')}.`,
		),
	})
	.optional();

// A read receipt and an upload have no recipient (`to` is null); every send has one.
const envelope = z.object({
	from: leaf(phone),
	to: leaf((value) => (value === null ? undefined : phone(value))),
});

function issuesOf(schema: z.ZodTypeAny, value: unknown, prefix: Array<string | number>) {
	const result = schema.safeParse(value);
	if (result.success) return [];
	return result.error.issues.map((issue) => ({
		path: [...prefix, ...issue.path] as Array<string | number>,
		message: issue.message,
	}));
}

/** Finds the UI label of a payload path: exact, then with indexes and media types generalised, then a parent. */
function labelFor(path: Array<string | number>, labels: Record<string, string>): string {
	const index = path.find((segment) => typeof segment === 'number');
	const general = path.map((segment, position) => {
		if (typeof segment === 'number') return '#';
		if (
			position === 2 &&
			path[1] === 'messaging_object' &&
			(MEDIA_KINDS as readonly string[]).includes(segment)
		)
			return '#media';
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

/**
 * A field's label as the editor shows it, derived from the operation's own fields rather than typed
 * again: `options.ref` → "Options → Reference (Ref)"; an entry of a list of values is numbered,
 * `buttons.button.title` → "Button {n} → Title". A label that names no field (a part of a JSON
 * field's contents, such as "Components → Component {n} → Type") is used as it is written.
 */
export function fieldLabel(reference: string, properties: INodeProperties[]): string {
	const [first, ...rest] = reference.split('.');
	const top = properties.find((property) => property.name === first);
	if (top === undefined) return reference;
	let parts = [top.displayName];
	// The field the next name is looked up in: a collection's options, or a fixedCollection entry's values.
	let within: INodeProperties[] | undefined;
	let current: INodeProperties = top;
	for (const name of rest) {
		if (within !== undefined || current.type === 'collection') {
			const children = within ?? ((current.options ?? []) as INodeProperties[]);
			const child = children.find((option) => option.name === name);
			if (child === undefined) return reference;
			parts.push(child.displayName);
			current = child;
			within = undefined;
		} else if (current.type === 'fixedCollection') {
			const entries = (current.options ?? []) as INodePropertyCollection[];
			const entry = entries.find((option) => option.name === name);
			if (entry === undefined) return reference;
			// One of many entries is named by its number, not by the list it is in.
			parts =
				current.typeOptions?.multipleValues === true
					? [`${entry.displayName} {n}`]
					: [...parts, entry.displayName];
			within = entry.values;
		} else return reference;
	}
	return parts.join(' → ');
}

const resolved = new WeakMap<SendOperation | CallOperation, Record<string, string>>();

/** The operation's request paths with the labels of the fields they come from (fieldLabel), worked out once. */
export function resolvedLabels(operation: SendOperation | CallOperation): Record<string, string> {
	let labels = resolved.get(operation);
	if (labels === undefined) {
		labels = Object.fromEntries(
			Object.entries(operation.fieldLabels).map(([path, reference]) => [
				path,
				fieldLabel(reference, operation.properties),
			]),
		);
		resolved.set(operation, labels);
	}
	return labels;
}

/** Zod's issues as the user reads them: each path named by the operation's labels, each sentence once. */
function named(
	raw: Array<{ path: Array<string | number>; message: string }>,
	labels: Record<string, string>,
): ValidationIssue[] {
	const seen = new Set<string>();
	const issues: ValidationIssue[] = [];
	for (const { path, message } of raw) {
		const field = labelFor(path, labels);
		const key = `${field}|${message}`;
		if (seen.has(key)) continue;
		seen.add(key);
		issues.push({ field, message });
	}
	return issues;
}

/** All problems of one request (envelope, the operation's own schema, references), in the user's words; empty when Kaleyra should accept it. */
export function validateRequest(
	operation: SendOperation,
	request: KaleyraRequest,
): ValidationIssue[] {
	const raw = [...issuesOf(envelope, request, [])];
	if (request.api === 'v2') {
		raw.push(
			...issuesOf(operation.schema, request.body.messaging_object ?? {}, [
				'body',
				'messaging_object',
			]),
		);
		raw.push(...issuesOf(extraInfo, request.body.extra_info, ['body', 'extra_info']));
		if (request.upload !== undefined)
			raw.push(...issuesOf(uploadSchema, request.upload, ['upload']));
	} else if (request.api === 'v1') {
		raw.push(...issuesOf(operation.schema, request.fields, ['fields']));
	} else {
		raw.push(...issuesOf(operation.schema, request.upload, ['upload']));
	}
	return named(raw, resolvedLabels(operation));
}

/** All problems of one call's request, checked on the values it was built from, in the user's words. */
export function validateCall(
	operation: CallOperation,
	request: CallRequest | FileRequest,
): ValidationIssue[] {
	return named(issuesOf(operation.schema, request.checked, []), resolvedLabels(operation));
}

/** Where a string has a UTF-16 surrogate without its partner (it would reach the customer as U+FFFD), or -1. */
export function loneSurrogateAt(value: string): number {
	for (let i = 0; i < value.length; i++) {
		const unit = value.charCodeAt(i);
		if (unit >= 0xd800 && unit <= 0xdbff) {
			const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
			if (next >= 0xdc00 && next <= 0xdfff) i++;
			else return i;
		} else if (unit >= 0xdc00 && unit <= 0xdfff) return i;
	}
	return -1;
}

/**
 * A text field's value as an expression resolved it. Text and numbers (a spreadsheet's order
 * number or phone) are what a text field takes; an object, a list, NaN or true would reach the
 * customer as "[object Object]", "a,b", "NaN" or "true".
 */
function textValueProblem(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number')
		return Number.isFinite(value) ? undefined : `expected text, got ${kindOf(value)}.`;
	if (typeof value !== 'string')
		return `expected text, got ${kindOf(value)}. Map a text value (for an object, pick one of its fields, or use JSON.stringify()).`;
	const at = loneSurrogateAt(value);
	if (at >= 0)
		return `it contains a broken character at position ${at + 1} (half of an emoji or other UTF-16 pair), which WhatsApp would show as �. Fix the text or the escape that produced it.`;
	return undefined;
}

/**
 * The type rules every operation's fields share, applied to what n8n resolved (expressions
 * included) before any build(): text fields get text or numbers, and the collections and lists
 * hold what their fields declare. The issue names the field as the node shows it
 * ("Options → Reference (Ref)", "Button 2 → Title").
 */
export function resolvedValueIssues(
	property: INodeProperties,
	value: unknown,
	label = property.displayName,
): ValidationIssue[] {
	switch (property.type) {
		case 'string': {
			const message = textValueProblem(value);
			return message === undefined ? [] : [{ field: label, message }];
		}
		case 'options':
		case 'number': {
			if (value === undefined || value === null) return [];
			if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value)))
				return [
					{
						field: label,
						message: `expected ${property.type === 'number' ? 'a number' : 'one of the listed values'}, got ${kindOf(value)}.`,
					},
				];
			// A choice set by an expression: anything but a listed value would silently act as the default.
			const choices =
				property.type === 'options'
					? ((property.options ?? []) as Array<{ value?: unknown }>).map((option) => option.value)
					: [];
			if (
				property.type === 'options' &&
				value !== '' &&
				choices.length > 0 &&
				!choices.includes(value)
			)
				return [
					{
						field: label,
						message: `"${String(value).slice(0, 40)}" is not one of this field's choices. Use one of: ${choices.join(', ')}.`,
					},
				];
			return [];
		}
		case 'collection': {
			if (value === undefined || value === null) return [];
			if (typeof value !== 'object' || Array.isArray(value))
				return [{ field: label, message: `expected a set of options, got ${kindOf(value)}.` }];
			const issues: ValidationIssue[] = [];
			for (const option of (property.options ?? []) as INodeProperties[]) {
				const inner = (value as Record<string, unknown>)[option.name];
				if ('type' in option)
					issues.push(...resolvedValueIssues(option, inner, `${label} → ${option.displayName}`));
			}
			return issues;
		}
		case 'fixedCollection': {
			if (value === undefined || value === null) return [];
			if (typeof value !== 'object' || Array.isArray(value))
				return [{ field: label, message: `expected a list of entries, got ${kindOf(value)}.` }];
			const issues: ValidationIssue[] = [];
			for (const group of (property.options ?? []) as INodePropertyCollection[]) {
				const entries = (value as Record<string, unknown>)[group.name];
				if (entries === undefined || entries === null) continue;
				const list = Array.isArray(entries) ? entries : [entries];
				list.forEach((entry, index) => {
					const where = Array.isArray(entries)
						? `${group.displayName} ${index + 1}`
						: group.displayName;
					if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
						issues.push({
							field: where,
							message: `expected an entry with fields, got ${kindOf(entry)}.`,
						});
						return;
					}
					for (const field of group.values ?? [])
						issues.push(
							...resolvedValueIssues(
								field,
								(entry as Record<string, unknown>)[field.name],
								`${where} → ${field.displayName}`,
							),
						);
				});
			}
			return issues;
		}
		default:
			return [];
	}
}
