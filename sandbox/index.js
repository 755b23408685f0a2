'use strict';

/**
 * A local stand-in for Kaleyra's WhatsApp API (the contract in docs/kaleyra-api.md):
 * it authenticates, validates and records sends the way Kaleyra answers them, and can be scripted
 * to misbehave (latency, error statuses, dropped or hanging connections, gateway HTML, empty bodies).
 * Dev tooling only: node: built-ins, loopback addresses only.
 */

const http = require('node:http');
const net = require('node:net');
const crypto = require('node:crypto');
const { parseUrlEncoded, parseMultipart, mediaTypeOf } = require('./forms');
const { validateV2, storedV2Payload, validateV1Reply, validateUpload } = require('./validation');
const {
	SEEDED_TEMPLATES,
	checkTemplateSend,
	listTemplates,
	normalizeTemplate,
} = require('./templates');
const { createCallbacks } = require('./customer');

const DEFAULT_ACCOUNT = Object.freeze({
	sid: 'HXSANDBOX01',
	apiKey: 'sandbox-api-key',
	numbers: Object.freeze(['+919900000001']),
	wabaId: '100000000000001',
});

const FAULT_KINDS = ['latency', 'status', 'reset', 'hang', 'html', 'empty'];
const HTML_502 = '<html><body><h1>502 Bad Gateway</h1></body></html>';
const ADMIN_PREFIX = '/__sandbox';

const ROUTES = {
	v2Messages: /^\/v2\/([^/]+)\/whatsapp\/([^/]+)\/messages\/?$/,
	v2Media: /^\/v2\/([^/]+)\/whatsapp\/([^/]+)\/media\/?$/,
	v1Messages: /^\/v1\/([^/]+)\/messages\/?$/,
	v1CallbackProfiles: /^\/v1\/([^/]+)\/callback\/profiles\/?$/,
	v2Templates: /^\/v2\/([^/]+)\/whatsapp\/([^/]+)\/message_templates\/?$/,
	v2Flows: /^\/v2\/([^/]+)\/whatsapp\/([^/]+)\/flows\/?$/,
	v2FlowPublish: /^\/v2\/([^/]+)\/whatsapp\/([^/]+)\/publish\/?$/,
	v2PhoneNumberDetails: /^\/v2\/([^/]+)\/whatsapp\/([^/]+)\/phone_number_details\/?$/,
	/** Where the sandbox keeps a customer's incoming files (Kaleyra's media_url: docs/kaleyra-api.md §6). */
	inboundMedia: /^\/v2\/([^/]+)\/media\/inbound\/([0-9]+)\/?$/,
};

// Response bodies as Kaleyra's pages print them (seeds/*.v2.txt, seeds/reply-button.v1.txt).
const BODIES = {
	auth: () => ({
		code: 'RBC001',
		message: 'Incorrect SID or API key.',
		data: [],
		error: { error: 'Incorrect SID or API key.' },
	}),
	foreignNumber: () => ({
		code: 'WA401',
		message: 'Phone number is not present or does not belong to the account.',
		data: {},
		error: { phone_number: 'Phone number is not present or does not belong to the account.' },
	}),
	accountType: () => ({
		code: 'WA-401',
		message: 'API is not available for given customer.Please contact support for more info',
		data: {},
		error: {
			account: 'API is not available for given customer.Please contact support for more info',
		},
	}),
	badPayload: (error) => ({
		code: 'WA400',
		message: 'Refer to correct payload format',
		data: {},
		error,
	}),
	badForm: (error) => ({ code: 'E413', message: 'Invalid/incorrect inputs', data: [], error }),
	internal: () => ({
		code: 'WA500',
		message: 'Please try again later',
		data: {},
		error: { error: 'Internal server error' },
	}),
	throttled: () => ({
		message: 'Too Many Requests',
		data: {},
		error: { error: 'Too many requests, retry later' },
	}),
	metaThrottled: () => ({
		code: '130429',
		message: 'Rate limit hit',
		data: {},
		error: { error: 'Cloud API message throughput has been reached' },
	}),
	notFound: () => ({ code: 'E404', message: 'Not found' }),
	unknownWaba: () => ({
		code: 'WA404',
		message: 'WABA ID is not present or does not belong to the account.',
		data: {},
		error: { waba_id: 'not found' },
	}),
	template: (code, error) => ({
		code,
		message: code === 'WA401' ? 'Template is not approved' : 'Refer to correct payload format',
		data: {},
		error,
	}),
};

const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

