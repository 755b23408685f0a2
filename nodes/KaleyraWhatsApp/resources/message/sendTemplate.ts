import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { ValidationIssue } from '../../shared/checks';
import { clip, isEmpty, leaf } from '../../shared/checks';
import { LIMITS, MEDIA_HEADERS } from '../../shared/limits';
import { kindOfMimeType, PENDING_UPLOAD } from '../../shared/media';
import type {
	BinaryFile,
	KaleyraOperation,
	MediaKind,
	ResolvedParameters,
} from '../../shared/types';
import {
	HEADER_FILE_FIELD,
	findTemplate,
	getTemplateVariables,
	pickedTemplate,
	searchTemplates,
} from './template/listing';
import type { TemplateDefinition } from './template/variables';
import { checkTemplateValues, templateComponents, templateVariables } from './template/variables';
import { addressProperties, messageOptions, str, v2Labels, v2Message } from './fields';

/** What the run looked up before building: the template's definition, or why it could not be read. */
interface TemplateLookup {
	definition?: TemplateDefinition;
	problem?: string;
}

interface ParameterRow {
	component?: string;
	buttonIndex?: unknown;
	name?: unknown;
	type?: string;
	value?: unknown;
	currencyCode?: unknown;
	amount?: unknown;
}

const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
const LANGUAGE_CODE = /^[a-z]{2,3}(_[A-Z]{2,4})?$/;
/** Meta refuses these in text parameters (132018): newlines, tabs, more than four spaces in a row. */
const FORBIDDEN_IN_TEXT = /[\n\t]| {5,}/;

/** A template's media header from the item's binary data, by the binary field's name. */
const headerFileProperty: INodeProperties = {
	displayName: 'Header File From Binary Field',
	name: 'headerBinaryPropertyName',
	type: 'string',
	default: '',
	placeholder: 'data',
	hint: "Optional: the item's binary field whose file becomes the image, video or document header; it is uploaded to Kaleyra first",
	description:
		'For a template with a media header, instead of a link or media ID: the name of the binary field (e.g. data) holding the file',
};

/**
 * The Template Variables field twice: as it is, and for the node as an agent's tool, shown only
 * once a template is given. n8n's editor reloads a variable list when the fields it depends on
 * change, working that out by resolving every field of the step; a field "defined by the model"
 * cannot be resolved there, so after one the list never reloaded and a template picked next showed
 * no variables until the step was reopened. A list that first appears with its template loads then.
 */
function inToolModeOnceATemplateIsGiven(field: INodeProperties): INodeProperties[] {
	const show = field.displayOptions?.show;
	return [
		{ ...field, displayOptions: { show, hide: { '@tool': [true] } } },
		{
			...field,
			displayOptions: { show: { ...show, '@tool': [true] }, hide: { template: [''] } },
		},
	];
}

