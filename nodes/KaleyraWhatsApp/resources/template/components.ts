import type { z } from 'zod';

import { clip, isEmpty, kindOf, leaf, text } from '../../shared/checks';
import { LIMITS } from '../../shared/limits';
import { TEMPLATE_CATEGORIES } from './common';

/**
 * Meta's rules for a template's name, language and components (Kaleyra's Create Template page and
 * Meta's template guidelines), checked before anything is sent so a refusal names the field: each
 * limit is one constant, used by the check and its sentence.
 */
export const TEMPLATE_LIMITS = {
	name: 512,
	id: 64,
	body: LIMITS.body,
	headerText: LIMITS.headerText,
	footer: LIMITS.footer,
	buttons: 10,
	buttonText: 25,
	urlButtons: 2,
	phoneButtons: 1,
} as const;

const NAME = /^[a-z0-9_]+$/;
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2,4})?$/;
const HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'];
const BUTTON_TYPES = [
	'QUICK_REPLY',
	'URL',
	'PHONE_NUMBER',
	'COPY_CODE',
	'OTP',
	'FLOW',
	'CATALOG',
	'MPM',
];
const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

const variablesIn = (value: string) => [...value.matchAll(VARIABLE)].map((match) => match[1]);

export const templateName = leaf((value) => {
	const problem = text(TEMPLATE_LIMITS.name, 'the template name, e.g. order_shipped')(value);
	if (problem !== undefined) return problem;
	return NAME.test(value as string)
		? undefined
		: `"${clip(value as string)}" has characters Meta refuses. Use only lower-case letters, digits and _, e.g. order_shipped.`;
});

/** A template's ID as Meta gives it: digits, at most a few dozen. */
export const templateId = leaf((value) => {
	const problem = text(TEMPLATE_LIMITS.id, "the template's ID, as Template → Get shows it")(value);
	if (problem !== undefined) return problem;
	return /^\d+$/.test(value as string)
		? undefined
		: `"${clip(value as string)}" is not a template ID: Meta's IDs are digits, as Template → Get shows them.`;
});

export const templateLanguage = leaf((value) => {
	if (isEmpty(value)) return 'it is empty. Enter the language code, e.g. en or en_US.';
	if (typeof value !== 'string') return `expected text, got ${kindOf(value)}.`;
	return LANGUAGE.test(value)
		? undefined
		: `"${clip(value)}" is not a language code Meta knows the shape of. Use e.g. en, en_US, pt_BR.`;
});

export const templateCategory = leaf((value) =>
	(TEMPLATE_CATEGORIES as readonly unknown[]).includes(value)
		? undefined
		: `"${clip(String(value))}" is not a category Kaleyra supports. Use one of: ${TEMPLATE_CATEGORIES.join(', ')}.`,
);

type Issue = { path: Array<string | number>; message: string };
type Component = Record<string, unknown>;

/** Positional variables must run {{1}}, {{2}}, … without a gap; named ones are lower-case words. */
function variableIssues(
	value: string,
	where: Array<string | number>,
	exampleKey: string,
	example: unknown,
): Issue[] {
	const names = variablesIn(value);
	if (names.length === 0) return [];
	const positional = names.every((name) => /^\d+$/.test(name));
	if (positional) {
		const sorted = [...new Set(names.map(Number))].sort((a, b) => a - b);
		if (sorted.some((number, index) => number !== index + 1))
			return [
				{
					path: where,
					message: `its variables are ${names.map((n) => `{{${n}}}`).join(', ')}; Meta wants them numbered {{1}}, {{2}}, … without a gap.`,
				},
			];
	} else if (!names.every((name) => /^[a-z][a-z0-9_]*$/.test(name))) {
		return [
			{
				path: where,
				message:
					'mixes numbered and named variables, or has a name Meta refuses; use {{1}}, {{2}} … or lower-case names such as {{order_id}}.',
			},
		];
	}
	const examples = (example as Record<string, unknown> | undefined)?.[exampleKey];
	if (
		examples === undefined &&
		(example as Record<string, unknown> | undefined)?.[`${exampleKey}_named_params`] === undefined
	)
		return [
			{
				path: [...where.slice(0, -1), 'example'],
				message: `the text has variables, so Meta needs an example value for each: add "example": { "${exampleKey}": … }.`,
			},
		];
	return [];
}

