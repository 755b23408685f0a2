'use strict';

/**
 * Message templates as the sandbox knows them: a seeded set shaped like Meta's template objects
 * (what Kaleyra's listing returns, docs/kaleyra-api.md §5.1), the listing itself, and the
 * checks a template send meets at Kaleyra and Meta: the template must exist in that language and
 * be approved, and every variable of every component must get exactly one parameter of the right
 * kind. Meta's error codes are quoted in the reasons (132001, 132000, 132012, 132018), so a test
 * can tell which rule refused a send.
 */

/** A named variable ({{order_id}}) or a positional one ({{1}}), in order of appearance, once each. */
function variablesOf(text) {
	const names = [];
	for (const match of String(text ?? '').matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)) {
		if (!names.includes(match[1])) names.push(match[1]);
	}
	return names;
}

const SEEDED_TEMPLATES = Object.freeze([
	{
		id: '1000000000000001',
		name: 'order_shipped',
		language: 'en',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'HEADER',
				format: 'TEXT',
				text: 'Order {{1}} is on its way',
				example: { header_text: ['1042'] },
			},
			{
				type: 'BODY',
				text: 'Hi {{1}}, your order {{2}} has shipped and arrives by {{3}}.',
				example: { body_text: [['Asha', '1042', 'Friday']] },
			},
			{ type: 'FOOTER', text: 'Reply STOP to opt out' },
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'URL',
						text: 'Track order',
						url: 'https://shop.example.com/track/{{1}}',
						example: ['1042'],
					},
				],
			},
		],
	},
	{
		id: '1000000000000002',
		name: 'appointment_reminder',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'NAMED',
		components: [
			{
				type: 'BODY',
				text: 'Hello {{customer_name}}, this is a reminder of your appointment on {{appointment_date}}.',
				example: {
					body_text_named_params: [
						{ param_name: 'customer_name', example: 'Asha' },
						{ param_name: 'appointment_date', example: '3 December, 10:00' },
					],
				},
			},
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'Confirm' },
					{ type: 'QUICK_REPLY', text: 'Reschedule' },
				],
			},
		],
	},
	{
		id: '1000000000000003',
		name: 'invoice_ready',
		language: 'en',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'HEADER',
				format: 'DOCUMENT',
				example: { header_handle: ['https://example.com/invoice-1042.pdf'] },
			},
			{
				type: 'BODY',
				text: 'Your invoice {{1}} for {{2}} is attached.',
				example: { body_text: [['1042', '₹1,499.00']] },
			},
		],
	},
	{
		id: '1000000000000004',
		name: 'login_code',
		language: 'en',
		status: 'APPROVED',
		category: 'AUTHENTICATION',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'BODY',
				text: '{{1}} is your verification code.',
				example: { body_text: [['482913']] },
			},
			{ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
		],
	},
	{
		id: '1000000000000005',
		name: 'winter_sale',
		language: 'en',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'HEADER',
				format: 'IMAGE',
				example: { header_handle: ['https://example.com/sale.png'] },
			},
			{
				type: 'BODY',
				text: 'Take {{1}} off everything until Sunday.',
				example: { body_text: [['20%']] },
			},
			{
				type: 'BUTTONS',
				buttons: [{ type: 'COPY_CODE', text: 'Copy offer code', example: 'WINTER20' }],
			},
		],
	},
	{
		id: '1000000000000006',
		name: 'flash_promo',
		language: 'en',
		status: 'REJECTED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'BODY',
				text: 'Flash sale: {{1}} off, today only!',
				example: { body_text: [['50%']] },
			},
		],
	},
]);

/** What a component of the definition expects at send time: the parameter kinds, in order. */
function expectedParameters(definition) {
	const expected = { header: undefined, body: [], buttons: [] };
	for (const component of definition.components ?? []) {
		const type = String(component.type ?? '').toUpperCase();
		if (type === 'HEADER') {
			const format = String(component.format ?? 'TEXT').toUpperCase();
			if (format === 'TEXT') {
				const names = variablesOf(component.text);
				if (names.length > 0) expected.header = { kind: 'text', names };
			} else expected.header = { kind: format.toLowerCase(), names: [] };
		} else if (type === 'BODY') expected.body = variablesOf(component.text);
		else if (type === 'BUTTONS') {
			(component.buttons ?? []).forEach((button, index) => {
				const kind = String(button.type ?? '').toUpperCase();
				if (kind === 'QUICK_REPLY')
					expected.buttons.push({
						index,
						subType: 'quick_reply',
						parameter: 'payload',
						optional: true,
					});
				else if (kind === 'URL' && variablesOf(button.url).length > 0)
					expected.buttons.push({ index, subType: 'url', parameter: 'text', optional: false });
				else if (kind === 'COPY_CODE')
					expected.buttons.push({
						index,
						subType: 'copy_code',
						parameter: 'coupon_code',
						optional: false,
					});
				else if (kind === 'OTP')
					expected.buttons.push({ index, subType: 'url', parameter: 'text', optional: false });
			});
		}
	}
	return expected;
}

