import type { IDataObject } from 'n8n-workflow';
import { CODES } from '../shared/codes';
import { entryOf } from '../shared/lookup';
import { MEDIA_KINDS } from '../shared/media';

/**
 * Kaleyra's callbacks (docs/kaleyra-api.md §4, §5.4) turned into one flat item per message or status,
 * so a workflow reads `$json.from` instead of `$json.body.meta_object.value.messages[0].from`.
 * Kaleyra documents several shapes and leaves parts of them unspecified, so everything here reads
 * defensively: a missing part becomes null, never an exception, and `raw` keeps the callback as
 * it arrived (with only the item's own message or status) for whatever this does not lift out.
 */

export interface CallbackError extends IDataObject {
	code: string | null;
	title: string | null;
	details: string | null;
	/** What to do about it, in the user's terms (null for codes without advice). */
	hint: string | null;
}

export interface CallbackLocation extends IDataObject {
	latitude: number | null;
	longitude: number | null;
	name: string | null;
	address: string | null;
}

export interface CallbackContact extends IDataObject {
	name: string | null;
	phones: string[];
}

/** The template a status change is about (Kaleyra's template status callback, docs/kaleyra-api.md §6). */
export interface CallbackTemplate extends IDataObject {
	id: string | null;
	name: string | null;
	language: string | null;
	category: string | null;
	/** Why Meta rejected, paused or disabled it (Meta's word, e.g. INVALID_FORMAT); null on approval ("NONE"). */
	reason: string | null;
}

export interface CallbackItem extends IDataObject {
	/** message: the customer wrote; status: news about a message you sent; notice: quality or limit change of your number; template: Meta changed a template's status. */
	event: 'message' | 'status' | 'notice' | 'template';
	/** message: text, image, …, button_reply, list_reply, quick_reply, reaction, nfm_reply (a Flow's answer), or WhatsApp's own word for others; notice: Kaleyra's event name; status: null. */
	type: string | null;
	/** Who sent it: the customer for a message, your business number for a status (when Kaleyra says). E.164 with +; null for a customer who hides the number behind a username. */
	from: string | null;
	/** Who got it: your business number for a message, the customer for a status. E.164 with +. */
	to: string | null;
	/** The customer's WhatsApp profile name. */
	name: string | null;
	/** The customer's business-scoped user ID (Meta's `user_id`, e.g. `IN.1648738043044942`), when the callback has one. */
	userId: string | null;
	/** The customer's WhatsApp username (e.g. `@asha`), when they set one and the callback carries it. */
	username: string | null;
	/** The customer, stable across their messages and statuses: the number, else the user ID. What n8n's AI Agent memory keys on. */
	sessionId: string | null;
	/** What the customer said, for an AI Agent: the text, caption, or the title of the tapped button or list row. */
	chatInput: string | null;
	/** The incoming message's ID, or the ID of your message a status is about. */
	messageId: string | null;
	/** What the customer said: the text, a media caption, the tapped button's or list row's title, the reaction emoji. */
	text: string | null;
	buttonId: string | null;
	buttonTitle: string | null;
	listId: string | null;
	listTitle: string | null;
	/** The message this one quotes, answers (button, list) or reacts to. */
	replyTo: string | null;
	/** Kaleyra's download URL for an incoming image, video, audio, document or sticker. */
	mediaUrl: string | null;
	location: CallbackLocation | null;
	contacts: CallbackContact[] | null;
	/** A WhatsApp Flow's answer: what the customer filled in, parsed (null if it is not JSON; then `text` holds it and `error` says so). */
	flowResponse: IDataObject | null;
	/** The `flow_token` the Flow was sent with, which tells your answers apart. */
	flowToken: string | null;
	/** The Flow answer's name (WhatsApp's `nfm_reply.name`, usually "flow"). */
	flowName: string | null;
	/** sent, delivered, read, failed, not sent; for a template, Meta's word as Template → Get Many shows it (APPROVED, REJECTED, PAUSED, DISABLED, …). */
	status: string | null;
	error: CallbackError | null;
	/** The template whose status changed; null for every other event. */
	template: CallbackTemplate | null;
	ref: string | null;
	ref1: string | null;
	ref2: string | null;
	/** When WhatsApp says it happened (ISO 8601); the arrival time when the callback carries none. */
	timestamp: string;
	/** The callback as Kaleyra sent it (the body, or for a GET callback its query), with only this item's message or status. */
	raw: IDataObject;
}

