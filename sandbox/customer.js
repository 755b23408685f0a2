'use strict';

/**
 * The sandbox's other side: it plays the customer and Kaleyra's callback service. It posts what
 * Kaleyra would post to a number's Incoming URL / callback profile (docs/kaleyra-api.md §4, §5.4): an
 * incoming text, media message, button tap, list pick or reaction, and, after each send the
 * sandbox accepts, the statuses sent → delivered → read (or failed 131047 for a customer whose
 * 24-hour window is closed), and a template's new status after the sandbox's review. Dev tooling only: node: built-ins, loopback targets only.
 */

const http = require('node:http');
const crypto = require('node:crypto');

const KINDS = [
	'text',
	'image',
	'video',
	'audio',
	'document',
	'sticker',
	'button',
	'list',
	'reaction',
	'location',
	'flow',
];
const MEDIA = ['image', 'video', 'audio', 'document', 'sticker'];
const DEFAULT_CUSTOMER = Object.freeze({ number: '+919812345678', name: 'Asha' });

const digitsOf = (number) => String(number).trim().replace(/^\+/, '');
const unixNow = () => String(Math.floor(Date.now() / 1000));
const newMessageId = () => `wamid.${crypto.randomBytes(27).toString('base64')}`;

/** Meta's error for a free-form message outside the customer-service window (docs/kaleyra-api.md §2). */
const WINDOW_CLOSED = Object.freeze({
	code: 131047,
	title: 'Re-engagement message',
	message: 'Re-engagement message',
	error_data: {
		details:
			'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
	},
});

/** Kaleyra's v2 envelope: WhatsApp's webhook `value` for the business number, inside `meta_object`. */
function metaObject(businessNumber, value) {
	return {
		field: 'messages',
		value: {
			messaging_product: 'whatsapp',
			metadata: {
				display_phone_number: digitsOf(businessNumber),
				phone_number_id: '104735392345678',
			},
			...value,
		},
	};
}

/** What the customer's message holds, per kind; `spec` fields not given get a plausible default. */
function messageContent(kind, spec) {
	switch (kind) {
		case 'text':
			return { text: { body: spec.text ?? 'Hi, has my order shipped yet?' } };
		case 'button':
			return {
				type: 'interactive',
				interactive: {
					type: 'button_reply',
					button_reply: {
						id: spec.buttonId ?? 'yes',
						title: spec.buttonTitle ?? spec.buttonId ?? 'Yes',
					},
				},
			};
		case 'list':
			return {
				type: 'interactive',
				interactive: {
					type: 'list_reply',
					list_reply: {
						id: spec.listId ?? 'row-1',
						title: spec.listTitle ?? spec.listId ?? 'First option',
						description: spec.description ?? '',
					},
				},
			};
		case 'reaction':
			if (!spec.reactTo)
				throw new TypeError('a reaction needs reactTo: the ID of the message reacted to');
			return { reaction: { message_id: spec.reactTo, emoji: spec.emoji ?? '👍' } };
		case 'flow':
			// WhatsApp's nfm_reply: what the customer filled in, as a JSON string with the Flow's token.
			return {
				type: 'interactive',
				interactive: {
					type: 'nfm_reply',
					nfm_reply: {
						name: spec.flowName ?? 'flow',
						body: spec.body ?? 'Sent',
						response_json:
							spec.responseJson ??
							JSON.stringify({ flow_token: spec.flowToken ?? 'unused', ...(spec.response ?? {}) }),
					},
				},
			};
		case 'location':
			return {
				location: {
					latitude: spec.latitude ?? 12.9716,
					longitude: spec.longitude ?? 77.5946,
					name: spec.locationName ?? 'Home',
				},
			};
		default: {
			const media = {
				id: spec.mediaId ?? String(crypto.randomInt(1e9, 1e10)),
				mime_type: spec.mimeType ?? 'application/octet-stream',
			};
			if (spec.caption && kind !== 'audio' && kind !== 'sticker') media.caption = spec.caption;
			if (kind === 'document' && spec.fileName) media.filename = spec.fileName;
			return { [kind]: media };
		}
	}
}

/**
 * Kaleyra's v2 incoming-message callback for one customer message.
 * spec: { kind, businessNumber, from, name, messageId, replyTo, ref, … the kind's fields }
 */
