import { z } from 'zod';

import type { CallOperation } from '../../shared/types';
import { str } from '../message/fields';
import { templatesPath, wabaIdIssues } from './common';
import { templateId, templateName, templateNameProperty } from './components';

/** A template deleted: by name (every language it has), or one language of it by its ID. */
export const deleteTemplate: CallOperation = {
	kind: 'call',
	value: 'delete',
	name: 'Delete',
	action: 'Delete a template',
	description: 'Delete a template by name (every language) or one by its ID',
	properties: [
		{
			displayName: 'Delete',
			name: 'deleteBy',
			type: 'options',
			default: 'name',
			options: [
				{
					name: 'Every Language of the Name',
					value: 'name',
					description: 'Every template with this name',
				},
				{
					name: 'One Template by ID',
					value: 'id',
					description: 'Only the template with this ID (one language)',
				},
			],
		},
		templateNameProperty,
		{
			displayName: 'Template ID',
			name: 'templateId',
			type: 'string',
			default: '',
			required: true,
			description: "The template's ID, as Template → Get shows it",
			displayOptions: { show: { deleteBy: ['id'] } },
		},
	],
	fieldLabels: { name: 'name', template_id: 'templateId' },
	checkParameters: (_p, account) => wabaIdIssues(account),
	build: (p, account) => {
		const name = str(p.name).trim();
		const query = p.deleteBy === 'id' ? { name, template_id: str(p.templateId).trim() } : { name };
		return { method: 'DELETE', path: templatesPath(account), query, checked: query };
	},
	schema: z.object({ name: templateName, template_id: templateId.optional() }),
	toItems: (_answer, p) => [
		{
			name: str(p.name).trim(),
			templateId: p.deleteBy === 'id' ? str(p.templateId).trim() : null,
			deleted: true,
		},
	],
};
