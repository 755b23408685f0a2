import { z } from 'zod';

import { WA_SOURCES } from '../operations/common';
import type { KaleyraOperation, KaleyraRequest } from '../operations/types';

/**
 * The limits of kaleyra-api.md as zod schemas over the request an operation built. Every leaf
 * check writes its own sentence, so a message reads "<field as the user sees it>: <what is wrong
 * and how to fix it>". Only the zod API common to zod 3.25 and 4 is used.
 */

export interface ValidationIssue {
	field: string;
	message: string;
}

const E164 = /^\+[1-9]\d{7,14}$/;
const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
const CAPTION_TYPES = ['image', 'video', 'document'];

type Check = (value: unknown) => string | undefined;

function leaf(check: Check) {
	return z.unknown().superRefine((value, ctx) => {
		const problem = check(value);
		if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
	});
}

const length = (value: string) => [...value].length;
const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

function text(max: number, whatToEnter: string): Check {
	return (value) => {
		if (isEmpty(value)) return `it is empty. Enter ${whatToEnter}.`;
		if (typeof value !== 'string') return `expected text, got ${typeof value}.`;
		if (value.trim() === '') return `it contains only spaces. Enter ${whatToEnter}.`;
		if (length(value) > max) return `WhatsApp allows at most ${max} characters; this has ${length(value)}. Shorten it.`;
		return undefined;
	};
}

function optionalText(max: number, consequence = 'Shorten it.'): Check {
	return (value) => {
		if (isEmpty(value)) return undefined;
		if (typeof value !== 'string') return `expected text, got ${typeof value}.`;
		if (length(value) > max) return `at most ${max} characters are allowed; this has ${length(value)}. ${consequence}`;
		return undefined;
	};
}

const phone: Check = (value) => {
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

function link(whatFor: string): Check {
	return (value) => {
		if (isEmpty(value)) return `it is empty. Enter the public http(s) link of the ${whatFor}.`;
		if (typeof value !== 'string' || !isHttpLink(value))
			return `"${String(value)}" is not a public http(s) link. Use a full URL starting with https://.`;
		return undefined;
	};
}

const optionalLink: Check = (value) => (isEmpty(value) ? undefined : link('page')(value));

const messageId: Check = (value) => {
	if (isEmpty(value)) return 'it is empty. Map the ID of the WhatsApp message (it starts with wamid.).';
	if (typeof value !== 'string') return `expected text, got ${typeof value}.`;
	return undefined;
};

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

const emoji: Check = (value) => {
	if (value === '' || value === undefined) return undefined;
	if (typeof value !== 'string') return `expected an emoji, got ${typeof value}.`;
	const graphemes = [...segmenter.segment(value)].length;
	if (graphemes !== 1 || !EMOJI.test(value))
		return `"${value}" is not a single emoji. Enter exactly one emoji such as 👍, or an escape such as \\u2764; leave it empty to remove a reaction.`;
	return undefined;
};

const boolean: Check = (value) =>
	typeof value === 'boolean' ? undefined : `expected true or false, got "${String(value)}".`;

const reference = leaf(optionalText(255, 'Kaleyra would cut the rest silently, so status callbacks would no longer match.'));

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

const textMessage = z.object({
	text: z.object({ body: leaf(text(4096, 'the message text')), preview_url: leaf(boolean) }),
	context: z.object({ message_id: leaf(messageId) }).optional(),
});

const reactionMessage = z.object({
	reaction: z.object({ message_id: leaf(messageId), emoji: leaf(emoji) }),
});

function mediaMessage(type: string) {
	const media = z
		.object({
			id: z.unknown(),
			link: z.unknown(),
			caption: leaf(optionalText(1024)),
			filename: leaf(optionalText(240)),
		})
		.superRefine((m, ctx) => {
			const hasId = !isEmpty(m.id);
			const hasLink = !isEmpty(m.link);
			if (hasId && hasLink)
				ctx.addIssue({ code: 'custom', message: 'give either a media ID or a link, not both.' });
			else if (!hasId && m.link !== undefined) {
				const problem = link(type)(m.link);
				if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, path: ['link'] });
			} else if (!hasId && !hasLink)
				ctx.addIssue({ code: 'custom', message: `it is empty. Enter the ID of the uploaded ${type}.`, path: ['id'] });
			if (!isEmpty(m.caption) && !CAPTION_TYPES.includes(type))
				ctx.addIssue({
					code: 'custom',
					path: ['caption'],
					message: `WhatsApp shows no caption on ${type} messages. Clear the field, or send the text as a separate message.`,
				});
			if (!isEmpty(m.filename) && type !== 'document')
				ctx.addIssue({ code: 'custom', path: ['filename'], message: 'only documents have a file name. Clear the field.' });
		});
	return z.object({ [type]: media });
}