function componentIssues(component: unknown, index: number): Issue[] {
	const at = (...rest: Array<string | number>) => [index, ...rest];
	if (component === null || typeof component !== 'object' || Array.isArray(component))
		return [
			{
				path: at(),
				message: `expected a component object ({ "type": "BODY", "text": … }), got ${kindOf(component)}.`,
			},
		];
	const c = component as Component;
	const type = String(c.type ?? '').toUpperCase();
	const textProblem = (max: number, what: string) => text(max, what)(c.text);
	switch (type) {
		case 'BODY': {
			const problem = textProblem(TEMPLATE_LIMITS.body, 'the message text');
			if (problem !== undefined) return [{ path: at('text'), message: problem }];
			return variableIssues(c.text as string, at('text'), 'body_text', c.example);
		}
		case 'HEADER': {
			const format = String(c.format ?? '').toUpperCase();
			if (!HEADER_FORMATS.includes(format))
				return [
					{
						path: at('format'),
						message: `"${clip(String(c.format ?? ''))}" is not a header format. Use one of: ${HEADER_FORMATS.join(', ')}.`,
					},
				];
			if (format === 'TEXT') {
				const problem = textProblem(TEMPLATE_LIMITS.headerText, 'the header text');
				if (problem !== undefined) return [{ path: at('text'), message: problem }];
				if (variablesIn(c.text as string).length > 1)
					return [{ path: at('text'), message: 'a text header may have at most one variable.' }];
				return variableIssues(c.text as string, at('text'), 'header_text', c.example);
			}
			if (
				format !== 'LOCATION' &&
				(c.example as Record<string, unknown> | undefined)?.header_handle === undefined
			)
				return [
					{
						path: at('example'),
						message: `a ${format.toLowerCase()} header needs a sample: "example": { "header_handle": ["<handle of an uploaded sample>"] }.`,
					},
				];
			return [];
		}
		case 'FOOTER': {
			const problem = textProblem(TEMPLATE_LIMITS.footer, 'the footer text');
			if (problem !== undefined) return [{ path: at('text'), message: problem }];
			return variablesIn(c.text as string).length > 0
				? [{ path: at('text'), message: 'a footer may not have variables.' }]
				: [];
		}
		case 'BUTTONS': {
			const buttons = c.buttons;
			if (
				!Array.isArray(buttons) ||
				buttons.length === 0 ||
				buttons.length > TEMPLATE_LIMITS.buttons
			)
				return [
					{
						path: at('buttons'),
						message: `expected a list of 1 to ${TEMPLATE_LIMITS.buttons} buttons, got ${Array.isArray(buttons) ? `${buttons.length}` : kindOf(buttons)}.`,
					},
				];
			const issues: Issue[] = [];
			const count = (kind: string) =>
				buttons.filter((b) => String((b as Component | null)?.type ?? '').toUpperCase() === kind)
					.length;
			if (count('URL') > TEMPLATE_LIMITS.urlButtons)
				issues.push({
					path: at('buttons'),
					message: `at most ${TEMPLATE_LIMITS.urlButtons} URL buttons are allowed; this has ${count('URL')}.`,
				});
			if (count('PHONE_NUMBER') > TEMPLATE_LIMITS.phoneButtons)
				issues.push({
					path: at('buttons'),
					message: `at most ${TEMPLATE_LIMITS.phoneButtons} phone-number button is allowed; this has ${count('PHONE_NUMBER')}.`,
				});
			buttons.forEach((button, position) => {
				const b = (button ?? {}) as Component;
				const kind = String(b.type ?? '').toUpperCase();
				const which = `button ${position + 1}`;
				if (!BUTTON_TYPES.includes(kind))
					issues.push({
						path: at('buttons'),
						message: `${which}: "${clip(String(b.type ?? ''))}" is not a button type. Use one of: ${BUTTON_TYPES.join(', ')}.`,
					});
				else if (kind !== 'OTP' && kind !== 'COPY_CODE') {
					const problem = text(TEMPLATE_LIMITS.buttonText, 'the button label')(b.text);
					if (problem !== undefined)
						issues.push({ path: at('buttons'), message: `${which} text: ${problem}` });
				}
				if (kind === 'URL' && (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url)))
					issues.push({
						path: at('buttons'),
						message: `${which}: a URL button needs "url", a link starting with https://.`,
					});
				if (
					kind === 'PHONE_NUMBER' &&
					(typeof b.phone_number !== 'string' || !/^\+?[1-9]\d{7,14}$/.test(b.phone_number))
				)
					issues.push({
						path: at('buttons'),
						message: `${which}: a phone-number button needs "phone_number" with the country code, e.g. +919900000000.`,
					});
			});
			return issues;
		}
		default:
			return [
				{
					path: at('type'),
					message: `"${clip(String(c.type ?? ''))}" is not a component type. Use HEADER, BODY, FOOTER or BUTTONS.`,
				},
			];
	}
}

