import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { PAGE_SIZE, nextByCursor } from '../../shared/paging';
import type { CallOperation } from '../../shared/types';
import { readListingPage } from '../message/template/listing';
import { templateVariables } from '../message/template/variables';
import { str } from '../message/fields';
import { templatesPath, wabaIdIssues } from './common';
import { templateName, templateNameProperty } from './components';

/** One template by name (in one language, or each language it has), with its components and the variables they take. */
export const get: CallOperation = {
	kind: 'call',
	value: 'get',
	name: 'Get',
	action: 'Get a template',
	description: 'Get one template by name, with its components and variables',
	properties: [
		templateNameProperty,
		{
			displayName: 'Language',
			name: 'language',
			type: 'string',
			default: '',
			placeholder: 'en_US',
			description: 'The language code; empty gives the template in each of its languages',
		},
	],
	fieldLabels: { name: 'name', language: 'language' },
	checkParameters: (_p, account) => wabaIdIssues(account),
	build: (p, account) => {
		const name = str(p.name).trim();
		return {
			method: 'GET',
			path: templatesPath(account),
			query: { limit: PAGE_SIZE, name },
			checked: { name },
		};
	},
	schema: z.object({ name: templateName }),
	toItems: (answer, p) => {
		const page = readListingPage(answer);
		if (!page.ok)
			return {
				refused: { code: 'UNREADABLE_ANSWER', title: page.message, hint: page.description },
			};
		const name = str(p.name).trim();
		const language = str(p.language).trim();
		return page.templates
			.filter(
				(template) => template.name === name && (language === '' || template.language === language),
			)
			.map(
				(template) =>
					({ ...template, variables: templateVariables(template) }) as unknown as IDataObject,
			);
	},
	nextPage: nextByCursor,
	whenNone: (p) => ({
		refused: {
			code: 'NOT_FOUND',
			title: `The account has no template "${str(p.name).trim()}"${str(p.language).trim() === '' ? '' : ` in ${str(p.language).trim()}`}`,
			hint: 'Check the name (lower-case letters, digits and _) and the language code, or list the templates with Template → Get Many.',
		},
	}),
};