/** The kinds a user can choose to start on; every item falls into exactly one. */
export type EventKind =
	| 'text'
	| 'media'
	| 'location'
	| 'contacts'
	| 'buttonReply'
	| 'listReply'
	| 'quickReply'
	| 'reaction'
	| 'flowReply'
	| 'otherMessage'
	| 'sent'
	| 'delivered'
	| 'read'
	| 'failed'
	| 'notSent'
	| 'notice'
	| 'templateStatus';

// Maps, not plain objects: the type and code come from the callback, and a plain object would
// answer for `constructor` or `__proto__` with what it inherits.
const MESSAGE_KINDS = new Map<string, EventKind>([
	['text', 'text'],
	['location', 'location'],
	['contacts', 'contacts'],
	['button_reply', 'buttonReply'],
	['list_reply', 'listReply'],
	['quick_reply', 'quickReply'],
	['reaction', 'reaction'],
	['nfm_reply', 'flowReply'],
	...MEDIA_KINDS.map((type): [string, EventKind] => [type, 'media']),
]);

const STATUS_KINDS = new Map<string, EventKind>([
	['sent', 'sent'],
	['delivered', 'delivered'],
	['read', 'read'],
	['failed', 'failed'],
	['not sent', 'notSent'],
]);

function eventKindOf(item: CallbackItem): EventKind | undefined {
	if (item.event === 'notice') return 'notice';
	if (item.event === 'template') return 'templateStatus';
	if (item.event === 'message') return MESSAGE_KINDS.get(item.type ?? '') ?? 'otherMessage';
	return STATUS_KINDS.get(item.status ?? '');
}

/**
 * Whether the builder chose this item's kind. Triggers saved before Flow Reply existed took a Flow's
 * answer as Other Incoming Message; without Flow Reply chosen, Other still takes it.
 */
export function isChosen(item: CallbackItem, events: ReadonlySet<EventKind>): boolean {
	const kind = eventKindOf(item);
	if (kind === undefined) return false;
	if (kind === 'flowReply' && !events.has('flowReply')) return events.has('otherMessage');
	return events.has(kind);
}

/** What makes two callbacks "the same one delivered twice": Kaleyra delivers at least once. */
export function onceKey(item: CallbackItem): string | undefined {
	if (item.event === 'notice') return undefined;
	// Without a time of its own (timestamp is then the arrival) no two match.
	if (item.event === 'template')
		return JSON.stringify([
			'template',
			item.template?.id ?? null,
			item.template?.name ?? null,
			item.template?.language ?? null,
			item.status,
			item.timestamp,
		]);
	if (item.messageId === null) {
		// Version 1's incoming POSTs and GET statuses carry no ID: a repeat is the same sender, time,
		// type and words. Without a time of its own (timestamp is then the arrival) no two match.
		return JSON.stringify([
			'content',
			item.event,
			item.from,
			item.userId,
			item.to,
			item.timestamp,
			item.type,
			item.status,
			item.text,
			item.mediaUrl,
		]);
	}
	// JSON keeps the parts apart: "wamid.A not" + "sent" and "wamid.A" + "not sent" differ.
	return JSON.stringify(
		item.event === 'message'
			? ['message', item.messageId]
			: ['status', item.messageId, item.status],
	);
}

type Json = IDataObject;

const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const asObject = (value: unknown): Json => (isObject(value) ? value : {});