function incomingCallback(spec) {
	const kind = spec.kind ?? 'text';
	if (!KINDS.includes(kind))
		throw new TypeError(`kind must be one of ${KINDS.join(', ')}, not ${kind}`);
	if (!spec.businessNumber)
		throw new TypeError('an incoming message needs the businessNumber it is sent to');
	const from = digitsOf(spec.from ?? DEFAULT_CUSTOMER.number);
	const { type = kind, ...content } = messageContent(kind, spec);
	const message = {
		from,
		id: spec.messageId ?? newMessageId(),
		timestamp: unixNow(),
		type,
		...content,
	};
	const replyTo =
		spec.replyTo ??
		(kind === 'button' || kind === 'list' || kind === 'flow' ? spec.question : undefined);
	if (replyTo) message.context = { from: digitsOf(spec.businessNumber), id: replyTo };
	const extraInfo = {
		ref: spec.ref ?? '',
		ref1: '',
		ref2: '',
		trace_id: crypto.randomUUID(),
		waba_id: spec.wabaId ?? '',
	};
	if (MEDIA.includes(kind))
		extraInfo.media_url =
			spec.mediaUrl ??
			`${spec.mediaBase ?? 'https://media.kaleyra.invalid'}/media/${content[kind].id}`;
	return {
		meta_object: metaObject(spec.businessNumber, {
			contacts: [{ profile: { name: spec.name ?? DEFAULT_CUSTOMER.name }, wa_id: from }],
			messages: [message],
		}),
		extra_info: extraInfo,
	};
}

/** The status callback for a message the sandbox accepted: v2's envelope, or v1's flat fields. */
function statusCallback(message, status, { error } = {}) {
	const refs = message.api === 'v1' ? message.payload : (message.payload.extra_info ?? {});
	const ref = { ref: refs.ref ?? '', ref1: refs.ref1 ?? '', ref2: refs.ref2 ?? '' };
	const recipient = digitsOf(message.to);
	if (message.api === 'v1') {
		return {
			id: message.messageId,
			status,
			mobile: recipient,
			...ref,
			created_at: unixNow(),
			...(error ? { error: error.title, error_code: String(error.code) } : {}),
		};
	}
	const entry = { id: message.messageId, status, timestamp: unixNow(), recipient_id: recipient };
	if (status === 'sent') {
		entry.conversation = {
			id: crypto.randomBytes(16).toString('hex'),
			origin: { type: 'service' },
		};
		entry.pricing = { billable: true, pricing_model: 'CBP', category: 'service' };
	}
	if (error) entry.errors = [error];
	return {
		meta_object: metaObject(message.businessNumber, { statuses: [entry] }),
		extra_info: {
			trace_id: crypto.randomUUID(),
			message_id: message.messageId,
			waba_id: '',
			...ref,
		},
		status,
		message_id: message.messageId,
	};
}

/**
 * Kaleyra's template status callback (its page "Create Callback Profile for WhatsApp Template Status
 * Update", docs/kaleyra-api.md §6): the POST profile's dynamic variables, flat. Kaleyra does not say
 * what `id` and `company_id` hold: the WABA ID (Meta's entry ID) and the account's SID here.
 */
function templateStatusCallback(template, { wabaId, sid, reason } = {}) {
	return {
		id: wabaId ?? '',
		time: unixNow(),
		event: template.status,
		message_template_id: template.id ?? '',
		message_template_name: template.name,
		message_template_language: template.language,
		reason: reason ?? (template.status === 'APPROVED' ? 'NONE' : ''),
		callback_profile_id: 'sandbox-template-status',
		company_id: sid ?? '',
	};
}

