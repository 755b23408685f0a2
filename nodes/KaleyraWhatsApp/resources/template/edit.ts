import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { CallOperation } from '../../shared/types';
import { str } from '../message/fields';
import { TEMPLATE_CATEGORIES, choicesOf, templatesPath, wabaIdIssues } from './common';
import {
	COMPONENT_LABELS,
	componentsProperty,
	parsedComponents,
	templateCategory,
	templateComponents,
	templateId,
} from './components';

/** Meta's edit rules, said when Kaleyra refuses an edit: the node cannot see a template's edit history. */
const EDIT_RULES =
	"Only APPROVED, REJECTED or PAUSED templates can be edited, only their components or their category (an approved template's category cannot change). An approved template allows 10 edits in 30 days and 1 in 24 hours; rejected and paused ones any number.";

/** An existing template's components, or its category: Meta takes them in separate requests. */
export const edit: CallOperation = {
	kind: 'call',
	value: 'edit',
	name: 'Edit',
	action: 'Edit a template',
	description:
		"Change a template's components or its category (approved, rejected or paused templates)",
	properties: [
		{
			displayName: 'Template ID',
			name: 'templateId',
			type: 'string',
			default: '',
			required: true,
			description: "The template's ID, as Template → Get shows it",
		},
		{
			displayName: 'Change',
			name: 'change',
			type: 'options',
			default: 'components',
			options: [
				{
					name: 'Components',
					value: 'components',
					description: 'New header, body, footer and buttons',
				},
				{
					name: 'Category',
					value: 'category',
					description: 'A new category (not for approved templates)',
				},
			],
			description: 'Meta takes components and category in separate edits',
		},
		{ ...componentsProperty, displayOptions: { show: { change: ['components'] } } },
		{
			displayName: 'Category',
			name: 'category',
			type: 'options',
			default: 'UTILITY',
			options: choicesOf(TEMPLATE_CATEGORIES),
			displayOptions: { show: { change: ['category'] } },
		},
	],
	fieldLabels: {
		template_id: 'templateId',
		category: 'category',
		// The JSON field's contents are named "Components → …" below; the field itself the same way.
		components: 'Components',
		...COMPONENT_LABELS,
	},
	checkParameters: (p, account) => {
		const parsed =
			p.change === 'components' ? parsedComponents(p.components) : { ok: true as const };
		return [
			...wabaIdIssues(account),
			...(parsed.ok ? [] : [{ field: 'Components (JSON)', message: parsed.message }]),
		];
	},
	build: (p, account) => {
		const templateId = str(p.templateId).trim();
		const parsed = parsedComponents(p.components);
		const change: IDataObject =
			p.change === 'category'
				? { category: p.category as string }
				: { components: (parsed.ok ? parsed.components : undefined) as IDataObject[] };
		const json = { template_id: templateId, ...change };
		return { method: 'PUT', path: templatesPath(account), json, checked: json };
	},
	// One of the two is in the request, by Change.
	schema: z.object({
		template_id: templateId,
		category: templateCategory.optional(),
		components: templateComponents.optional(),
	}),
	toItems: (answer, p) => [
		{
			templateId: str(p.templateId).trim(),
			changed: p.change as string,
			success: (answer.data as IDataObject | undefined)?.success ?? answer.success ?? true,
		},
	],
	failureHints: { WA400: EDIT_RULES, WA429: EDIT_RULES },
};
