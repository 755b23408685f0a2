import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { CallOperation, ResolvedParameters } from '../../shared/types';
import { str } from '../message/fields';
import { TEMPLATE_CATEGORIES, choicesOf, templatesPath, wabaIdIssues } from './common';
import {
	COMPONENT_LABELS,
	componentsProperty,
	parsedComponents,
	templateCategory,
	templateComponents,
	templateLanguage,
	templateName,
	templateNameProperty,
} from './components';

const answerOf = (answer: IDataObject): IDataObject =>
	answer.data !== null && typeof answer.data === 'object' && !Array.isArray(answer.data)
		? (answer.data as IDataObject)
		: answer;

const languageProperty = {
	displayName: 'Language',
	name: 'language',
	type: 'string' as const,
	default: 'en',
	required: true,
	placeholder: 'en_US',
	description: "The template's language code (en, en_US, hi, pt_BR …)",
};

function body(p: ResolvedParameters): IDataObject {
	const parsed = parsedComponents(p.components);
	const options = (p.options ?? {}) as IDataObject;
	return {
		name: str(p.name).trim(),
		language: str(p.language).trim(),
		category: p.category as string,
		components: (parsed.ok ? parsed.components : undefined) as IDataObject[],
		...(options.allowCategoryChange === true ? { allow_category_change: true } : {}),
	};
}

/**
 * A new template submitted to Meta for review (it is PENDING until approved): checked first against
 * Meta's rules, so a refusal names the field and nothing is sent.
 */
export const create: CallOperation = {
	kind: 'call',
	value: 'create',
	name: 'Create',
	action: 'Create a template',
	description: 'Submit a new template to Meta for review',
	properties: [
		templateNameProperty,
		languageProperty,
		{
			displayName: 'Category',
			name: 'category',
			type: 'options',
			default: 'UTILITY',
			options: choicesOf(TEMPLATE_CATEGORIES),
			description: "The template's category, as Meta bills it",
		},
		componentsProperty,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Allow Category Change',
					name: 'allowCategoryChange',
					type: 'boolean',
					default: false,
					description:
						'Whether Meta may give the template the category it finds right instead of refusing it',
				},
			],
		},
	],
	fieldLabels: {
		name: 'name',
		language: 'language',
		category: 'category',
		// The JSON field's contents are named "Components → …" below; the field itself the same way.
		components: 'Components',
		...COMPONENT_LABELS,
	},
	checkParameters: (p, account) => {
		const parsed = parsedComponents(p.components);
		return [
			...wabaIdIssues(account),
			...(parsed.ok ? [] : [{ field: 'Components', message: parsed.message }]),
		];
	},
	build: (p, account) => {
		const json = body(p);
		return { method: 'POST', path: templatesPath(account), json, checked: json };
	},
	schema: z.object({
		name: templateName,
		language: templateLanguage,
		category: templateCategory,
		components: templateComponents,
	}),
	toItems: (answer, p) => {
		const created = answerOf(answer);
		return [
			{
				id:
					typeof created.id === 'string' || typeof created.id === 'number'
						? String(created.id)
						: null,
				name: str(p.name).trim(),
				language: str(p.language).trim(),
				category: typeof created.category === 'string' ? created.category : (p.category as string),
				status: typeof created.status === 'string' ? created.status : null,
			},
		];
	},
	failureHints: {
		WA400:
			"Meta refused the template: check the name (lower-case, unique in this language), the category, and the components against Meta's template guidelines.",
	},
};