const v2Bodies: Record<string, z.ZodTypeAny> = {
	text: textMessage,
	reaction: reactionMessage,
	...Object.fromEntries(MEDIA_TYPES.map((type) => [type, mediaMessage(type)])),
};

const buttonsSchema = z.unknown().superRefine((value, ctx) => {
	const buttons = Array.isArray(value) ? (value as Array<{ reply: { id: unknown; title: unknown } }>) : [];
	if (buttons.length < 1 || buttons.length > 3) {
		ctx.addIssue({
			code: 'custom',
			message: `WhatsApp allows 1 to 3 reply buttons; this message has ${buttons.length}. ${buttons.length > 3 ? 'Remove' : 'Add'} buttons.`,
		});
		return;
	}
	const seenTitles = new Map<string, number>();
	const seenIds = new Map<string, number>();
	buttons.forEach(({ reply }, index) => {
		const titleProblem = text(20, 'the button label')(reply.title);
		if (titleProblem !== undefined) ctx.addIssue({ code: 'custom', message: titleProblem, path: [index, 'reply', 'title'] });
		const idProblem = optionalText(256)(reply.id);
		if (idProblem !== undefined) ctx.addIssue({ code: 'custom', message: idProblem, path: [index, 'reply', 'id'] });
		const title = String(reply.title).toLowerCase();
		const id = String(reply.id);
		if (titleProblem === undefined && seenTitles.has(title))
			ctx.addIssue({
				code: 'custom',
				path: [index, 'reply', 'title'],
				message: `"${String(reply.title)}" is also the title of button ${seenTitles.get(title)! + 1}. WhatsApp needs different titles.`,
			});
		else if (idProblem === undefined && seenIds.has(id))
			ctx.addIssue({
				code: 'custom',
				path: [index, 'reply', 'id'],
				message: `"${id}" is also the ID of button ${seenIds.get(id)! + 1}. Give each button its own ID.`,
			});
		seenTitles.set(title, index);
		seenIds.set(id, index);
	});
});

const replyButtonsFields = z
	.object({
		to: leaf(phone),
		from: leaf(phone),
		body: leaf(text(1024, 'the message text')),
		footer: leaf(optionalText(60)),
		action: z.object({ buttons: buttonsSchema }),
		header_type: z.unknown(),
		header_value: z.unknown(),
		caption: leaf(optionalText(1024)),
		callback_url: leaf(optionalLink),
		ref: reference,
		ref1: reference,
		ref2: reference,
	})
	.superRefine((f, ctx) => {
		if (f.header_type === undefined) return;
		const type = String(f.header_type);
		let problem: string | undefined;
		if (type === 'text') problem = text(60, 'the header text')(f.header_value);
		else if (['image', 'video', 'document'].includes(type)) problem = link(`header ${type}`)(f.header_value);
		else {
			ctx.addIssue({ code: 'custom', path: ['header_type'], message: `"${type}" is not a header type. Use text, image, video or document.` });
			return;
		}
		// The same form field is filled from Header Text or Header Media Link: name the one the user sees.
		if (problem !== undefined)
			ctx.addIssue({ code: 'custom', path: ['header_value', type === 'text' ? 'text' : 'link'], message: problem });
	});

const v1Bodies: Record<string, z.ZodTypeAny> = { reply: replyButtonsFields };

const envelope = z.object({ from: leaf(phone), to: leaf(phone) });

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

/** All problems of one request, in the user's words; empty when Kaleyra should accept it. */
export function validateRequest(operation: KaleyraOperation, request: KaleyraRequest): ValidationIssue[] {
	const raw = [...issuesOf(envelope, request, [])];
	if (request.api === 'v2') {
		const message = (request.body.messaging_object ?? {}) as Record<string, unknown>;
		const schema = v2Bodies[String(message.type)];
		if (schema === undefined)
			raw.push({ path: ['body', 'messaging_object', 'type'], message: `"${String(message.type)}" is not a message type this node sends.` });
		else raw.push(...issuesOf(schema, message, ['body', 'messaging_object']));
		raw.push(...issuesOf(extraInfo, request.body.extra_info, ['body', 'extra_info']));
	} else {
		const schema = v1Bodies[request.type];
		if (schema !== undefined) raw.push(...issuesOf(schema, request.fields, ['fields']));
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