const asObjects = (value: unknown): Json[] =>
	(Array.isArray(value) ? value : isObject(value) ? [value] : []).filter(isObject);

/** A string, or null for nothing (Kaleyra sends "" for an empty reference). */
function text(value: unknown): string | null {
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return typeof value === 'string' && value !== '' ? value : null;
}

function number(value: unknown): number | null {
	const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : null;
}

/** WhatsApp writes numbers as digits without +; the send node and CRMs want E.164. */
function e164(value: unknown): string | null {
	const digits = text(value)?.replace(/[\s()-]/g, '');
	if (!digits) return null;
	return digits.startsWith('+') ? digits : `+${digits}`;
}

/** Unix seconds (WhatsApp), milliseconds, or a date text (v1's "2021-11-19 08:47:16+00:00"). */
function isoTime(value: unknown, fallback: Date): string {
	const seconds = number(value);
	if (seconds !== null) {
		// A number past the year 275760 is no date (toISOString would throw): the time received then.
		const at = new Date(seconds < 1e11 ? seconds * 1000 : seconds);
		return Number.isNaN(at.getTime()) ? fallback.toISOString() : at.toISOString();
	}
	const written = text(value);
	if (written !== null) {
		const parsed = new Date(written.replace(' ', 'T'));
		if (!Number.isNaN(parsed.getTime())) return parsed.toISOString();
	}
	return fallback.toISOString();
}

function callbackError(code: unknown, title: unknown, details: unknown): CallbackError {
	const written = text(code);
	return {
		code: written,
		title: text(title),
		details: text(details),
		hint: entryOf(CODES, written)?.hint ?? null,
	};
}

/** Every field but event, timestamp and raw: null until a callback fills it in. */
const EMPTY_FIELDS = [
	'type',
	'from',
	'to',
	'name',
	'userId',
	'username',
	'sessionId',
	'chatInput',
	'messageId',
	'text',
	'buttonId',
	'buttonTitle',
	'listId',
	'listTitle',
	'replyTo',
	'mediaUrl',
	'location',
	'contacts',
	'flowResponse',
	'flowToken',
	'flowName',
	'status',
	'error',
	'template',
	'ref',
	'ref1',
	'ref2',
] as const;

function blankItem(event: CallbackItem['event'], raw: Json, receivedAt: Date): CallbackItem {
	const empty = Object.fromEntries(EMPTY_FIELDS.map((field) => [field, null])) as Pick<
		CallbackItem,
		(typeof EMPTY_FIELDS)[number]
	>;
	return { event, ...empty, timestamp: receivedAt.toISOString(), raw };
}

function refs(source: Json): Pick<CallbackItem, 'ref' | 'ref1' | 'ref2'> {
	return { ref: text(source.ref), ref1: text(source.ref1), ref2: text(source.ref2) };
}

/** Inbound contacts carry `phones` as an array or, sometimes, as one object (§5.4). */
function contactCards(value: unknown): CallbackContact[] {
	return asObjects(value).map((card) => {
		const name = asObject(card.name);
		const parts = [text(name.first_name), text(name.last_name)].filter((part) => part !== null);
		return {
			name: text(name.formatted_name) ?? (parts.length > 0 ? parts.join(' ') : null),
			// A WhatsApp ID is a full number; a phone is as the customer typed it (maybe local).
			phones: asObjects(card.phones)
				.map((phone) => e164(phone.wa_id) ?? text(phone.phone))
				.filter((phone): phone is string => phone !== null),
		};
	});
}

