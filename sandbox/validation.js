'use strict';

/**
 * The payload rules of docs/kaleyra-api.md, as Kaleyra (and Meta behind it) would
 * enforce them. Every check writes `errors[<field path>] = <reason>`; an empty map means valid.
 * Lengths are counted in Unicode code points, so an emoji counts as one character.
 */

const MESSAGE_TYPES = [
	'text',
	'image',
	'video',
	'audio',
	'document',
	'sticker',
	'reaction',
	'interactive',
	'template',
	'location',
	'contacts',
];
const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'];
const CAPTION_TYPES = ['image', 'video', 'document'];
const HEADER_MEDIA_TYPES = ['image', 'video', 'document'];
const REF_FIELDS = ['ref', 'ref1', 'ref2'];
const MAX_CONTACTS = 257;

const MB = 1024 * 1024;
/** What WhatsApp takes as media (Meta's rules): MIME types and the largest size. */
const MEDIA_LIMITS = {
	image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
	video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
	audio: {
		mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
		maxBytes: 16 * MB,
	},
	document: {
		mimeTypes: [
			'application/pdf',
			'text/plain',
			'application/msword',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'application/vnd.ms-excel',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'application/vnd.ms-powerpoint',
			'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		],
		maxBytes: 100 * MB,
	},
	sticker: { mimeTypes: ['image/webp'], maxBytes: 500 * 1024 },
};
const REF_LIMIT = 255;

const E164 = /^\+[0-9]{8,15}$/;
const PHONE = /^\+?[0-9]{8,15}$/;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const length = (text) => [...text].length;

function isHttpUrl(value) {
	if (typeof value !== 'string') return false;
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/** One grapheme that renders as an emoji: pictographs, ZWJ sequences, skin tones, flags, keycaps. */
function isSingleEmoji(text) {
	if ([...graphemes.segment(text)].length !== 1) return false;
	return (
		/\p{Extended_Pictographic}|\p{Emoji_Presentation}/u.test(text) ||
		/^\p{Regional_Indicator}{2}$/u.test(text) ||
		/^[0-9#*]\uFE0F?\u20E3$/u.test(text)
	);
}

/** Checks a string field; returns true when it is present and valid. */
function checkString(errors, path, value, { required = true, min = 1, max } = {}) {
	if (value === undefined) {
		if (required) errors[path] = 'is required';
		return false;
	}
	if (typeof value !== 'string') {
		errors[path] = 'must be a string';
		return false;
	}
	const count = length(value);
	if (count < min) {
		errors[path] = min === 1 ? 'must not be empty' : `must be at least ${min} characters`;
		return false;
	}
	if (max !== undefined && count > max) {
		errors[path] = `must be at most ${max} characters (got ${count})`;
		return false;
	}
	return true;
}

function checkObject(errors, path, value, { required = true } = {}) {
	if (value === undefined) {
		if (required) errors[path] = 'is required';
		return false;
	}
	if (!isObject(value)) {
		errors[path] = 'must be an object';
		return false;
	}
	return true;
}

/** `{ id }` or `{ link }`, exactly one of them. */
function checkMediaSource(errors, path, media) {
	const hasId = media.id !== undefined;
	const hasLink = media.link !== undefined;
	if (hasId === hasLink) {
		errors[path] = 'exactly one of id or link is required';
		return;
	}
	if (hasId) checkString(errors, `${path}.id`, media.id);
	else if (!isHttpUrl(media.link)) errors[`${path}.link`] = 'must be an http or https URL';
}

function checkMedia(errors, path, type, media) {
	if (!checkObject(errors, path, media)) return;
	checkMediaSource(errors, path, media);
	if (media.caption !== undefined) {
		if (CAPTION_TYPES.includes(type))
			checkString(errors, `${path}.caption`, media.caption, { min: 0, max: 1024 });
		else errors[`${path}.caption`] = `is not allowed for ${type}`;
	}
	if (media.filename !== undefined) {
		if (type === 'document') checkString(errors, `${path}.filename`, media.filename);
		else errors[`${path}.filename`] = `is only allowed for document, not ${type}`;
	}
}

/** Reply buttons, shared by the v2 interactive message and the v1 `action` field. */
function checkReplyButtons(errors, path, buttons) {
	if (!Array.isArray(buttons)) {
		errors[path] = buttons === undefined ? 'is required' : 'must be an array';
		return;
	}
	if (buttons.length < 1 || buttons.length > 3) {
		errors[path] = `must hold 1 to 3 buttons (got ${buttons.length})`;
		return;
	}
	const ids = new Set();
	const titles = new Set();
	buttons.forEach((button, index) => {
		const at = `${path}[${index}]`;
		if (!checkObject(errors, at, button)) return;
		if (button.type !== 'reply') errors[`${at}.type`] = 'must be "reply"';
		if (!checkObject(errors, `${at}.reply`, button.reply)) return;
		const { id, title } = button.reply;
		if (checkString(errors, `${at}.reply.id`, id, { max: 256 })) {
			if (ids.has(id)) errors[`${at}.reply.id`] = `must be unique ("${id}" is used twice)`;
			ids.add(id);
		}
		if (checkString(errors, `${at}.reply.title`, title, { max: 20 })) {
			if (titles.has(title))
				errors[`${at}.reply.title`] = `must be unique ("${title}" is used twice)`;
			titles.add(title);
		}
	});
}

function checkInteractiveHeader(errors, path, header, allowedTypes) {
	if (!checkObject(errors, path, header, { required: false })) return;
	if (!allowedTypes.includes(header.type)) {
		errors[`${path}.type`] = `must be one of ${allowedTypes.join(', ')}`;
		return;
	}
	if (header.type === 'text') {
		checkString(errors, `${path}.text`, header.text, { max: 60 });
		return;
	}
	const media = header[header.type];
	if (checkObject(errors, `${path}.${header.type}`, media))
		checkMediaSource(errors, `${path}.${header.type}`, media);
}

/** The interactive types and, for each, the headers it may have and the check of its action. */
const INTERACTIVE_TYPES = {
	button: {
		headers: ['text', ...HEADER_MEDIA_TYPES],
		action: (errors, path, action) => checkReplyButtons(errors, `${path}.buttons`, action.buttons),
	},
	list: {
		headers: ['text'],
		action: (errors, path, action) => checkListAction(errors, path, action),
	},
	cta_url: { headers: ['text', ...HEADER_MEDIA_TYPES], action: checkCtaUrlAction },
	location_request_message: { headers: [], action: checkLocationRequestAction },
	flow: { headers: ['text'], action: checkFlowAction },
};

function checkInteractive(errors, path, interactive) {
	if (!checkObject(errors, path, interactive)) return;
	const kind = INTERACTIVE_TYPES[interactive.type];
	if (kind === undefined) {
		errors[`${path}.type`] = `must be one of ${Object.keys(INTERACTIVE_TYPES).join(', ')}`;
		return;
	}
	if (checkObject(errors, `${path}.body`, interactive.body)) {
		checkString(errors, `${path}.body.text`, interactive.body.text, { max: 1024 });
	}
	if (checkObject(errors, `${path}.footer`, interactive.footer, { required: false })) {
		checkString(errors, `${path}.footer.text`, interactive.footer.text, { max: 60 });
	}
	if (kind.headers.length === 0) {
		if (interactive.header !== undefined)
			errors[`${path}.header`] = `is not allowed for ${interactive.type}`;
	} else checkInteractiveHeader(errors, `${path}.header`, interactive.header, kind.headers);
	if (!checkObject(errors, `${path}.action`, interactive.action)) return;
	kind.action(errors, `${path}.action`, interactive.action);
}

function checkCtaUrlAction(errors, path, action) {
	if (action.name !== 'cta_url') errors[`${path}.name`] = 'must be "cta_url"';
	if (!checkObject(errors, `${path}.parameters`, action.parameters)) return;
	checkString(errors, `${path}.parameters.display_text`, action.parameters.display_text, {
		max: 20,
	});
	if (!isHttpUrl(action.parameters.url))
		errors[`${path}.parameters.url`] = 'must be an http or https URL';
}

/**
 * A Flow message's action (Meta's interactive flow messages, which Kaleyra's v2 Send Flow Messages
 * page passes on): version "3", a Flow by ID or name, a CTA of at most 20 characters, and for
 * `navigate` the first screen, with its data a non-empty object when given.
 */
function checkFlowAction(errors, path, action) {
	if (action.name !== 'flow') errors[`${path}.name`] = 'must be "flow"';
	const at = `${path}.parameters`;
	if (!checkObject(errors, at, action.parameters)) return;
	const parameters = action.parameters;
	if (parameters.flow_message_version !== '3') errors[`${at}.flow_message_version`] = 'must be "3"';
	if ((parameters.flow_id === undefined) === (parameters.flow_name === undefined))
		errors[`${at}.flow_id`] = 'exactly one of flow_id or flow_name is required';
	else if (parameters.flow_id !== undefined && !/^\d+$/.test(String(parameters.flow_id)))
		errors[`${at}.flow_id`] = 'must be the digits of a Flow ID';
	checkString(errors, `${at}.flow_cta`, parameters.flow_cta, { max: 20 });
	if (parameters.flow_token !== undefined)
		checkString(errors, `${at}.flow_token`, parameters.flow_token);
	if (parameters.mode !== undefined && !['draft', 'published'].includes(parameters.mode))
		errors[`${at}.mode`] = 'must be "draft" or "published"';
	const flowAction = parameters.flow_action ?? 'navigate';
	if (flowAction === 'data_exchange') {
		if (parameters.flow_action_payload !== undefined)
			errors[`${at}.flow_action_payload`] = 'must be omitted for data_exchange';
		return;
	}
	if (flowAction !== 'navigate') {
		errors[`${at}.flow_action`] = 'must be "navigate" or "data_exchange"';
		return;
	}
	const payload = parameters.flow_action_payload;
	if (!checkObject(errors, `${at}.flow_action_payload`, payload)) return;
	checkString(errors, `${at}.flow_action_payload.screen`, payload.screen);
	if (
		payload.data !== undefined &&
		(!isObject(payload.data) || Object.keys(payload.data).length === 0)
	)
		errors[`${at}.flow_action_payload.data`] = 'must be a non-empty object';
}

function checkLocationRequestAction(errors, path, action) {
	if (action.name !== 'send_location') errors[`${path}.name`] = 'must be "send_location"';
}

function checkListAction(errors, path, action) {
	checkString(errors, `${path}.button`, action.button, { max: 20 });
	const sections = action.sections;
	if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10) {
		errors[`${path}.sections`] = 'must be an array of 1 to 10 sections';
		return;
	}
	const rowIds = new Set();
	let rowCount = 0;
	sections.forEach((section, s) => {
		const at = `${path}.sections[${s}]`;
		if (!checkObject(errors, at, section)) return;
		checkString(errors, `${at}.title`, section.title, { required: sections.length > 1, max: 24 });
		if (!Array.isArray(section.rows) || section.rows.length < 1) {
			errors[`${at}.rows`] = 'must be a non-empty array';
			return;
		}
		section.rows.forEach((row, r) => {
			rowCount += 1;
			const rowAt = `${at}.rows[${r}]`;
			if (!checkObject(errors, rowAt, row)) return;
			if (checkString(errors, `${rowAt}.id`, row.id, { max: 200 })) {
				if (rowIds.has(row.id))
					errors[`${rowAt}.id`] = `must be unique ("${row.id}" is used twice)`;
				rowIds.add(row.id);
			}
			checkString(errors, `${rowAt}.title`, row.title, { max: 24 });
			checkString(errors, `${rowAt}.description`, row.description, { required: false, max: 72 });
		});
	});
	if (rowCount > 10)
		errors[`${path}.sections`] = `must hold at most 10 rows in total (got ${rowCount})`;
}

function checkCoordinate(errors, path, value, limit) {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || Math.abs(number) > limit) {
		errors[path] =
			value === undefined ? 'is required' : `must be a number between -${limit} and ${limit}`;
	}
}

const TYPE_CHECKS = {
	text(errors, path, text) {
		if (!checkObject(errors, path, text)) return;
		checkString(errors, `${path}.body`, text.body, { max: 4096 });
		if (text.preview_url !== undefined && typeof text.preview_url !== 'boolean') {
			errors[`${path}.preview_url`] = 'must be a boolean';
		}
	},
	reaction(errors, path, reaction) {
		if (!checkObject(errors, path, reaction)) return;
		checkString(errors, `${path}.message_id`, reaction.message_id);
		const { emoji } = reaction;
		if (emoji === undefined) errors[`${path}.emoji`] = 'is required';
		else if (typeof emoji !== 'string') errors[`${path}.emoji`] = 'must be a string';
		else if (emoji !== '' && !isSingleEmoji(emoji)) {
			errors[`${path}.emoji`] = 'must be exactly one emoji (or empty to remove a reaction)';
		}
	},
	interactive: checkInteractive,
	template(errors, path, template) {
		if (!checkObject(errors, path, template)) return;
		checkString(errors, `${path}.name`, template.name);
		if (checkObject(errors, `${path}.language`, template.language)) {
			checkString(errors, `${path}.language.code`, template.language.code);
		}
		if (template.components !== undefined) {
			if (!Array.isArray(template.components)) errors[`${path}.components`] = 'must be an array';
			else {
				template.components.forEach((component, index) => {
					const at = `${path}.components[${index}]`;
					if (checkObject(errors, at, component)) checkString(errors, `${at}.type`, component.type);
				});
			}
		}
	},
	location(errors, path, location) {
		if (!checkObject(errors, path, location)) return;
		checkCoordinate(errors, `${path}.latitude`, location.latitude, 90);
		checkCoordinate(errors, `${path}.longitude`, location.longitude, 180);
		checkString(errors, `${path}.name`, location.name, { required: false });
		checkString(errors, `${path}.address`, location.address, { required: false });
	},
	contacts(errors, path, contacts) {
		if (!Array.isArray(contacts) || contacts.length === 0) {
			errors[path] = contacts === undefined ? 'is required' : 'must be a non-empty array';
			return;
		}
		if (contacts.length > MAX_CONTACTS)
			errors[path] = `must hold at most ${MAX_CONTACTS} contacts (got ${contacts.length})`;
		contacts.forEach((contact, index) => {
			const at = `${path}[${index}]`;
			if (!checkObject(errors, at, contact)) return;
			if (checkObject(errors, `${at}.name`, contact.name)) {
				checkString(errors, `${at}.name.formatted_name`, contact.name.formatted_name);
			}
			if (contact.phones !== undefined && !Array.isArray(contact.phones))
				errors[`${at}.phones`] = 'must be an array';
		});
	},
};
for (const type of MEDIA_TYPES)
	TYPE_CHECKS[type] = (errors, path, media) => checkMedia(errors, path, type, media);

function checkRecipients(errors, path, to) {
	if (!checkString(errors, path, to)) return;
	const bad = to
		.split(',')
		.map((part) => part.trim())
		.filter((part) => !E164.test(part));
	if (bad.length > 0) {
		errors[path] =
			`must be E.164 numbers (+ and 8 to 15 digits), comma-separated for several; invalid: ${bad
				.map((part) => JSON.stringify(part))
				.join(', ')}`;
	}
}

/**
 * Validates a v2 send body. Returns `{ errors, type }`: `type` is the message type the request
 * asks for ('text' when omitted, as Meta defaults it; 'read' for a mark-as-read request).
 */
function validateV2(body) {
	const errors = {};
	if (!isObject(body)) return { errors: { payload: 'Incorrect payload format' }, type: undefined };
	const path = 'messaging_object';
	const message = body.messaging_object;
	let type;
	if (checkObject(errors, path, message)) {
		if (message.messaging_product !== 'whatsapp')
			errors[`${path}.messaging_product`] = 'must be "whatsapp"';
		if (message.status !== undefined) {
			// Mark as read: { messaging_product, status: "read", message_id }, no recipient.
			type = 'read';
			if (message.status !== 'read') errors[`${path}.status`] = 'must be "read"';
			checkString(errors, `${path}.message_id`, message.message_id);
			// Meta's typing indicator rides on the read receipt: { type: "text" } only.
			const typing = message.typing_indicator;
			if (typing !== undefined && !(isObject(typing) && typing.type === 'text')) {
				errors[`${path}.typing_indicator`] = 'must be { "type": "text" }';
			}
		} else {
			if (message.recipient_type !== undefined && message.recipient_type !== 'individual') {
				errors[`${path}.recipient_type`] = 'must be "individual"';
			}
			checkRecipients(errors, `${path}.to`, message.to);
			if (checkObject(errors, `${path}.context`, message.context, { required: false })) {
				checkString(errors, `${path}.context.message_id`, message.context.message_id);
			}
			type = message.type === undefined ? 'text' : message.type;
			if (!MESSAGE_TYPES.includes(type)) {
				errors[`${path}.type`] = `must be one of ${MESSAGE_TYPES.join(', ')}`;
				type = undefined;
			} else {
				TYPE_CHECKS[type](errors, `${path}.${type}`, message[type]);
			}
		}
	}
	if (checkObject(errors, 'extra_info', body.extra_info, { required: false })) {
		for (const field of [...REF_FIELDS, 'wa_source']) {
			const value = body.extra_info[field];
			if (value !== undefined && typeof value !== 'string')
				errors[`extra_info.${field}`] = 'must be a string';
		}
	}
	return { errors, type };
}

/** The body as Kaleyra keeps it: ref, ref1 and ref2 silently cut to 255 characters. */
function storedV2Payload(body) {
	const payload = structuredClone(body);
	if (isObject(payload.extra_info)) {
		for (const field of REF_FIELDS) {
			const value = payload.extra_info[field];
			if (typeof value === 'string' && length(value) > REF_LIMIT) {
				payload.extra_info[field] = [...value].slice(0, REF_LIMIT).join('');
			}
		}
	}
	return payload;
}

/**
 * Validates the v1 reply-button form. Optional fields sent empty count as absent, as HTML forms
 * send them. Returns `{ errors, action }` with `action` parsed from its JSON string when it parses.
 * `from` ownership is checked by the caller, which knows the account.
 */
function validateV1Reply(fields) {
	const errors = {};
	const given = (name) => fields[name] !== undefined && fields[name] !== '';
	let action;

	if (!given('to')) errors.to = 'to field is mandatory';
	else if (!PHONE.test(fields.to))
		errors.to = 'must be a phone number with country code (8 to 15 digits, + optional)';
	if (!given('type')) errors.type = 'type field is mandatory';
	else if (fields.type !== 'reply')
		errors.type = 'the sandbox supports only type "reply" on the v1 API';
	if (!given('channel')) errors.channel = 'channel field is mandatory';
	else if (fields.channel.toLowerCase() !== 'whatsapp') errors.channel = 'must be "WhatsApp"';
	if (!given('from')) errors.from = 'from field is mandatory';
	else if (!PHONE.test(fields.from))
		errors.from = 'must be a phone number with country code (8 to 15 digits, + optional)';
	if (!given('body'))
		errors.body = 'For the type reply, body field is mandatory and cannot be empty!';
	else checkString(errors, 'body', fields.body, { max: 1024 });
	if (given('footer')) checkString(errors, 'footer', fields.footer, { max: 60 });

	if (!given('action')) errors.action = 'For the type reply, action field is mandatory';
	else {
		try {
			action = JSON.parse(fields.action);
		} catch {
			errors.action = 'must be a JSON string like {"buttons":[...]}';
		}
		if (action !== undefined) {
			if (checkObject(errors, 'action', action))
				checkReplyButtons(errors, 'action.buttons', action.buttons);
		}
	}

	if (given('callback_url') && !isHttpUrl(fields.callback_url))
		errors.callback_url = 'must be an http or https URL';
	if (given('header_type')) {
		const headerType = fields.header_type;
		if (headerType !== 'text' && !HEADER_MEDIA_TYPES.includes(headerType)) {
			errors.header_type = `must be one of text, ${HEADER_MEDIA_TYPES.join(', ')}`;
		} else if (!given('header_value')) {
			errors.header_value = `is required when header_type is ${headerType}`;
		} else if (headerType === 'text') {
			checkString(errors, 'header_value', fields.header_value, { max: 60 });
		} else if (!isHttpUrl(fields.header_value)) {
			errors.header_value = `must be an http or https URL of the ${headerType}`;
		}
	} else if (given('header_value')) {
		errors.header_type = 'is required when header_value is set';
	}
	if (given('caption')) checkString(errors, 'caption', fields.caption, { max: 1024 });

	return { errors, action };
}

/**
 * Validates a media upload: the `type` field a MIME type WhatsApp takes, the file within that
 * kind's size. Returns `{ errors, kind }`.
 */
function validateUpload(type, file) {
	const errors = {};
	if (!file || file.data.length === 0) errors.file = 'is required';
	if (!type) {
		errors.type = 'is required (the MIME type of the file)';
		return { errors, kind: undefined };
	}
	const mimeType = String(type).split(';')[0].trim().toLowerCase();
	const kind = Object.keys(MEDIA_LIMITS).find((candidate) =>
		MEDIA_LIMITS[candidate].mimeTypes.includes(mimeType),
	);
	if (kind === undefined) errors.type = `"${type}" is not a media type WhatsApp supports`;
	else if (file && file.data.length > MEDIA_LIMITS[kind].maxBytes) {
		errors.file = `must be at most ${MEDIA_LIMITS[kind].maxBytes} bytes for ${kind} (got ${file.data.length})`;
	}
	return { errors, kind };
}

module.exports = {
	validateUpload,
	validateV2,
	storedV2Payload,
	validateV1Reply,
	isSingleEmoji,
	MESSAGE_TYPES,
};