const properties: INodeProperties[] = [
	{
		displayName: 'Template',
		name: 'template',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The approved template to send',
		hint: 'Templates are the only messages WhatsApp delivers more than 24 hours after the customer last wrote',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a template…',
				typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'order_shipped',
				hint: 'The template name as created in Kaleyra or Meta: lowercase letters, digits and _',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[a-z0-9_]+$',
							errorMessage: 'A template name has only lowercase letters, digits and _',
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: '',
		placeholder: 'en_US',
		hint: "Empty: the picked template's language. Needed with By Name.",
		description: 'The language code of the template version to send, e.g. en, en_US, hi',
	},
	{
		displayName: 'Variables',
		name: 'variablesInput',
		type: 'options',
		default: 'map',
		options: [
			{
				name: 'Map Each Variable',
				value: 'map',
				description:
					"One field per variable of the picked template (needs the credential's WABA ID)",
			},
			{
				name: 'Parameter List',
				value: 'list',
				description:
					'Enter the parameters yourself, e.g. for a template the listing does not return',
			},
			{
				name: 'Components (JSON)',
				value: 'components',
				description: "Give Meta's whole components array from one expression",
			},
		],
	},
	...inToolModeOnceATemplateIsGiven({
		displayName: 'Template Variables',
		name: 'variables',
		type: 'resourceMapper',
		default: { mappingMode: 'defineBelow', value: null },
		noDataExpression: true,
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['template.value', 'language'],
			resourceMapper: {
				resourceMapperMethod: 'getTemplateVariables',
				mode: 'add',
				fieldWords: { singular: 'variable', plural: 'variables' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'This template has no variables to map.',
			},
		},
		hint: 'A body variable may also be a currency { fallback_value, code, amount_1000 } or a date-time { fallback_value } object',
		displayOptions: { show: { variablesInput: ['map'] } },
	}),
	{
		displayName: 'Parameters',
		name: 'parameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Parameter',
		description: "In the template's order: header first, then body {{1}}, {{2}} …, then buttons",
		displayOptions: { show: { variablesInput: ['list'] } },
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{
						displayName: 'Amount',
						name: 'amount',
						type: 'number',
						typeOptions: { numberPrecision: 3 },
						default: 0,
						description: 'For a currency: the amount, e.g. 1499.5',
					},
					{
						displayName: 'Button Position',
						name: 'buttonIndex',
						type: 'number',
						default: 0,
						description:
							"The button's position in the template, starting at 0 (for button parameters)",
					},
					{
						displayName: 'Component',
						name: 'component',
						type: 'options',
						default: 'body',
						options: [
							{ name: 'Body', value: 'body' },
							{ name: 'Button', value: 'button' },
							{ name: 'Header', value: 'header' },
						],
					},
					{
						displayName: 'Currency Code',
						name: 'currencyCode',
						type: 'string',
						default: '',
						placeholder: 'INR',
						description: 'For a currency: the ISO 4217 code',
					},
					{
						displayName: 'Kind',
						name: 'type',
						type: 'options',
						default: 'text',
						options: [
							{ name: 'Copy Code (Button)', value: 'couponCode' },
							{ name: 'Currency (Body)', value: 'currency' },
							{ name: 'Date and Time (Body)', value: 'dateTime' },
							{ name: 'Document (Header)', value: 'document' },
							{ name: 'Image (Header)', value: 'image' },
							{ name: 'Quick-Reply Payload (Button)', value: 'payload' },
							{ name: 'Text', value: 'text' },
							{ name: 'URL Suffix or One-Time Code (Button)', value: 'urlSuffix' },
							{ name: 'Video (Header)', value: 'video' },
						],
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							'The text; a link or media ID for a header image, video or document; the text shown for a currency or date',
					},
					{
						displayName: 'Variable Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'order_id',
						description:
							'For templates with named variables ({{order_id}}): the name. Empty for numbered ones ({{1}}).',
					},
				],
			},
		],
	},
	// One field, shown in two cases a single displayOptions cannot express together (either/or).
	// From 1.2, with the template's variables as fields, the picked template offers this as one of
	// them when it has a media header (a text header showed it for nothing); 1 and 1.1 keep it here.
	{ ...headerFileProperty, displayOptions: { show: { variablesInput: ['list'] } } },
	{
		...headerFileProperty,
		displayOptions: { show: { '@version': [1, 1.1], variablesInput: ['map'] } },
	},
	{
		displayName: 'Components',
		name: 'components',
		type: 'json',
		default: '[]',
		required: true,
		description:
			'Meta\'s components array, e.g. [{ "type": "body", "parameters": [{ "type": "text", "text": "Asha" }] }]',
		displayOptions: { show: { variablesInput: ['components'] } },
	},
];

/** The template's name and language from the Template and Language fields. */
function templateOf(p: ResolvedParameters): { name: string; language: string } {
	const locator = (p.template ?? {}) as { mode?: string; value?: unknown };
	const language = str(p.language).trim();
	// An expression may give the locator anything; checkParameters names what it is, here it is no name.
	const value =
		typeof locator.value === 'string' || typeof locator.value === 'number'
			? String(locator.value)
			: '';
	if (locator.mode === 'list') {
		const picked = pickedTemplate(value);
		return { name: picked.name, language: language || picked.language };
	}
	return { name: value.trim(), language };
}

function mappedValues(p: ResolvedParameters): Record<string, unknown> {
	const mapper = (p.variables ?? {}) as { value?: Record<string, unknown> | null };
	const values: Record<string, unknown> = { ...(mapper.value ?? {}) };
	// Where the header file comes from, not a template variable.
	delete values[HEADER_FILE_FIELD];
	// A header file from binary data stands for the header variable; its media ID comes from the upload.
	if (p.binaryFile !== undefined) values.header_media = PENDING_UPLOAD;
	return values;
}

/**
 * A header file from binary data: the components get its media ID once uploaded (the header's
 * first parameter is the media one; a Parameter List without a header row gets one, of the file's
 * kind), and the request carries the upload.
 */