/** The parts that differ per message type: which kind it is and what the customer chose or said. */
function messageContent(message: Json, extraInfo: Json): Partial<CallbackItem> {
	const type = text(message.type) ?? 'unknown';
	const part = asObject(entryOf(message, type));
	if (type === 'text') return { type, text: text(part.body) };
	if ((MEDIA_KINDS as readonly string[]).includes(type)) {
		return {
			type,
			text: text(part.caption),
			mediaUrl: text(extraInfo.media_url) ?? text(part.link) ?? text(part.url),
		};
	}
	if (type === 'location') {
		return {
			type,
			text: text(part.name),
			location: {
				latitude: number(part.latitude),
				longitude: number(part.longitude),
				name: text(part.name),
				address: text(part.address),
			},
		};
	}
	if (type === 'contacts') return { type, contacts: contactCards(message.contacts) };
	if (type === 'reaction') return { type, text: text(part.emoji), replyTo: text(part.message_id) };
	if (type === 'button') {
		// A tap on a template's quick-reply button; `payload` is the ID the template send gave it.
		return {
			type: 'quick_reply',
			text: text(part.text),
			buttonId: text(part.payload),
			buttonTitle: text(part.text),
		};
	}
	if (type === 'interactive') {
		const button = asObject(part.button_reply);
		const row = asObject(part.list_reply);
		if (text(part.type) === 'button_reply' || isObject(part.button_reply)) {
			return {
				type: 'button_reply',
				text: text(button.title),
				buttonId: text(button.id),
				buttonTitle: text(button.title),
			};
		}
		if (text(part.type) === 'list_reply' || isObject(part.list_reply)) {
			return {
				type: 'list_reply',
				text: text(row.title),
				listId: text(row.id),
				listTitle: text(row.title),
			};
		}
		if (text(part.type) === 'nfm_reply' || isObject(part.nfm_reply))
			return flowReply(asObject(part.nfm_reply));
		return { type: text(part.type) ?? type };
	}
	return { type };
}

/**
 * A WhatsApp Flow's answer (`nfm_reply`): WhatsApp sends what the customer filled in as a JSON
 * string. One that does not parse is kept as text, with the reason in `error`, never dropped.
 */
function flowReply(reply: Json): Partial<CallbackItem> {
	const answer = reply.response_json;
	// `nfm_reply` is WhatsApp's word, and what such items carried before the trigger read them.
	const common = { type: 'nfm_reply', flowName: text(reply.name) };
	if (isObject(answer))
		return {
			...common,
			text: text(reply.body),
			flowResponse: answer,
			flowToken: text(answer.flow_token),
		};
	try {
		const parsed: unknown = JSON.parse(typeof answer === 'string' ? answer : '');
		if (isObject(parsed))
			return {
				...common,
				text: text(reply.body),
				flowResponse: parsed,
				flowToken: text(parsed.flow_token),
			};
	} catch {
		// Kept as text below.
	}
	return {
		...common,
		text: text(answer),
		error: {
			code: 'FLOW_RESPONSE_NOT_JSON',
			title: 'The Flow answer is not a JSON object',
			details: text(answer) === null ? 'The answer was empty.' : null,
			hint: "The customer's answer is kept as it arrived in `text` (and in `raw`); read it there.",
		},
	};
}

/**
 * The callback as it arrived, cut down to what belongs to one item: the envelope's own fields and
 * this one message or status, not its siblings (or their senders' profiles), so that a callback of
 * 100 messages does not give 100 copies of all 100.
 */
function ownRaw(
	body: Json,
	value: Json,
	list: 'messages' | 'statuses',
	own: Json,
	profile?: Json,
): Json {
	const { messages, statuses, contacts, ...envelope } = value;
	const siblings = list === 'messages' ? messages : statuses;
	const cut: Json = { ...envelope, [list]: Array.isArray(siblings) ? [own] : own };
	if (contacts !== undefined)
		cut.contacts =
			list === 'messages' && Array.isArray(contacts)
				? profile === undefined
					? []
					: [profile]
				: contacts;
	return { ...body, meta_object: { ...asObject(body.meta_object), value: cut } };
}

