import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { WA_SOURCES } from '../../shared/checks';
import type { KaleyraRequest, MessageOptions, ResolvedParameters } from '../../shared/types';

/** Sender and recipient: shown for every operation, above the operation's own fields. */
export const addressProperties: INodeProperties[] = [
	{
		displayName: 'Business Number',
		name: 'businessNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+919900000000',
		description:
			'Your WhatsApp business number registered with Kaleyra, the sender. International format with country code.',
		hint: 'With country code; a number without + gets one',
	},
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+919811111111',
		description:
			'The customer\'s WhatsApp number in international format, e.g. +919811111111. Spaces and dashes are removed; a number without + (such as the "from" of an incoming message) gets one.',
		hint: 'A number without + gets one; spaces and dashes are removed',
	},
];

const refHint =
	'Up to 255 characters. Kaleyra returns it in the status callbacks of this message, so it can tie a delivery report back to your order or contact.';

/**
 * The range of each run setting: the field offers it and the router refuses a value outside it (an
 * expression can set anything), so both read it from here.
 */
export const RUN_SETTING_LIMITS = {
	messagesInFlight: { displayName: 'Messages in Flight', minValue: 1, maxValue: 200 },
	messagesPerSecond: { displayName: 'Messages per Second', minValue: 1, maxValue: 1000 },
	maxThrottleWait: { displayName: 'Max Throttle Wait (Minutes)', minValue: 1, maxValue: 1440 },
} as const;

/** The option that has a campaign check its business numbers before the first message (numberCheck.ts reads it). */
export const CHECK_NUMBER_FIRST = {
	name: 'checkNumberFirst',
	displayName: 'Check Number Can Send First',
} as const;

/** How a batch is sent (read once per run, from the first item): see shared/schedule.ts. The defaults are literals for n8n's scanner; a test holds them equal to SCHEDULE_DEFAULTS. */
const scheduleOptions: INodeProperties[] = [
	{
		displayName: RUN_SETTING_LIMITS.messagesInFlight.displayName,
		name: 'messagesInFlight',
		type: 'number',
		typeOptions: {
			minValue: RUN_SETTING_LIMITS.messagesInFlight.minValue,
			maxValue: RUN_SETTING_LIMITS.messagesInFlight.maxValue,
			numberPrecision: 0,
		},
		default: 20,
		description:
			'How many requests to Kaleyra may be open at once. Messages to the same recipient still go one after another, in input order. 1 sends strictly one item after the other.',
	},
	{
		displayName: RUN_SETTING_LIMITS.messagesPerSecond.displayName,
		name: 'messagesPerSecond',
		type: 'number',
		typeOptions: {
			minValue: RUN_SETTING_LIMITS.messagesPerSecond.minValue,
			maxValue: RUN_SETTING_LIMITS.messagesPerSecond.maxValue,
			numberPrecision: 0,
		},
		default: 80,
		description:
			"The most messages this node sends per second from one business number. Meta allows 80 by default (up to 1000 after an upgrade, 20 for numbers shared with the WhatsApp Business app). On throttling (429 or Meta's 130429) the node pauses that number and slows down by itself. Parallel executions each have their own cap.",
	},
	{
		displayName: RUN_SETTING_LIMITS.maxThrottleWait.displayName,
		name: 'maxThrottleWait',
		type: 'number',
		typeOptions: {
			minValue: RUN_SETTING_LIMITS.maxThrottleWait.minValue,
			maxValue: RUN_SETTING_LIMITS.maxThrottleWait.maxValue,
			numberPrecision: 0,
		},
		default: 15,
		description:
			"The most time one run waits in throttling pauses (429 or Meta's 130429) over all its messages. Past it the run ends: the throttled message and every message not yet sent fail as throttled (retryable, not sent), so a number that throttles everything cannot keep the node running for hours.",
	},
	{
		displayName: CHECK_NUMBER_FIRST.displayName,
		name: CHECK_NUMBER_FIRST.name,
		type: 'boolean',
		default: false,
		description:
			"Whether to ask Kaleyra, before the first message, whether the business number can send (as Phone Number → Get Details does) and send nothing when WhatsApp has blocked it, naming Meta's reason. One extra request per business number per run; a number that is only LIMITED still sends.",
	},
];