function withBinaryHeader(
	components: IDataObject[],
	file: BinaryFile,
): { components: IDataObject[]; kind?: MediaKind; idPath?: string[] } {
	let index = components.findIndex((component) => component.type === 'header');
	if (index < 0) {
		const kind = kindOfMimeType(file.mimeType);
		if (kind === undefined || !MEDIA_HEADERS.includes(kind)) return { components };
		components = [
			{ type: 'header', parameters: [{ type: kind, [kind]: { id: PENDING_UPLOAD } }] },
			...components,
		];
		index = 0;
	}
	const parameter = ((components[index].parameters as IDataObject[] | undefined) ?? [])[0];
	const kind = String(parameter?.type ?? '') as MediaKind;
	if (parameter === undefined || !MEDIA_HEADERS.includes(kind)) return { components };
	parameter[kind] = {
		id: PENDING_UPLOAD,
		...(kind === 'document' && file.fileName !== '' ? { filename: file.fileName } : {}),
	};
	return {
		components,
		kind,
		idPath: [
			'messaging_object',
			'template',
			'components',
			String(index),
			'parameters',
			'0',
			kind,
			'id',
		],
	};
}

/** The components from the Parameter List: header, body, then one component per button, in row order. */
function listedComponents(p: ResolvedParameters): IDataObject[] {
	const rows = ((p.parameters ?? {}) as { parameter?: ParameterRow[] }).parameter ?? [];
	const header: IDataObject[] = [];
	const body: IDataObject[] = [];
	const buttons = new Map<string, IDataObject>();
	for (const row of rows) {
		const type = str(row.type);
		const value = str(row.value).trim();
		const name = str(row.name).trim();
		const named = name === '' ? {} : { parameter_name: name };
		let parameter: IDataObject;
		if (type === 'currency')
			parameter = {
				type: 'currency',
				...named,
				currency: {
					fallback_value: value,
					code: str(row.currencyCode).trim(),
					amount_1000: Math.round(Number(row.amount) * 1000),
				},
			};
		else if (type === 'dateTime')
			parameter = { type: 'date_time', ...named, date_time: { fallback_value: value } };
		else if (MEDIA_HEADERS.includes(type))
			parameter = {
				type,
				[type]: /^https?:\/\//i.test(value)
					? { link: value }
					: { id: value === '' && p.binaryFile !== undefined ? PENDING_UPLOAD : value },
			};
		else if (type === 'payload') parameter = { type: 'payload', payload: value };
		else if (type === 'couponCode') parameter = { type: 'coupon_code', coupon_code: value };
		else parameter = { type: 'text', ...named, text: value };
		if (row.component === 'header') header.push(parameter);
		else if (row.component === 'button') {
			const index = String(Number(row.buttonIndex ?? 0));
			const subType =
				type === 'payload' ? 'quick_reply' : type === 'couponCode' ? 'copy_code' : 'url';
			const button = buttons.get(index) ?? {
				type: 'button',
				sub_type: subType,
				index,
				parameters: [],
			};
			(button.parameters as IDataObject[]).push(parameter);
			buttons.set(index, button);
		} else body.push(parameter);
	}
	return [
		...(header.length > 0 ? [{ type: 'header', parameters: header }] : []),
		...(body.length > 0 ? [{ type: 'body', parameters: body }] : []),
		...buttons.values(),
	];
}

/** The Components field: an array from an expression, or JSON text. Anything else is left for the schema to name. */
function givenComponents(p: ResolvedParameters): unknown {
	const raw = p.components;
	if (typeof raw !== 'string') return raw;
	try {
		return JSON.parse(raw === '' ? '[]' : raw);
	} catch {
		return raw;
	}
}

function componentsFor(p: ResolvedParameters, lookup: TemplateLookup | undefined): unknown {
	const input = str(p.variablesInput) || 'map';
	if (input === 'components') return givenComponents(p);
	if (input === 'list') return listedComponents(p);
	return lookup?.definition === undefined
		? []
		: templateComponents(lookup.definition, mappedValues(p));
}

const TEMPLATE_PARAMETER_TYPES = [
	'text',
	'currency',
	'date_time',
	'image',
	'video',
	'document',
	'location',
	'payload',
	'coupon_code',
];

