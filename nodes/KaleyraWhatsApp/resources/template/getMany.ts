import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import {
	limitCheck,
	limitOf,
	nextByCursor,
	pageSizeOf,
	returnAllProperties,
} from '../../shared/paging';
import type { CallOperation } from '../../shared/types';
import { readListingPage } from '../message/template/listing';
import { str } from '../message/fields';
import {
	TEMPLATE_CATEGORIES,
	TEMPLATE_STATUSES,
	choicesOf,
	templatesPath,
	wabaIdIssues,
} from './common';

/** The account's templates, every page as items: filtered by Kaleyra, and again here, so a filter holds whatever Kaleyra honours. */
export const getMany: CallOperation = {
	kind: 'call',
	value: 'getMany',
	name: 'Get Many',
	action: 'Get many templates',
	description: "List the account's templates with their status, category, language and components",
	properties: [
		...returnAllProperties,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Name Contains',
					name: 'name',
					type: 'string',
					default: '',
					description: 'Only templates whose name contains this text',
				},
				{
					displayName: 'Language',
					name: 'language',
					type: 'string',
					default: '',
					placeholder: 'en_US',
					description: 'Only templates in this language code',
				},
				{
					displayName: 'Status',
					name: 'status',
					type: 'options',
					default: 'APPROVED',
					options: choicesOf(TEMPLATE_STATUSES),
					description: 'Only templates with this status',
				},
				{
					displayName: 'Category',
					name: 'category',
					type: 'options',
					default: 'MARKETING',
					options: choicesOf(TEMPLATE_CATEGORIES),
					description: 'Only templates of this category',
				},
			],
		},
	],
	fieldLabels: { limit: 'limit' },
	checkParameters: (_p, account) => wabaIdIssues(account),
	build: (p, account) => {
		const filters = p.filters as IDataObject;
		const query: IDataObject = { limit: pageSizeOf(p) };
		for (const key of ['name', 'language', 'status', 'category'])
			if (str(filters[key]).trim() !== '') query[key] = str(filters[key]).trim();
		return { method: 'GET', path: templatesPath(account), query, checked: { limit: limitOf(p) } };
	},
	schema: z.object({ limit: limitCheck }),
	limit: limitOf,
	toItems: (answer, p) => {
		const page = readListingPage(answer);
		if (!page.ok)
			return {
				refused: { code: 'UNREADABLE_ANSWER', title: page.message, hint: page.description },
			};
		const filters = p.filters as IDataObject;
		const name = str(filters.name).trim().toLowerCase();
		const wanted = (key: 'language' | 'status' | 'category') => str(filters[key]).trim();
		return page.templates
			.filter(
				(template) =>
					(name === '' || template.name.toLowerCase().includes(name)) &&
					(wanted('language') === '' || template.language === wanted('language')) &&
					(wanted('status') === '' || template.status === wanted('status')) &&
					(wanted('category') === '' || template.category === wanted('category')),
			)
			.map((template) => ({ ...template }) as IDataObject);
	},
	nextPage: nextByCursor,
};