function isLoopback(host) {
	const bare = String(host).replace(/^\[(.*)\]$/, '$1');
	if (bare.toLowerCase() === 'localhost') return true;
	const family = net.isIP(bare);
	return family !== 0 && loopback.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const digitsOf = (number) => String(number).trim().replace(/^\+/, '');

function normalizeAccounts(accounts) {
	if (!Array.isArray(accounts) || accounts.length === 0)
		throw new TypeError('accounts must be a non-empty array');
	const bySid = new Map();
	for (const account of accounts) {
		if (!isObject(account) || typeof account.sid !== 'string' || account.sid === '') {
			throw new TypeError('every account needs a sid');
		}
		if (typeof account.apiKey !== 'string' || account.apiKey === '') {
			throw new TypeError(`account ${account.sid} needs an apiKey`);
		}
		if (bySid.has(account.sid)) throw new TypeError(`account ${account.sid} is listed twice`);
		const numbers = (account.numbers || []).map((number) => {
			const digits = digitsOf(number);
			if (!/^[0-9]{8,15}$/.test(digits))
				throw new TypeError(`account ${account.sid}: ${number} is not an E.164 number`);
			return `+${digits}`;
		});
		const wabaId = account.wabaId === undefined ? undefined : String(account.wabaId);
		bySid.set(account.sid, {
			sid: account.sid,
			apiKey: account.apiKey,
			numbers,
			postpaid: account.postpaid === true,
			wabaId,
		});
	}
	return bySid;
}

function normalizeFault(spec) {
	if (!isObject(spec)) throw new TypeError('a fault spec must be an object');
	const { match = {}, times = 1, kind } = spec;
	if (!FAULT_KINDS.includes(kind))
		throw new TypeError(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
	if (!isObject(match) && !(match instanceof RegExp))
		throw new TypeError('fault match must be an object');
	if (match.method !== undefined && typeof match.method !== 'string')
		throw new TypeError('fault match.method must be a string');
	if (
		match.path !== undefined &&
		typeof match.path !== 'string' &&
		!(match.path instanceof RegExp)
	) {
		throw new TypeError('fault match.path must be a string or a RegExp');
	}
	if (times !== Infinity && !(Number.isInteger(times) && times >= 1)) {
		throw new TypeError('fault times must be a positive integer (or Infinity)');
	}
	if (kind === 'latency' && !(typeof spec.ms === 'number' && spec.ms >= 0)) {
		throw new TypeError('a latency fault needs ms >= 0');
	}
	if (kind === 'status' && spec.status === undefined)
		throw new TypeError('a status fault needs a status');
	if (
		spec.status !== undefined &&
		!(Number.isInteger(spec.status) && spec.status >= 200 && spec.status <= 599)
	) {
		throw new TypeError('fault status must be an HTTP status from 200 to 599');
	}
	let pathRegExp;
	if (match.path instanceof RegExp) pathRegExp = match.path;
	else if (typeof match.path === 'string') {
		try {
			pathRegExp = new RegExp(match.path);
		} catch {
			pathRegExp = undefined; // not a valid RegExp source: a plain substring then
		}
	}
	return {
		match: { method: match.method, path: match.path },
		pathRegExp,
		times,
		kind,
		ms: spec.ms,
		status: spec.status,
		retryAfter: spec.retryAfter,
		body: spec.body,
	};
}

function faultMatches(fault, method, path) {
	const { match, pathRegExp } = fault;
	if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase())
		return false;
	if (match.path === undefined) return true;
	if (typeof match.path === 'string' && path.includes(match.path)) return true;
	return pathRegExp !== undefined && pathRegExp.test(path);
}

function describeFault(fault) {
	const { pathRegExp, ...rest } = fault;
	const path = fault.match.path instanceof RegExp ? fault.match.path.source : fault.match.path;
	return {
		...rest,
		match: { ...fault.match, path },
		times: fault.times === Infinity ? 'Infinity' : fault.times,
	};
}

function redactHeaders(headers) {
	const copy = { ...headers };
	for (const name of ['api-key', 'authorization']) if (name in copy) copy[name] = 'REDACTED';
	return copy;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function bodyText(buffer) {
	try {
		return utf8.decode(buffer);
	} catch {
		return `<${buffer.length} bytes of binary data>`;
	}
}

function readBody(req) {
	return new Promise((resolve) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', () => resolve(undefined));
		req.on('close', () => resolve(req.complete ? Buffer.concat(chunks) : undefined));
	});
}

function decodeSegment(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** "2021-11-19 08:47:16+00:00", the v1 createdDateTime format. */
function kaleyraDateTime(date) {
	return `${date.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

/**
 * Starts a sandbox. Resolves once it listens.
 * @param {import('./index').SandboxOptions} [options]
 * @returns {Promise<import('./index').Sandbox>}
 */
async function startSandbox(options = {}) {
	const {
		port = 0,
		host = '127.0.0.1',
		accounts = [DEFAULT_ACCOUNT],
		log = () => {},
		onMessage = () => {},
	} = options;
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new TypeError(`port must be an integer from 0 to 65535, not ${port}`);
	if (!isLoopback(host)) {
		throw new Error(
			`the Kaleyra sandbox listens on loopback addresses only (127.0.0.0/8, ::1, localhost), not ${host}`,
		);
	}
	const accountsBySid = normalizeAccounts(accounts);
	const flows = [];
	const templates = (options.templates ?? SEEDED_TEMPLATES).map((template) =>
		normalizeTemplate(structuredClone(template)),
	);

	const messages = [];
	const callbacks = createCallbacks({ isLoopback, log, defaults: options.callbacks });
	const requests = [];
	const uploads = [];
	/** Files customers sent (customer({ kind: 'image', file })), by media ID. */
	const inboundFiles = new Map();
	let faults = [];
	const timers = new Set();
	let closing;
	/** Meta's throughput per business number: at most this many accepted in any sliding second (off when undefined). */
	let metaPerSecond = options.metaPerSecond;
	/** Accepted times per business number, within the last second; and how many requests the window refused. */
	const metaAccepted = new Map();
	let metaThrottles = 0;

	function logLine(record, outcome) {
		log(
			`${record.method} ${record.path} ${outcome}${record.fault ? ` (fault: ${record.fault})` : ''}`,
		);
	}

	function respond(res, record, status, payload, headers = {}) {
		const text =
			payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload);
		const contentType =
			typeof payload === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
		res.writeHead(status, {
			'content-type': contentType,
			'content-length': Buffer.byteLength(text),
			...headers,
		});
		res.end(text);
		record.status = status;
		logLine(record, status);
	}

	function delay(ms) {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				resolve();
			}, ms);
			timers.add(timer);
		});
	}

	function takeFault(method, path) {
		const fault = faults.find((candidate) => faultMatches(candidate, method, path));
		if (fault === undefined) return undefined;
		fault.times -= 1;
		if (fault.times <= 0) faults = faults.filter((candidate) => candidate !== fault);
		return fault;
	}

	function addFaults(specs) {
		const added = (Array.isArray(specs) ? specs : [specs]).map(normalizeFault);
		faults.push(...added);
		return added.length;
	}

	function applyFault(fault, req, res, record) {
		switch (fault.kind) {
			case 'reset':
				logLine(record, 'no answer');
				req.socket.destroy();
				return;
			case 'hang':
				logLine(record, 'no answer');
				return; // the socket stays open until the client gives up or close()
			case 'html':
				respond(res, record, fault.status ?? 502, HTML_502, {
					'content-type': 'text/html; charset=utf-8',
				});
				return;
			case 'empty':
				respond(res, record, fault.status ?? 200, undefined);
				return;
			case 'status': {
				const headers =
					fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
				let body = fault.body;
				if (body === undefined) {
					if (fault.status === 429) body = BODIES.throttled();
					else if (fault.status === 500) body = BODIES.internal();
					else body = { message: http.STATUS_CODES[fault.status] || 'Error' };
				}
				respond(res, record, fault.status, body, headers);
				return;
			}
		}
	}

	function authenticate(sid, req) {
		const account = accountsBySid.get(sid);
		const key = req.headers['api-key'];
		return account !== undefined && key === account.apiKey ? account : undefined;
	}

	/** The account's number in E.164 form, or undefined when the account does not own it. */
	function ownedNumber(account, number) {
		const e164 = `+${digitsOf(number)}`;
		return account.numbers.includes(e164) ? e164 : undefined;
	}

	/** Meta's sliding window: true (and counted) when this number has had fewer than metaPerSecond accepted in the last 1,000 ms. */
	function metaWindowAdmits(businessNumber) {
		const now = performance.now();
		const times = metaAccepted.get(businessNumber) ?? [];
		while (times.length > 0 && times[0] <= now - 1000) times.shift();
		metaAccepted.set(businessNumber, times);
		if (times.length >= metaPerSecond) return false;
		times.push(now);
		return true;
	}

	/** Records the message, answers, then tells onMessage (so a log shows the request line first). */
	function accept(res, record, message, status, payload) {
		if (metaPerSecond !== undefined && !metaWindowAdmits(message.businessNumber)) {
			metaThrottles++;
			return void respond(res, record, 429, BODIES.metaThrottled());
		}
		messages.push(message);
		respond(res, record, status, payload);
		onMessage(message);
		callbacks.afterAccept(message);
	}

	/**
	 * The v2 checks before the payload: key (RBC001), then the number in the path (WA401).
	 * Answers and returns undefined when one fails.
	 */
	function authorizeV2(req, res, record, sid, numberSegment) {
		const account = authenticate(sid, req);
		if (!account) return void respond(res, record, 401, BODIES.auth());
		const businessNumber = ownedNumber(account, decodeSegment(numberSegment));
		if (!businessNumber) return void respond(res, record, 401, BODIES.foreignNumber());
		return { account, businessNumber };
	}

	function sendV2(req, res, record, body, sid, numberSegment) {
		const authorized = authorizeV2(req, res, record, sid, numberSegment);
		if (!authorized) return;
		const { businessNumber } = authorized;
		if (mediaTypeOf(req.headers['content-type']) !== 'application/json') {
			return respond(
				res,
				record,
				400,
				BODIES.badPayload({ 'content-type': 'must be application/json' }),
			);
		}
		let parsed;
		try {
			parsed = JSON.parse(body.toString('utf8'));
		} catch {
			return respond(res, record, 400, BODIES.badPayload({ payload: 'Incorrect payload format' }));
		}
		const { errors, type } = validateV2(parsed);
		if (Object.keys(errors).length > 0) return respond(res, record, 400, BODIES.badPayload(errors));
		if (type === 'template') {
			const refusal = checkTemplateSend(templates, parsed.messaging_object.template);
			if (refusal !== undefined)
				return respond(res, record, refusal.status, BODIES.template(refusal.code, refusal.errors));
		}
		const flowRefusal = flowSendRefusal(parsed.messaging_object.interactive);
		if (flowRefusal !== undefined) return respond(res, record, 400, BODIES.badPayload(flowRefusal));
		const messageId = `wamid.${crypto.randomBytes(27).toString('base64')}`;
		const message = {
			messageId,
			api: 'v2',
			sid,
			businessNumber,
			to: type === 'read' ? null : parsed.messaging_object.to,
			type,
			payload: storedV2Payload(parsed),
			receivedAt: record.receivedAt,
		};
		return accept(res, record, message, 202, {
			code: 'WA202',
			message: 'Request Accepted',
			data: { message_id: messageId },
			error: {},
		});
	}

	/**
	 * A customer's file, as Kaleyra keeps it behind media_url. How Kaleyra authorises that link is not
	 * documented; the sandbox asks for the account's api-key, so that a test sees whether it was sent.
	 */
	function inboundFile(req, res, record, sid, id) {
		const account = authenticate(sid, req);
		if (!account) return respond(res, record, 401, BODIES.auth());
		const file = inboundFiles.get(id);
		if (!file || file.sid !== sid) return respond(res, record, 404, BODIES.notFound());
		res.writeHead(200, {
			'content-type': file.mimeType,
			'content-length': file.data.length,
			...(file.fileName
				? { 'content-disposition': `attachment; filename="${file.fileName}"` }
				: {}),
		});
		res.end(file.data);
		record.status = 200;
		logLine(record, 200);
	}

	function uploadMedia(req, res, record, body, sid, numberSegment) {
		const authorized = authorizeV2(req, res, record, sid, numberSegment);
		if (!authorized) return;
		const { account, businessNumber } = authorized;
		if (!account.postpaid) return respond(res, record, 401, BODIES.accountType());
		const form = parseMultipart(body, req.headers['content-type']);
		if (!form)
			return respond(
				res,
				record,
				400,
				BODIES.badPayload({ payload: 'must be multipart/form-data with the fields file and type' }),
			);
		const { errors, kind } = validateUpload(form.fields.type, form.files.file);
		if (Object.keys(errors).length > 0) return respond(res, record, 400, BODIES.badPayload(errors));
		const mediaId = String(crypto.randomInt(1e9, 1e10)) + String(crypto.randomInt(1e5, 1e6));
		uploads.push({
			mediaId,
			sid,
			businessNumber,
			mimeType: form.fields.type,
			kind,
			filename: form.files.file.filename,
			partContentType: form.files.file.contentType,
			size: form.files.file.data.length,
			sha256: crypto.createHash('sha256').update(form.files.file.data).digest('hex'),
			receivedAt: record.receivedAt,
		});
		return respond(res, record, 200, {
			code: 'WA200',
			message: 'Media uploaded',
			data: { media_id: mediaId },
			error: {},
		});
	}

	function sendV1(req, res, record, body, sid) {
		const account = authenticate(sid, req);
		if (!account) return respond(res, record, 401, BODIES.auth());
		const contentType = mediaTypeOf(req.headers['content-type']);
		let fields;
		if (contentType === 'application/x-www-form-urlencoded') fields = parseUrlEncoded(body);
		else if (contentType === 'multipart/form-data') {
			const form = parseMultipart(body, req.headers['content-type']);
			if (!form)
				return respond(
					res,
					record,
					400,
					BODIES.badForm({ payload: 'malformed multipart/form-data body' }),
				);
			fields = form.fields;
		} else {
			return respond(
				res,
				record,
				400,
				BODIES.badForm({
					'content-type': 'must be application/x-www-form-urlencoded or multipart/form-data',
				}),
			);
		}
		const { errors, action } = validateV1Reply(fields);
		let businessNumber;
		if (!errors.from) {
			businessNumber = ownedNumber(account, fields.from);
			if (!businessNumber)
				errors.from = 'from number is not present or does not belong to the account';
		}
		if (Object.keys(errors).length > 0) return respond(res, record, 400, BODIES.badForm(errors));
		const id = crypto.randomUUID();
		const messageId = `${id}:0`;
		const message = {
			messageId,
			api: 'v1',
			sid,
			businessNumber,
			to: fields.to,
			type: 'reply',
			payload: { ...fields, action },
			receivedAt: record.receivedAt,
		};
		return accept(res, record, message, 202, {
			id,
			type: 'reply',
			body: fields.body,
			createdDateTime: kaleyraDateTime(new Date()),
			totalCount: 1,
			data: [{ message_id: messageId, recipient: digitsOf(fields.to) }],
			error: {},
		});
	}

	function callbackProfiles(req, res, record, sid) {
		if (!authenticate(sid, req)) return respond(res, record, 401, BODIES.auth());
		return respond(res, record, 200, { data: [], total: 0 });
	}

	function templateListing(req, res, record, sid, wabaId) {
		const account = authenticate(sid, req);
		if (!account) return respond(res, record, 401, BODIES.auth());
		if (account.wabaId === undefined || decodeSegment(wabaId) !== account.wabaId)
			return respond(res, record, 404, BODIES.unknownWaba());
		return respond(
			res,
			record,
			200,
			listTemplates(templates, new URL(req.url, 'http://sandbox.invalid').searchParams),
		);
	}

	/**
	 * A number's standing with Meta (Kaleyra's fetch-phone-number-details page): its fields under
	 * Meta's names. The sandbox's numbers are all in good standing.
	 */
	function phoneNumberDetails(req, res, record, sid, numberSegment) {
		const account = authenticate(sid, req);
		if (!account) return respond(res, record, 401, BODIES.auth());
		const number = ownedNumber(account, decodeSegment(numberSegment));
		if (number === undefined) return respond(res, record, 401, BODIES.foreignNumber());
		return respond(res, record, 200, {
			code: 'WA200',
			message: 'Phone number details fetched successfully',
			data: {
				display_phone_number: number,
				verified_name: 'Sandbox Business',
				status: 'CONNECTED',
				quality_rating: 'GREEN',
				quality_score: { score: 'GREEN' },
				messaging_limit_tier: 'TIER_1K',
				throughput: { level: 'STANDARD' },
				name_status: 'APPROVED',
				health_status: {
					can_send_message: 'AVAILABLE',
					entities: [{ entity_type: 'PHONE_NUMBER', can_send_message: 'AVAILABLE' }],
				},
			},
		});
	}

	/**
	 * Template management (Kaleyra's Create, Edit and Delete Template pages): a created template is
	 * PENDING until approved (admin: POST /__sandbox/template-status); an edit applies only
	 * to an APPROVED, REJECTED or PAUSED one, and an approved one once a day, 10 times in 30 days.
	 */
	function manageTemplates(req, res, record, body, sid, wabaId) {
		const account = authenticate(sid, req);
		if (!account) return respond(res, record, 401, BODIES.auth());
		if (account.wabaId === undefined || decodeSegment(wabaId) !== account.wabaId)
			return respond(res, record, 404, BODIES.unknownWaba());
		const query = new URL(req.url, 'http://sandbox.invalid').searchParams;
		if (req.method === 'DELETE') {
			const name = query.get('name');
			const id = query.get('template_id');
			if (!name) return respond(res, record, 400, BODIES.badPayload({ name: 'is required' }));
			const doomed = templates.filter((t) => t.name === name && (id === null || t.id === id));
			if (doomed.length === 0)
				return respond(res, record, 404, {
					code: 'WA404',
					message: 'Template not found',
					data: {},
					error: { name: `no template ${name}${id === null ? '' : ` with ID ${id}`}` },
				});
			for (const template of doomed) templates.splice(templates.indexOf(template), 1);
			return respond(res, record, 200, {
				code: 'WA200',
				message: 'Template deleted',
				data: { success: true },
			});
		}
		let parsed;
		try {
			parsed = JSON.parse(body.toString('utf8'));
		} catch {
			return respond(res, record, 400, BODIES.badPayload({ body: 'must be JSON' }));
		}
		if (req.method === 'POST') {
			const errors = {};
			if (typeof parsed.name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(parsed.name))
				errors.name = 'must be lower-case letters, digits and _';
			if (typeof parsed.language !== 'string' || parsed.language === '')
				errors.language = 'is required';
			if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(parsed.category))
				errors.category = 'must be MARKETING, UTILITY or AUTHENTICATION';
			if (
				!Array.isArray(parsed.components) ||
				!parsed.components.some((c) => String(c?.type).toUpperCase() === 'BODY')
			)
				errors.components = 'must have a BODY';
			if (templates.some((t) => t.name === parsed.name && t.language === parsed.language))
				errors.name = 'a template with this name already exists in this language';
			if (Object.keys(errors).length > 0)
				return respond(res, record, 400, BODIES.badPayload(errors));
			sandbox.addTemplates({
				name: parsed.name,
				language: parsed.language,
				category: parsed.category,
				components: parsed.components,
				status: 'PENDING',
			});
			const template = templates.find(
				(t) => t.name === parsed.name && t.language === parsed.language,
			);
			return respond(res, record, 200, {
				code: 'WA200',
				message: 'Template created',
				data: { id: template.id, status: template.status, category: template.category },
			});
		}
		const template = templates.find((t) => t.id === String(parsed.template_id));
		if (template === undefined)
			return respond(res, record, 404, {
				code: 'WA404',
				message: 'Template not found',
				data: {},
				error: { template_id: 'not found' },
			});
		if (!['APPROVED', 'REJECTED', 'PAUSED'].includes(template.status))
			return respond(
				res,
				record,
				400,
				BODIES.badPayload({ template_id: `a ${template.status} template cannot be edited` }),
			);
		if ((parsed.category === undefined) === (parsed.components === undefined))
			return respond(
				res,
				record,
				400,
				BODIES.badPayload({ body: 'edit either category or components' }),
			);
		const now = Date.now();
		const edits = (template.edits ?? []).filter((at) => now - at < 30 * 86_400_000);
		if (
			template.status === 'APPROVED' &&
			(edits.length >= 10 || edits.some((at) => now - at < 86_400_000))
		)
			return respond(
				res,
				record,
				400,
				BODIES.badPayload({
					template_id:
						'an approved template can be edited once in 24 hours and 10 times in 30 days',
				}),
			);
		if (parsed.category !== undefined) {
			if (template.status === 'APPROVED')
				return respond(
					res,
					record,
					400,
					BODIES.badPayload({ category: "an approved template's category cannot change" }),
				);
			template.category = parsed.category;
		} else template.components = parsed.components;
		template.edits = [...edits, now];
		return respond(res, record, 200, {
			code: 'WA200',
			message: 'Template updated',
			data: { success: true },
		});
	}

	/**
	 * Flows (Kaleyra's Flow API v2 pages): created as DRAFT with Meta's validation of the Flow JSON
	 * reduced to its shape (a version and screens); listed by WABA with Meta's paging; published once.
	 */
	function manageFlows(req, res, record, body, sid, wabaId) {
		const account = authenticate(sid, req);
		if (!account) return respond(res, record, 401, BODIES.auth());
		if (account.wabaId === undefined || decodeSegment(wabaId) !== account.wabaId)
			return respond(res, record, 404, BODIES.unknownWaba());
		if (req.method === 'GET') {
			const query = new URL(req.url, 'http://sandbox.invalid').searchParams;
			const limit = Math.min(Math.max(Number(query.get('limit')) || 25, 1), 100);
			const after = Number(query.get('after')) || 0;
			const page = flows
				.slice(after, after + limit)
				.map(({ id, name, status, categories, validation_errors }) => ({
					id,
					name,
					status,
					categories,
					validation_errors,
				}));
			const next =
				after + limit < flows.length ? { cursors: { after: String(after + limit) } } : {};
			return respond(res, record, 200, { data: page, paging: next });
		}
		let parsed;
		try {
			parsed = JSON.parse(body.toString('utf8'));
		} catch {
			return respond(res, record, 400, BODIES.badPayload({ body: 'must be JSON' }));
		}
		const errors = {};
		if (typeof parsed.name !== 'string' || parsed.name.trim() === '') errors.name = 'is required';
		if (!Array.isArray(parsed.categories) || parsed.categories.length === 0)
			errors.categories = 'at least one category is required';
		let flowJson;
		try {
			flowJson = JSON.parse(parsed.flow_json);
		} catch {
			errors.flow_json = 'must be a JSON string';
		}
		if (
			flowJson !== undefined &&
			(typeof flowJson?.version !== 'string' || !Array.isArray(flowJson?.screens))
		)
			errors.flow_json = 'must have a version and screens';
		if (Object.keys(errors).length > 0) return respond(res, record, 400, BODIES.badPayload(errors));
		const flow = {
			id: `7${Date.now()}${flows.length}`,
			name: parsed.name,
			status: 'DRAFT',
			categories: parsed.categories,
			validation_errors: [],
			flow_json: parsed.flow_json,
		};
		flows.push(flow);
		return respond(res, record, 200, {
			code: 'WA200',
			data: { id: flow.id, success: true, validation_errors: [] },
		});
	}

	/**
	 * Why a Flow message cannot go out, as Meta refuses it, or undefined: the Flow must be one the
	 * sandbox created, PUBLISHED (a DRAFT only in mode draft), and a navigate's first screen one of
	 * its screens.
	 */
	function flowSendRefusal(interactive) {
		if (interactive?.type !== 'flow') return undefined;
		const parameters = interactive.action.parameters;
		const at = 'messaging_object.interactive.action.parameters';
		const flow = flows.find((candidate) =>
			parameters.flow_id !== undefined
				? candidate.id === String(parameters.flow_id)
				: candidate.name === parameters.flow_name,
		);
		if (flow === undefined) return { [`${at}.flow_id`]: 'no Flow with this ID in the WABA' };
		if (flow.status !== 'PUBLISHED' && !(parameters.mode === 'draft' && flow.status === 'DRAFT'))
			return { [`${at}.flow_id`]: `the Flow is ${flow.status}; only a PUBLISHED Flow can be sent` };
		const screen = parameters.flow_action_payload?.screen;
		if (screen === undefined) return undefined;
		const screens = (JSON.parse(flow.flow_json).screens ?? []).map((s) => s?.id);
		return screens.includes(screen)
			? undefined
			: {
					[`${at}.flow_action_payload.screen`]: `the Flow has no screen "${screen}" (it has ${screens.join(', ')})`,
				};
	}

	function publishFlow(req, res, record, sid, flowId) {
		const account = authenticate(sid, req);
		if (!account) return respond(res, record, 401, BODIES.auth());
		const flow = flows.find((candidate) => candidate.id === decodeSegment(flowId));
		if (flow === undefined)
			return respond(res, record, 404, {
				code: 'WA404',
				message: 'Flow not found',
				data: {},
				error: { flow_id: 'not found' },
			});
		if (flow.status !== 'DRAFT')
			return respond(
				res,
				record,
				400,
				BODIES.badPayload({ flow_id: `a ${flow.status} Flow cannot be published` }),
			);
		flow.status = 'PUBLISHED';
		return respond(res, record, 200, { code: 'WA200', data: { success: true } });
	}

	function route(req, res, record, body, pathname) {
		let match;
		if (
			(req.method === 'GET' || req.method === 'POST') &&
			(match = ROUTES.v2Flows.exec(pathname))
		) {
			return manageFlows(req, res, record, body, decodeSegment(match[1]), match[2]);
		}
		if (req.method === 'POST' && (match = ROUTES.v2FlowPublish.exec(pathname))) {
			return publishFlow(req, res, record, decodeSegment(match[1]), match[2]);
		}
		if (
			['POST', 'PUT', 'DELETE'].includes(req.method) &&
			(match = ROUTES.v2Templates.exec(pathname))
		) {
			return manageTemplates(req, res, record, body, decodeSegment(match[1]), match[2]);
		}
		if (req.method === 'GET' && (match = ROUTES.inboundMedia.exec(pathname))) {
			return inboundFile(req, res, record, decodeSegment(match[1]), match[2]);
		}
		if (req.method === 'GET' && (match = ROUTES.v2PhoneNumberDetails.exec(pathname))) {
			return phoneNumberDetails(req, res, record, decodeSegment(match[1]), match[2]);
		}
		if (req.method === 'POST' && (match = ROUTES.v2Messages.exec(pathname))) {
			return sendV2(req, res, record, body, decodeSegment(match[1]), match[2]);
		}
		if (req.method === 'POST' && (match = ROUTES.v2Media.exec(pathname))) {
			return uploadMedia(req, res, record, body, decodeSegment(match[1]), match[2]);
		}
		if (req.method === 'POST' && (match = ROUTES.v1Messages.exec(pathname))) {
			return sendV1(req, res, record, body, decodeSegment(match[1]));
		}
		if (req.method === 'GET' && (match = ROUTES.v2Templates.exec(pathname))) {
			return templateListing(req, res, record, decodeSegment(match[1]), match[2]);
		}
		if (req.method === 'GET' && (match = ROUTES.v1CallbackProfiles.exec(pathname))) {
			return callbackProfiles(req, res, record, decodeSegment(match[1]));
		}
		return respond(res, record, 404, BODIES.notFound());
	}

	function admin(req, res, body, pathname) {
		const record = { method: req.method, path: req.url, fault: null };
		const reply = (status, payload) => respond(res, record, status, payload);
		const action = `${req.method} ${pathname.slice(ADMIN_PREFIX.length).replace(/\/$/, '')}`;
		switch (action) {
			case 'GET /health':
				return reply(200, {
					status: 'ok',
					url: sandbox.url,
					accounts: sandbox.accounts,
					messages: messages.length,
					requests: requests.length,
					faults: faults.length,
					inFlight: open.now,
					maxInFlight: open.max,
				});
			case 'GET /messages':
				return reply(200, messages);
			case 'GET /requests':
				return reply(200, requests);
			case 'GET /uploads':
				return reply(200, uploads);
			case 'GET /templates':
				return reply(200, templates);
			case 'POST /templates': {
				let added;
				try {
					added = sandbox.addTemplates(JSON.parse(body.toString('utf8')));
				} catch (error) {
					return reply(400, { code: 'SANDBOX400', message: `invalid template: ${error.message}` });
				}
				return reply(200, { added, templates: templates.length });
			}
			case 'GET /faults':
				return reply(200, faults.map(describeFault));
			case 'POST /template-status': {
				// Meta's review, played by hand: { name, language?, status, reason? } (e.g. APPROVED, REJECTED, PAUSED).
				let spec;
				try {
					spec = JSON.parse(body.toString('utf8'));
				} catch {
					return reply(400, {
						code: 'SANDBOX400',
						message: 'expected JSON { name, language?, status, reason? }',
					});
				}
				return sandbox
					.reviewTemplate(spec)
					.then(({ changed }) => reply(changed === 0 ? 404 : 200, { changed }));
			}
			case 'POST /faults': {
				let added;
				try {
					added = addFaults(JSON.parse(body.toString('utf8')));
				} catch (error) {
					return reply(400, {
						code: 'SANDBOX400',
						message: `invalid fault spec: ${error.message}`,
					});
				}
				return reply(200, { added, pending: faults.length });
			}
			case 'DELETE /faults':
				faults = [];
				return reply(200, { pending: 0 });
			case 'GET /callbacks':
				return reply(200, { config: callbacks.config, posted: callbacks.posted });
			case 'POST /callbacks':
				try {
					callbacks.configure(JSON.parse(body.toString('utf8')));
				} catch (error) {
					return reply(400, {
						code: 'SANDBOX400',
						message: `invalid callback settings: ${error.message}`,
					});
				}
				return reply(200, callbacks.config);
			case 'POST /incoming': {
				let spec;
				try {
					spec = JSON.parse(body.toString('utf8') || '{}');
				} catch (error) {
					return reply(400, {
						code: 'SANDBOX400',
						message: `invalid incoming message: ${error.message}`,
					});
				}
				return sandbox.customer(spec).then(
					(posted) => reply(200, posted),
					(error) =>
						reply(400, {
							code: 'SANDBOX400',
							message: `invalid incoming message: ${error.message}`,
						}),
				);
			}
			case 'POST /reset':
				sandbox.reset();
				return reply(200, { status: 'reset' });
			default:
				return reply(404, BODIES.notFound());
		}
	}

	/**
	 * A media message with `file: { data (Buffer or base64), mimeType, fileName }`: the sandbox keeps
	 * the bytes and the callback's media_url points at them on the sandbox itself (the account's
	 * own host), as Kaleyra's does at Kaleyra.
	 */
	function keptFile(spec) {
		if (!spec.file) return {};
		const data = Buffer.isBuffer(spec.file.data)
			? spec.file.data
			: Buffer.from(String(spec.file.data ?? ''), 'base64');
		const mimeType = spec.file.mimeType ?? 'application/octet-stream';
		const sid = sandbox.accounts[0].sid;
		const mediaId = String(crypto.randomInt(1e9, 1e10));
		inboundFiles.set(mediaId, { sid, data, mimeType, fileName: spec.file.fileName });
		return {
			mediaId,
			mimeType,
			fileName: spec.file.fileName,
			mediaUrl: `${sandbox.url}/v2/${encodeURIComponent(sid)}/media/inbound/${mediaId}`,
			file: undefined,
		};
	}

	/**
	 * A Flow answer to a Flow message the sandbox accepted (`question`: its message ID): from the
	 * customer it went to, with the token the business sent, as WhatsApp answers it.
	 */
	function answeredFlow(spec) {
		const question = spec.question ?? spec.replyTo;
		if (spec.kind !== 'flow' || question === undefined) return {};
		const sent = messages.find((message) => message.messageId === question);
		const interactive = sent?.payload?.messaging_object?.interactive;
		if (interactive?.type !== 'flow')
			throw new TypeError(`${question} is not a Flow message the sandbox accepted`);
		return {
			from: spec.from ?? sent.to,
			replyTo: question,
			flowToken: spec.flowToken ?? interactive.action.parameters.flow_token,
		};
	}

	const open = { now: 0, max: 0 };

	async function handle(req, res) {
		res.on('error', () => {});
		const receivedAt = new Date().toISOString();
		const body = await readBody(req);
		if (body === undefined) return; // the client went away (or close() cut it off) mid-body
		const { pathname } = new URL(req.url, 'http://sandbox.invalid');
		if (pathname === ADMIN_PREFIX || pathname.startsWith(`${ADMIN_PREFIX}/`))
			return admin(req, res, body, pathname);
		// Requests open at once (from the whole body read to the answer's end, or the client gone): what a load test wants to see.
		open.now++;
		open.max = Math.max(open.max, open.now);
		let closed = false;
		const settle = () => {
			if (closed) return;
			closed = true;
			open.now--;
		};
		res.on('finish', settle);
		res.on('close', settle);

		const record = {
			method: req.method,
			path: req.url,
			headers: redactHeaders(req.headers),
			body: bodyText(body),
			status: null,
			fault: null,
			receivedAt,
		};
		requests.push(record);
		const fault = takeFault(req.method, req.url);
		if (fault) {
			record.fault = fault.kind;
			if (fault.kind !== 'latency') return applyFault(fault, req, res, record);
			await delay(fault.ms); // never resolves once close() has cleared its timer
		}
		return route(req, res, record, body, pathname);
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			log(
				`sandbox error on ${req.method} ${req.url}: ${error && error.stack ? error.stack : error}`,
			);
			if (!res.headersSent) {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify(BODIES.internal()));
			}
		});
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	if (!isLoopback(address.address)) {
		await new Promise((resolve) => server.close(resolve));
		throw new Error(`${host} resolved to ${address.address}, which is not a loopback address`);
	}
	const urlHost =
		address.family === 'IPv6' || address.family === 6 ? `[${address.address}]` : address.address;

	const sandbox = {
		url: `http://${urlHost}:${address.port}`,
		host: address.address,
		port: address.port,
		accounts: [...accountsBySid.values()].map(({ sid, numbers, postpaid, wabaId }) => ({
			sid,
			numbers,
			postpaid,
			...(wabaId === undefined ? {} : { wabaId }),
		})),
		messages,
		templates,
		/** Adds templates (one or an array) to the listing and to what template sends are checked against. */
		addTemplates(specs) {
			const added = (Array.isArray(specs) ? specs : [specs]).map(normalizeTemplate);
			for (const template of added) {
				const at = templates.findIndex(
					(t) => t.name === template.name && t.language === template.language,
				);
				if (at >= 0) templates.splice(at, 1, template);
				else templates.push(template);
			}
			return added.length;
		},
		requests,
		uploads,
		/** Every callback posted (incoming messages and statuses), with the answer it got. */
		callbacks: callbacks.posted,
		/** Where callbacks go and what follows a send; see customer.js. */
		configureCallbacks(spec) {
			callbacks.configure(spec);
		},
		/**
		 * Meta's review, played: every template of that name (and language, when given) gets `status`;
		 * with callbacks' templateStatuses on, each change is posted as Kaleyra's template status
		 * callback, and this resolves once the receiver answered.
		 */
		async reviewTemplate({ name, language, status, reason } = {}) {
			const changed = templates.filter(
				(t) => t.name === name && (language === undefined || t.language === language),
			);
			for (const template of changed) template.status = String(status).toUpperCase();
			const account = sandbox.accounts.find((a) => a.wabaId !== undefined) ?? sandbox.accounts[0];
			const posted = [];
			for (const template of changed) {
				const record = await callbacks.templateChanged(template, {
					wabaId: account.wabaId,
					sid: account.sid,
					reason,
				});
				if (record !== undefined) posted.push(record);
			}
			return { changed: changed.length, posted };
		},
		/** The customer writes (text, image, button, list, reaction, …): posts it to the callback URL. */
		async customer(spec = {}) {
			return await callbacks.incoming({
				businessNumber: sandbox.accounts[0].numbers[0],
				...spec,
				...keptFile(spec),
				...answeredFlow(spec),
			});
		},
		fault(spec) {
			addFaults(spec);
		},
		clearFaults() {
			faults = [];
		},
		pendingFaults() {
			return faults.map(describeFault);
		},
		/** Requests open right now, and the most open at once since the start (or the last `reset()`). */
		inFlight() {
			return { now: open.now, max: open.max };
		},
		/** Meta's per-number window: at most `perSecond` accepted per business number in any sliding second; undefined turns it off. */
		metaWindow(perSecond) {
			metaPerSecond = perSecond;
		},
		/** Requests Meta's window refused (429 with 130429) since the start or the last `reset()`. */
		metaThrottles() {
			return metaThrottles;
		},
		reset() {
			metaAccepted.clear();
			metaThrottles = 0;
			open.max = open.now;
			messages.length = 0;
			requests.length = 0;
			uploads.length = 0;
			flows.length = 0;
			faults = [];
			callbacks.reset();
		},
		close() {
			if (!closing) {
				closing = new Promise((resolve) => {
					for (const timer of timers) clearTimeout(timer);
					timers.clear();
					callbacks.close();
					server.close(() => resolve());
					server.closeAllConnections();
				});
			}
			return closing;
		},
	};
	return sandbox;
}

module.exports = { startSandbox, DEFAULT_ACCOUNT, isLoopback };