/** Meta's rules for a components array given as a Parameter List or as JSON (mapped ones are checked against the template). */
function componentsProblem(value: unknown): string | undefined {
	if (!Array.isArray(value))
		return typeof value === 'string'
			? 'it is not valid JSON. Enter an array such as [{ "type": "body", "parameters": [{ "type": "text", "text": "Asha" }] }].'
			: `expected an array of components, got ${value === null ? 'null' : typeof value}.`;
	for (const [position, component] of (value as unknown[]).entries()) {
		const where = `component ${position + 1}`;
		const c = (component ?? {}) as {
			type?: unknown;
			sub_type?: unknown;
			index?: unknown;
			parameters?: unknown;
			cards?: unknown;
		};
		if (!['header', 'body', 'button', 'carousel'].includes(String(c.type)))
			return `${where} has type ${JSON.stringify(c.type ?? null)}; use header, body, button or carousel.`;
		if (c.type === 'carousel') continue;
		if (c.type === 'button' && (isEmpty(c.sub_type) || isEmpty(c.index)))
			return `${where} is a button without sub_type (quick_reply, url, copy_code) or index.`;
		if (!Array.isArray(c.parameters))
			return `${where} (${String(c.type)}) has no parameters array.`;
		for (const [at, parameter] of (c.parameters as unknown[]).entries()) {
			const p = (parameter ?? {}) as Record<string, unknown>;
			const which = `${where} (${String(c.type)}), parameter ${at + 1}`;
			if (!TEMPLATE_PARAMETER_TYPES.includes(String(p.type)))
				return `${which} has type ${JSON.stringify(p.type ?? null)}; use one of ${TEMPLATE_PARAMETER_TYPES.join(', ')}.`;
			const text =
				p.type === 'text'
					? p.text
					: p.type === 'payload'
						? p.payload
						: p.type === 'coupon_code'
							? p.coupon_code
							: undefined;
			if (p.type === 'text' || p.type === 'payload' || p.type === 'coupon_code') {
				if (typeof text !== 'string' || text.trim() === '')
					return `${which} is empty. WhatsApp refuses a template with a variable missing.`;
				if (FORBIDDEN_IN_TEXT.test(text))
					return `${which}: WhatsApp does not allow newlines, tabs or more than 4 spaces in a row in a template variable. Replace them with a space.`;
				if (p.type === 'coupon_code' && [...text].length > LIMITS.couponCode)
					return `${which}: WhatsApp allows at most ${LIMITS.couponCode} characters in a copy code; this has ${[...text].length}.`;
			}
			if (p.type === 'currency') {
				const currency = (p.currency ?? {}) as Record<string, unknown>;
				if (
					typeof currency.fallback_value !== 'string' ||
					currency.fallback_value === '' ||
					!/^[A-Z]{3}$/.test(String(currency.code)) ||
					!Number.isInteger(currency.amount_1000)
				)
					return `${which}: a currency needs fallback_value (text), code (ISO 4217, e.g. INR) and a whole-number amount_1000.`;
			}
			if (MEDIA_HEADERS.includes(String(p.type))) {
				const media = (p[String(p.type)] ?? {}) as { link?: unknown; id?: unknown };
				if (isEmpty(media.link) && isEmpty(media.id))
					return `${which}: the ${String(p.type)} needs a link or a media ID.`;
			}
		}
	}
	return undefined;
}