/** The "Options" collection every send has. Reply buttons go through Kaleyra's v1 API, which has no wa_source. */
export function messageOptions(withSource: boolean): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Reference (Ref)',
			name: 'ref',
			type: 'string',
			default: '',
			description: refHint,
		},
		{
			displayName: 'Reference 1 (Ref1)',
			name: 'ref1',
			type: 'string',
			default: '',
			description: refHint,
		},
		{
			displayName: 'Reference 2 (Ref2)',
			name: 'ref2',
			type: 'string',
			default: '',
			description: refHint,
		},
	];
	if (withSource) {
		options.push({
			displayName: 'Source (Wa_source)',
			name: 'waSource',
			type: 'options',
			default: 'api',
			description: 'Which integration Kaleyra reports this message as coming from',
			options: WA_SOURCES.map((source) => ({ name: source, value: source })),
		});
	}
	options.push(...scheduleOptions);
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/**
 * Accepts what people paste, and changes only what is certain: spaces, dashes, dots and brackets
 * between digit groups, a leading 00 for +, digits without + (incoming WhatsApp messages give the
 * sender that way), a national trunk "(0)" right after the country code (+44 (0)20 → +4420), and a
 * spreadsheet number (919811111111, or the text "919811111111.0"). Anything else that would add,
 * drop or keep a digit that changes the number (a "(0)" elsewhere, "1.5e11", a fraction) is kept
 * as typed, so the validation refuses it and quotes what the user entered.
 */
export function toE164(value: unknown): string {
	if (typeof value === 'number')
		return Number.isSafeInteger(value) && value > 0 ? `+${value}` : String(value);
	const raw = String(value ?? '').trim();
	// A decimal with a fraction (9198111.5) is a spreadsheet's number gone wrong, not digit groups.
	if (/^\+?\d+\.\d*[1-9]\d*$/.test(raw)) return raw;
	let compact = raw.replace(/^(\+?\d+)\.0+$/, '$1');
	compact = compact.replace(/^(\+\d{1,3})[\s\-.]*\(0\)/, '$1');
	// A bracket that still holds a leading 0 is a trunk prefix in a place we cannot be sure of.
	if (/\(\s*0/.test(compact)) return raw;
	compact = compact.replace(/[\s\-().]/g, '');
	const digits = /^00\d/.test(compact) ? compact.slice(2) : compact.replace(/^\+/, '');
	return /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : raw;
}

function presentRefs(options: MessageOptions): MessageOptions {
	const refs: MessageOptions = {};
	for (const key of ['ref', 'ref1', 'ref2'] as const) {
		const value = options[key];
		if (value === undefined || value === null || value === '') continue;
		// A number is kept as the text it reads as; anything else stays as it is, for validation to name.
		refs[key] = (typeof value === 'number' ? String(value) : value) as string;
	}
	return refs;
}

/** The v2 envelope around a message object: sender, recipient, references and source. */
export function v2Message(
	p: ResolvedParameters,
	type: string,
	message: IDataObject,
): KaleyraRequest {
	const to = toE164(p.recipient);
	const refs = presentRefs(p.options);
	const extraInfo: IDataObject = { ...refs };
	if (p.options.waSource !== undefined && p.options.waSource !== '')
		extraInfo.wa_source = p.options.waSource;
	const body: IDataObject = {
		messaging_object: {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to,
			type,
			...message,
		},
	};
	if (Object.keys(extraInfo).length > 0) body.extra_info = extraInfo;
	return { api: 'v2', type, from: toE164(p.businessNumber), to, refs, body };
}

export function v1Message(
	p: ResolvedParameters,
	type: string,
	fields: Record<string, unknown>,
): KaleyraRequest {
	const to = toE164(p.recipient);
	const refs = presentRefs(p.options);
	return {
		api: 'v1',
		type,
		from: toE164(p.businessNumber),
		to,
		refs,
		fields: { to, from: toE164(p.businessNumber), channel: 'WhatsApp', type, ...fields, ...refs },
	};
}

/**
 * A text field's value as text. The router has already refused objects, lists and NaN in text
 * fields (resolvedValueIssues), so what arrives here is text, a number or nothing.
 */
export function str(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}

/** Sets a key only when the user filled the field, so optional parts stay out of the payload. */
export function optional(target: Record<string, unknown>, key: string, value: unknown): void {
	const text = str(value);
	if (text !== '') target[key] = text;
}

/** A toggle set by an expression may yield "true"/"false"; anything else is left for validation to reject. */
export function bool(value: unknown): unknown {
	if (value === 'true') return true;
	if (value === 'false') return false;
	return value;
}

export const bodyProperty = (description: string, max: number): INodeProperties => ({
	displayName: 'Body',
	name: 'body',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
	description: `${description} Up to ${max} characters; WhatsApp formatting (*bold*, _italic_) and emoji work`,
	hint: `Up to ${max} characters`,
});

export const previewUrlProperty: INodeProperties = {
	displayName: 'Link Preview',
	name: 'previewUrl',
	type: 'boolean',
	default: false,
	description: 'Whether WhatsApp shows a preview of the first http(s) link in the body',
};

/** Labels shared by every v2 send: the fields an issue in the envelope comes from (checks.ts shows their labels). */
export const v2Labels: Record<string, string> = {
	from: 'businessNumber',
	to: 'recipient',
	'body.messaging_object.to': 'recipient',
	'body.extra_info.ref': 'options.ref',
	'body.extra_info.ref1': 'options.ref1',
	'body.extra_info.ref2': 'options.ref2',
	'body.extra_info.wa_source': 'options.waSource',
};