/** Posts JSON to `url` with `headers`; resolves { status, body } (never rejects on an HTTP status). */
function postJson(url, headers, payload, isLoopback) {
	const target = new URL(url);
	if (target.protocol !== 'http:' || !isLoopback(target.hostname)) {
		return Promise.reject(
			new Error(`the sandbox posts callbacks to http:// loopback URLs only, not ${url}`),
		);
	}
	const text = JSON.stringify(payload);
	return new Promise((resolve, reject) => {
		const req = http.request(
			target,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(text),
					...headers,
				},
				timeout: 30000,
			},
			(res) => {
				const chunks = [];
				res.on('data', (chunk) => chunks.push(chunk));
				res.on('end', () => {
					const body = Buffer.concat(chunks).toString('utf8');
					let parsed = body;
					try {
						parsed = JSON.parse(body);
					} catch {}
					resolve({ status: res.statusCode, body: parsed });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 30 s`)));
		req.on('error', reject);
		req.end(text);
	});
}

/** "X-Kaleyra-Secret: value" or { name: value } → headers; "user:password" → Basic auth. */
function callbackHeaders({ headers = {}, basicAuth } = {}) {
	const result = {};
	for (const line of Array.isArray(headers) ? headers : []) {
		const at = String(line).indexOf(':');
		if (at <= 0) throw new TypeError(`a callback header is "Name: value", not ${line}`);
		result[line.slice(0, at).trim()] = line.slice(at + 1).trim();
	}
	if (!Array.isArray(headers)) Object.assign(result, headers);
	if (basicAuth) result.authorization = `Basic ${Buffer.from(basicAuth).toString('base64')}`;
	return result;
}

/**
 * The callback side of one sandbox: where callbacks go (a number's Incoming URL and callback
 * profile, with its custom headers), whether statuses follow accepted sends, which customers'
 * windows are closed, and a record of every callback posted (headers left out: they hold the secret).
 */
function createCallbacks({ isLoopback, log = () => {}, defaults = {} }) {
	let config = normalizeConfig(defaults);
	const posted = [];
	const timers = new Set();

	function normalizeConfig(spec) {
		const outsideWindow = (spec.outsideWindow ?? []).map((number) => `+${digitsOf(number)}`);
		const delayMs = spec.delayMs ?? 200;
		if (!(Number.isInteger(delayMs) && delayMs >= 0))
			throw new TypeError('callbacks delayMs must be a whole number of milliseconds');
		if (spec.url !== undefined && spec.url !== null) new URL(spec.url); // throws for a malformed URL
		return {
			url: spec.url ?? null,
			headers: callbackHeaders(spec),
			statuses: spec.statuses === true,
			templateStatuses: spec.templateStatuses === true,
			outsideWindow,
			delayMs,
		};
	}

	async function post(kind, payload, url = config.url) {
		const record = {
			kind,
			url,
			payload,
			status: null,
			answer: null,
			error: null,
			postedAt: new Date().toISOString(),
		};
		posted.push(record);
		try {
			if (!url)
				throw new Error(
					'no callback URL set: give --callback-url, or POST /__sandbox/callbacks { "url": … }',
				);
			const { status, body } = await postJson(url, config.headers, payload, isLoopback);
			Object.assign(record, { status, answer: body });
			log(`callback ${kind} → ${url} ${status}`);
		} catch (error) {
			record.error = error.message;
			log(`callback ${kind} → ${url} failed: ${error.message}`);
		}
		return record;
	}

	function later(ms, fn) {
		const timer = setTimeout(() => {
			timers.delete(timer);
			fn();
		}, ms);
		timers.add(timer);
	}

	return {
		posted,
		get config() {
			const { headers, ...rest } = config;
			return { ...rest, headers: Object.keys(headers) };
		},
		configure(spec) {
			config = normalizeConfig({ ...this.config, headers: config.headers, ...spec });
		},
		/** The customer writes: posts one incoming message, resolves with the record (messageId included). */
		async incoming(spec) {
			const payload = incomingCallback(spec);
			const record = await post(`incoming ${spec.kind ?? 'text'}`, payload, spec.url ?? config.url);
			return { ...record, messageId: payload.meta_object.value.messages[0].id };
		},
		/** After an accepted send: its statuses, one after another, in the background. */
		afterAccept(message) {
			if (!config.statuses || !config.url || message.type === 'read') return;
			const closed =
				config.outsideWindow.includes(`+${digitsOf(message.to)}`) && message.type !== 'template';
			const steps = closed
				? [['failed', { error: WINDOW_CLOSED }]]
				: [['sent'], ['delivered'], ['read']];
			let chain = Promise.resolve();
			steps.forEach(([status, extra], index) => {
				later(config.delayMs * (index + 1), () => {
					chain = chain.then(() =>
						post(`status ${status}`, statusCallback(message, status, extra)),
					);
				});
			});
		},
		/** After Meta's (the sandbox's) review changed a template: its status callback, once the receiver answered. */
		async templateChanged(template, details) {
			if (!config.templateStatuses || !config.url) return undefined;
			return post(`template ${template.status}`, templateStatusCallback(template, details));
		},
		pending: () => timers.size,
		reset() {
			posted.length = 0;
		},
		close() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
		},
	};
}

module.exports = {
	createCallbacks,
	incomingCallback,
	statusCallback,
	templateStatusCallback,
	KINDS,
	DEFAULT_CUSTOMER,
};