export const sendTemplate: KaleyraOperation = {
	value: 'sendTemplate',
	name: 'Send Template',
	action: 'Send a template message',
	description:
		'Send an approved template, the only message WhatsApp delivers outside the 24-hour window',
	properties: [...addressProperties, ...properties, messageOptions(true)],
	fieldLabels: {
		...v2Labels,
		'body.messaging_object.template.name': 'template',
		'body.messaging_object.template.language.code': 'language',
	},
	async lookup(ctx, account, p, cache): Promise<TemplateLookup | undefined> {
		if ((str(p.variablesInput) || 'map') !== 'map') return undefined;
		const { name, language } = templateOf(p);
		// A name or language the schema refuses is reported by it, naming its own field; the listing is not read for it.
		if (!TEMPLATE_NAME.test(name) || (language !== '' && !LANGUAGE_CODE.test(language)))
			return undefined;
		const key = `${name}|${language}`;
		if (!cache.has(key))
			cache.set(
				key,
				(async (): Promise<TemplateLookup> => {
					const found = await findTemplate(ctx, account, name, language);
					if (!found.ok)
						return {
							problem: `its variables could not be read from the listing (${found.message}). ${found.description}`,
						};
					if (found.definition === undefined)
						return {
							problem: `the listing has no template "${clip(name)}"${language === '' ? '' : ` in ${clip(language)}`}. Check the name and language, or set Variables to "Parameter List".`,
						};
					return { definition: found.definition };
				})(),
			);
		return (await cache.get(key)) as TemplateLookup;
	},
	checkParameters(p, looked): ValidationIssue[] {
		const picked = (p.template ?? {}) as { value?: unknown };
		if (typeof picked.value !== 'string' && typeof picked.value !== 'undefined')
			return [
				{
					field: 'Template',
					message: `expected a template name, got ${Array.isArray(picked.value) ? 'a list' : picked.value === null ? 'null' : typeof picked.value}.`,
				},
			];
		const lookup = looked as TemplateLookup | undefined;
		const input = str(p.variablesInput) || 'map';
		const file = p.binaryFile as BinaryFile | undefined;
		const noMediaHeader: ValidationIssue = {
			field: 'Header File From Binary Field',
			message: `the file "${file?.fileName ?? ''}" (${file?.mimeType ?? ''}) has no image, video or document header to go into. Clear the field, or add a header row of that kind.`,
		};
		if (input !== 'map') {
			const components = componentsFor(p, lookup);
			const problem = componentsProblem(components);
			const issues =
				problem === undefined
					? []
					: [{ field: input === 'list' ? 'Parameters' : 'Components', message: problem }];
			if (
				file !== undefined &&
				Array.isArray(components) &&
				withBinaryHeader(structuredClone(components) as IDataObject[], file).kind === undefined
			)
				issues.push(noMediaHeader);
			return issues;
		}
		if (lookup?.problem !== undefined) return [{ field: 'Template', message: lookup.problem }];
		const definition = lookup?.definition;
		if (definition === undefined) return [];
		const issues: ValidationIssue[] = [];
		if (String(definition.status ?? 'APPROVED').toUpperCase() !== 'APPROVED')
			issues.push({
				field: 'Template',
				message: `"${definition.name}" (${definition.language}) is ${String(definition.status)}, not approved, and WhatsApp sends only approved templates. Fix it in Kaleyra (or Meta's WhatsApp Manager) or pick another.`,
			});
		const values = mappedValues(p);
		if (
			file !== undefined &&
			!templateVariables(definition).some(
				(v) => v.key === 'header_media' && MEDIA_HEADERS.includes(v.kind),
			)
		) {
			issues.push({
				...noMediaHeader,
				message: `template "${definition.name}" has no image, video or document header. Clear the field.`,
			});
			delete values.header_media;
		}
		issues.push(...checkTemplateValues(definition, values));
		return issues;
	},
	binaryInput: (p) => {
		const input = str(p.variablesInput);
		if (input === 'components') return undefined;
		const mapped = ((p.variables ?? {}) as { value?: Record<string, unknown> | null }).value ?? {};
		const field =
			input === 'map' && (p.nodeVersion ?? 1) >= 1.2
				? str(mapped[HEADER_FILE_FIELD])
				: str(p.headerBinaryPropertyName);
		return field.trim() || undefined;
	},
	build: (p, looked) => {
		const { name, language } = templateOf(p);
		let components = componentsFor(p, looked as TemplateLookup | undefined);
		const file = p.binaryFile as BinaryFile | undefined;
		const binary =
			file !== undefined && Array.isArray(components)
				? withBinaryHeader(components as IDataObject[], file)
				: undefined;
		if (binary !== undefined) components = binary.components;
		const template: IDataObject = { name, language: { code: language } };
		if (!Array.isArray(components) || components.length > 0)
			template.components = components as IDataObject[];
		const request = v2Message(p, 'template', { template });
		if (file !== undefined && binary?.kind !== undefined)
			request.upload = { kind: binary.kind, file, idPath: binary.idPath };
		return request;
	},
	schema: z.object({
		template: z.object({
			name: leaf((value) =>
				isEmpty(value)
					? 'it is empty. Pick a template from the list or type its name.'
					: TEMPLATE_NAME.test(String(value))
						? undefined
						: `"${clip(String(value))}" is not a template name: WhatsApp template names have only lowercase letters, digits and _.`,
			),
			language: z.object({
				code: leaf((value) =>
					isEmpty(value)
						? 'it is empty. Enter the language code of the template, e.g. en or en_US.'
						: LANGUAGE_CODE.test(String(value))
							? undefined
							: `"${clip(String(value))}" is not a language code. Use a code such as en, en_US or pt_BR.`,
				),
			}),
			components: z.unknown(),
		}),
	}),
	methods: { listSearch: { searchTemplates }, resourceMapping: { getTemplateVariables } },
	failureHints: {
		WA401:
			'On a template send this also means the template is not approved: check its status in Kaleyra (a new template stays PENDING for up to 24 hours; REJECTED or PAUSED ones are refused).',
	},
};