/** A template's components as Meta takes them: one BODY, at most one HEADER, FOOTER and BUTTONS, each by its rules. */
export const templateComponents: z.ZodTypeAny = leaf(() => undefined).superRefine((value, ctx) => {
	if (!Array.isArray(value) || value.length === 0) {
		ctx.addIssue({
			code: 'custom',
			message: `expected a list of components (JSON array) with at least a BODY, got ${Array.isArray(value) ? 'an empty list' : kindOf(value)}.`,
		});
		return;
	}
	const types = value.map((component) =>
		String((component as Component | null)?.type ?? '').toUpperCase(),
	);
	const bodies = types.filter((type) => type === 'BODY').length;
	if (bodies !== 1)
		ctx.addIssue({
			code: 'custom',
			message: `a template has exactly one BODY component; this has ${bodies}.`,
		});
	for (const type of ['HEADER', 'FOOTER', 'BUTTONS'])
		if (types.filter((t) => t === type).length > 1)
			ctx.addIssue({ code: 'custom', message: `a template has at most one ${type} component.` });
	value.forEach((component, index) => {
		for (const issue of componentIssues(component, index))
			ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
	});
});

/**
 * Where each part of the Components JSON is, in the user's words: its contents are no field of their
 * own, so these are written out (the operations name their fields by name).
 */
export const COMPONENT_LABELS: Record<string, string> = {
	'components.#': 'Components → Component {n}',
	'components.#.type': 'Components → Component {n} → Type',
	'components.#.text': 'Components → Component {n} → Text',
	'components.#.format': 'Components → Component {n} → Format',
	'components.#.example': 'Components → Component {n} → Example',
	'components.#.buttons': 'Components → Component {n} → Buttons',
};

/** The Components field's JSON, read: a list, or why not (a JSON that does not parse). */
export function parsedComponents(
	value: unknown,
): { ok: true; components: unknown } | { ok: false; message: string } {
	if (typeof value !== 'string') return { ok: true, components: value };
	if (value.trim() === '') return { ok: true, components: undefined };
	try {
		return { ok: true, components: JSON.parse(value) as unknown };
	} catch (error) {
		return {
			ok: false,
			message: `it is not valid JSON (${(error as Error).message}). Enter the components as a JSON array, e.g. [{ "type": "BODY", "text": "Hello {{1}}" , "example": { "body_text": [["Asha"]] } }].`,
		};
	}
}

export const templateNameProperty = {
	displayName: 'Name',
	name: 'name',
	type: 'string' as const,
	default: '',
	required: true,
	placeholder: 'order_shipped',
	description: "The template's name: lower-case letters, digits and _",
};

export const componentsProperty = {
	displayName: 'Components (JSON)',
	name: 'components',
	type: 'json' as const,
	default:
		'[\n  {\n    "type": "BODY",\n    "text": "Hello {{1}}, your order {{2}} has shipped.",\n    "example": { "body_text": [["Asha", "A-1001"]] }\n  }\n]',
	description: "The template's header, body, footer and buttons in Meta's format",
};