const TEXT_RULE = /[\n\t]| {5,}/;

function checkTextParameter(errors, at, parameter, max) {
	if (typeof parameter.text !== 'string' || parameter.text === '') {
		errors[`${at}.text`] = 'is required (132000: a parameter is missing its value)';
		return;
	}
	if (TEXT_RULE.test(parameter.text))
		errors[`${at}.text`] =
			'may not contain newlines, tabs or more than 4 consecutive spaces (132018)';
	else if ([...parameter.text].length > max)
		errors[`${at}.text`] = `may be at most ${max} characters (132018)`;
}

const BODY_PARAMETER_TYPES = ['text', 'currency', 'date_time'];
const MEDIA_HEADERS = ['image', 'video', 'document'];

function checkHeader(errors, at, component, expected) {
	const parameters = Array.isArray(component?.parameters) ? component.parameters : [];
	if (expected === undefined) {
		if (component !== undefined) errors[at] = 'this template has no header variables (132000)';
		return;
	}
	if (component === undefined) {
		errors[at] = `is required: the template's header needs a ${expected.kind} parameter (132000)`;
		return;
	}
	const wanted = expected.kind === 'text' ? expected.names.length : 1;
	if (parameters.length !== wanted) {
		errors[`${at}.parameters`] =
			`must have ${wanted} parameter(s), has ${parameters.length} (132000)`;
		return;
	}
	parameters.forEach((parameter, index) => {
		const where = `${at}.parameters[${index}]`;
		if (parameter?.type !== expected.kind) {
			errors[`${where}.type`] = `must be "${expected.kind}", the template's header format (132012)`;
			return;
		}
		if (expected.kind === 'text') checkTextParameter(errors, where, parameter, 60);
		else if (MEDIA_HEADERS.includes(expected.kind)) {
			const media = parameter[expected.kind];
			const hasId = typeof media?.id === 'string' && media.id !== '';
			const hasLink = typeof media?.link === 'string' && /^https?:\/\//.test(media.link);
			if (hasId === hasLink)
				errors[`${where}.${expected.kind}`] = 'needs exactly one of id or an http(s) link (132012)';
		} else if (expected.kind === 'location') {
			const location = parameter.location;
			if (typeof location?.latitude !== 'number' || typeof location?.longitude !== 'number')
				errors[`${where}.location`] = 'needs latitude and longitude as numbers (132012)';
		}
	});
}

function checkBody(errors, at, component, names, named, onlyBody) {
	const parameters = Array.isArray(component?.parameters) ? component.parameters : [];
	if (names.length === 0) {
		if (parameters.length > 0)
			errors[`${at}.parameters`] = 'this template has no body variables (132000)';
		return;
	}
	if (parameters.length !== names.length) {
		errors[component === undefined ? at : `${at}.parameters`] =
			`must have ${names.length} parameter(s) (${names.map((name) => `{{${name}}}`).join(', ')}), has ${parameters.length} (132000)`;
		return;
	}
	parameters.forEach((parameter, index) => {
		const where = `${at}.parameters[${index}]`;
		if (!BODY_PARAMETER_TYPES.includes(parameter?.type)) {
			errors[`${where}.type`] = `must be one of ${BODY_PARAMETER_TYPES.join(', ')} (132012)`;
			return;
		}
		if (
			named &&
			parameter.parameter_name !== names[index] &&
			!names.includes(parameter.parameter_name)
		)
			errors[`${where}.parameter_name`] =
				`must name a variable of the template (${names.join(', ')}) (132000)`;
		if (parameter.type === 'text')
			checkTextParameter(errors, where, parameter, onlyBody ? 32768 : 1024);
		else if (parameter.type === 'currency') {
			const currency = parameter.currency;
			if (
				typeof currency?.fallback_value !== 'string' ||
				typeof currency?.code !== 'string' ||
				!Number.isInteger(currency?.amount_1000)
			)
				errors[`${where}.currency`] =
					'needs fallback_value, code and an integer amount_1000 (132012)';
		} else if (typeof parameter.date_time?.fallback_value !== 'string')
			errors[`${where}.date_time`] = 'needs fallback_value (132012)';
	});
}