function v2Messages(body: Json, value: Json, receivedAt: Date): CallbackItem[] {
	const extraInfo = asObject(body.extra_info);
	const business = e164(asObject(value.metadata).display_phone_number);
	const profiles = asObjects(value.contacts);
	return asObjects(value.messages).map((message) => {
		const from = text(message.from);
		// A customer with a username may come without a number: then only the user ID ties them to their profile.
		const fromUser = text(message.from_user_id);
		const profile =
			profiles.find((candidate) => from !== null && text(candidate.wa_id) === from) ??
			profiles.find((candidate) => fromUser !== null && text(candidate.user_id) === fromUser) ??
			profiles[0];
		const contact = profile ?? {};
		const content = messageContent(message, extraInfo);
		return {
			...blankItem('message', ownRaw(body, value, 'messages', message, profile), receivedAt),
			from: e164(from),
			to: business,
			name: text(asObject(contact.profile).name),
			userId: fromUser ?? text(contact.user_id),
			username: text(asObject(contact.profile).username) ?? text(contact.username),
			messageId: text(message.id),
			...content,
			replyTo: content.replyTo ?? text(asObject(message.context).id) ?? text(extraInfo.reply_to),
			...refs(extraInfo),
			timestamp: isoTime(message.timestamp, receivedAt),
		};
	});
}

function v2Statuses(body: Json, value: Json, receivedAt: Date): CallbackItem[] {
	const extraInfo = asObject(body.extra_info);
	const business = e164(asObject(value.metadata).display_phone_number);
	return asObjects(value.statuses).map((status) => {
		const [failure] = asObjects(status.errors);
		return {
			...blankItem('status', ownRaw(body, value, 'statuses', status), receivedAt),
			from: business,
			to: e164(status.recipient_id),
			userId: text(status.recipient_user_id),
			messageId: text(status.id) ?? text(body.message_id),
			status: text(status.status)?.toLowerCase() ?? null,
			error:
				failure === undefined
					? null
					: callbackError(
							failure.code,
							failure.title,
							asObject(failure.error_data).details ?? failure.message,
						),
			...refs(extraInfo),
			timestamp: isoTime(status.timestamp, receivedAt),
		};
	});
}

/** Kaleyra refused the message before it reached WhatsApp: no meta_object, its own code. */
function notSent(body: Json, receivedAt: Date): CallbackItem {
	return {
		...blankItem('status', body, receivedAt),
		to: e164(body.to ?? body.recipient),
		messageId: text(body.message_id),
		status: 'not sent',
		error: callbackError(
			body.code,
			body.reason ?? body.message,
			body.message === body.reason ? null : body.message,
		),
		...refs(asObject(body.extra_info)),
	};
}

function v1Status(body: Json, receivedAt: Date): CallbackItem {
	const code = text(body.error_code);
	const error = text(body.error);
	return {
		...blankItem('status', body, receivedAt),
		to: e164(body.mobile),
		messageId: text(body.id),
		status: text(body.status)?.toLowerCase() ?? null,
		error: code === null && error === null ? null : callbackError(code, error, null),
		...refs(body),
		timestamp: isoTime(body.timestamp ?? body.created_at, receivedAt),
	};
}

function v1Message(body: Json, receivedAt: Date): CallbackItem {
	const type = text(body.type) ?? 'text';
	return {
		...blankItem('message', body, receivedAt),
		type,
		from: e164(body.from),
		to: e164(body.wanumber),
		name: text(body.name),
		messageId: text(body.id),
		text: text(body.body),
		mediaUrl: text(body.media_url),
		...refs(body),
		timestamp: isoTime(body.created_at, receivedAt),
	};
}

/** Quality and messaging-limit changes of the number, which Kaleyra sends as a GET with a query. */
function notice(query: Json, receivedAt: Date): CallbackItem {
	return {
		...blankItem('notice', query, receivedAt),
		type: text(query.event),
		to: e164(query.display_phone_number),
	};
}

/**
 * A field of Kaleyra's template status callback. Kaleyra's GET sample wraps each value, and one
 * name, in double quotes (`&"message_template_id"="<message_template_id>"`): a profile copied from
 * it sends them so, and they are not part of the value.
 */