function checkButtons(errors, at, components, expected) {
	const given = new Map();
	for (const [position, component] of components) {
		const where = `${at}[${position}]`;
		const index = Number(component.index);
		const wanted = expected.find((button) => button.index === index);
		if (wanted === undefined) {
			errors[`${where}.index`] =
				`the template has no dynamic button at index ${String(component.index)} (132000)`;
			continue;
		}
		given.set(index, true);
		if (component.sub_type !== wanted.subType) {
			errors[`${where}.sub_type`] = `must be "${wanted.subType}" for button ${index} (132012)`;
			continue;
		}
		const parameter = Array.isArray(component.parameters) ? component.parameters[0] : undefined;
		const value = parameter?.[wanted.parameter];
		if (parameter?.type !== wanted.parameter || typeof value !== 'string' || value === '')
			errors[`${where}.parameters`] = `needs one ${wanted.parameter} parameter (132000)`;
		else if (wanted.parameter === 'coupon_code' && [...value].length > 15)
			errors[`${where}.parameters`] = 'a coupon code may be at most 15 characters (132018)';
	}
	for (const button of expected) {
		if (!button.optional && !given.has(button.index))
			errors[`${at}`] = `button ${button.index} (${button.subType}) needs a parameter (132000)`;
	}
}

/**
 * Checks a template send against the known templates. Returns undefined when it may be sent, or
 * `{ status, code, errors }`: an unknown name or language is a payload error, an unapproved
 * template is Kaleyra's WA401.
 */
function checkTemplateSend(templates, template) {
	const path = 'messaging_object.template';
	const named = templates.filter((candidate) => candidate.name === template.name);
	const definition = named.find((candidate) => candidate.language === template.language?.code);
	if (definition === undefined) {
		const languages = named.map((candidate) => candidate.language);
		return {
			status: 400,
			code: 'WA400',
			errors: {
				[`${path}.name`]:
					languages.length > 0
						? `template "${template.name}" does not exist in language ${String(template.language?.code)} (132001); it exists in ${languages.join(', ')}`
						: `template "${template.name}" does not exist (132001)`,
			},
		};
	}
	if (definition.status !== 'APPROVED') {
		return {
			status: 401,
			code: 'WA401',
			errors: {
				[`${path}.name`]: `template "${template.name}" is ${definition.status.toLowerCase()}, not approved`,
			},
		};
	}
	const expected = expectedParameters(definition);
	const components = Array.isArray(template.components) ? template.components : [];
	const errors = {};
	const find = (type) => components.findIndex((component) => component?.type === type);
	const headerAt = find('header');
	checkHeader(
		errors,
		`${path}.components.header`,
		headerAt < 0 ? undefined : components[headerAt],
		expected.header,
	);
	const bodyAt = find('body');
	const onlyBody = (definition.components ?? []).length === 1;
	checkBody(
		errors,
		`${path}.components.body`,
		bodyAt < 0 ? undefined : components[bodyAt],
		expected.body,
		definition.parameter_format === 'NAMED',
		onlyBody,
	);
	const buttons = components
		.map((component, position) => [position, component])
		.filter(([, component]) => component?.type === 'button');
	checkButtons(errors, `${path}.components.button`, buttons, expected.buttons);
	return Object.keys(errors).length === 0 ? undefined : { status: 400, code: 'WA400', errors };
}

/** The listing's answer: Meta's shape ({ data, paging }), filtered as the query asks. */
function listTemplates(templates, query) {
	const status = query.get('status');
	const name = query.get('name');
	const language = query.get('language');
	const category = query.get('category');
	const limit = Math.min(Math.max(Number(query.get('limit')) || 25, 1), 100);
	const after = Number(query.get('after')) || 0;
	const matching = templates.filter(
		(template) =>
			(status === null || template.status === status.toUpperCase()) &&
			(name === null || template.name.includes(name.toLowerCase())) &&
			(language === null || template.language === language) &&
			(category === null || template.category === category.toUpperCase()),
	);
	const page = matching.slice(after, after + limit);
	const next = after + limit < matching.length ? String(after + limit) : undefined;
	return { data: page, paging: next === undefined ? {} : { cursors: { after: next } } };
}

/** A template added through the API or the CLI: the fields the listing and the checks rely on. */
function normalizeTemplate(spec) {
	if (typeof spec !== 'object' || spec === null)
		throw new TypeError('a template must be an object');
	if (typeof spec.name !== 'string' || !/^[a-z0-9_]+$/.test(spec.name))
		throw new TypeError('a template needs a name of lower-case letters, digits and _');
	if (typeof spec.language !== 'string' || spec.language === '')
		throw new TypeError(`template ${spec.name} needs a language`);
	if (!Array.isArray(spec.components))
		throw new TypeError(`template ${spec.name} needs components`);
	return {
		id: String(spec.id ?? `9${Date.now()}${Math.floor(Math.random() * 1e3)}`),
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: spec.components.some((c) => variablesOf(c.text).some((v) => !/^\d+$/.test(v)))
			? 'NAMED'
			: 'POSITIONAL',
		...spec,
	};
}

module.exports = {
	SEEDED_TEMPLATES,
	checkTemplateSend,
	listTemplates,
	normalizeTemplate,
	variablesOf,
};