function templateField(fields: Json, name: string): string | null {
	const value = text(entryOf(fields, name) ?? entryOf(fields, `"${name}"`));
	const bare = value
		?.trim()
		.replace(/^"(.*)"$/s, '$1')
		.trim();
	return bare ? bare : null;
}

/** Kaleyra's flat template status callback: an event about a template, named by ID or name. */
const isTemplateStatus = (body: Json): boolean =>
	templateField(body, 'event') !== null &&
	(templateField(body, 'message_template_id') !== null ||
		templateField(body, 'message_template_name') !== null);

/** Meta's webhook field for a template's status change, which Kaleyra's v2 envelope may carry. */
const TEMPLATE_STATUS_FIELD = 'message_template_status_update';

/**
 * A template's new status (docs/kaleyra-api.md §6): the callback profile's fields posted flat (a
 * JSON body or a GET query), or inside Kaleyra's v2 envelope Meta's `message_template_status_update`
 * value. Both carry the same names.
 */
function templateStatus(fields: Json, raw: Json, receivedAt: Date): CallbackItem {
	const reason = templateField(fields, 'reason');
	// A pause says why in other_info (Meta: `{ title, description }`; Kaleyra's GET: a text), not in reason.
	const otherInfo = isObject(fields.other_info)
		? (text(fields.other_info.description) ?? text(fields.other_info.title))
		: templateField(fields, 'other_info');
	return {
		...blankItem('template', raw, receivedAt),
		status: templateField(fields, 'event')?.toUpperCase() ?? null,
		template: {
			id: templateField(fields, 'message_template_id'),
			name: templateField(fields, 'message_template_name'),
			language: templateField(fields, 'message_template_language'),
			category: templateField(fields, 'message_template_category'),
			reason: reason !== null && reason.toUpperCase() !== 'NONE' ? reason : otherInfo,
		},
		timestamp: isoTime(templateField(fields, 'time'), receivedAt),
	};
}

/**
 * Every message and status in one callback, in the order Kaleyra listed them. `payload` is the
 * POST body, or the query of a GET callback. Returns [] for anything that is none of Kaleyra's
 * documented shapes.
 */
export function callbackItems(payload: unknown, receivedAt: Date): CallbackItem[] {
	return itemsOf(asObject(payload), receivedAt).map(forAnAgent);
}

/**
 * `sessionId` and `chatInput` are the fields n8n's AI Agent and its memory read by default, so that
 * trigger → AI Agent → Send Text works without mapping: the customer (number, else user ID), and
 * what they said.
 */
function forAnAgent(item: CallbackItem): CallbackItem {
	const customer = item.event === 'message' ? item.from : item.event === 'status' ? item.to : null;
	return {
		...item,
		sessionId:
			customer ?? (item.event === 'message' || item.event === 'status' ? item.userId : null),
		chatInput: item.event === 'message' ? item.text : null,
	};
}

function itemsOf(body: Json, receivedAt: Date): CallbackItem[] {
	const meta = asObject(body.meta_object);
	if (isObject(body.meta_object)) {
		const value = asObject(meta.value);
		if (text(meta.field) === TEMPLATE_STATUS_FIELD)
			return [templateStatus(value, body, receivedAt)];
		return [...v2Messages(body, value, receivedAt), ...v2Statuses(body, value, receivedAt)];
	}
	if (text(body.status)?.toLowerCase() === 'not sent') return [notSent(body, receivedAt)];
	if (isTemplateStatus(body)) return [templateStatus(body, body, receivedAt)];
	if (text(body.event) !== null && text(body.display_phone_number) !== null)
		return [notice(body, receivedAt)];
	if (text(body.status) !== null && text(body.id) !== null) return [v1Status(body, receivedAt)];
	if (text(body.from) !== null && (text(body.body) !== null || text(body.type) !== null))
		return [v1Message(body, receivedAt)];
	return [];
}
