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
import { wabaIdIssues } from '../template/common';
import { flowsPath } from './common';

/** The fields a listed Flow carries (Kaleyra's list-Flows page asks for these). */
const FIELDS = 'id,name,status,categories,validation_errors';

/** The account's Flows, every page as items. */
export const getMany: CallOperation = {
	kind: 'call',
	value: 'getMany',
	name: 'Get Many',
	action: 'Get many flows',
	description: "List the account's Flows with their status, categories and validation errors",
	properties: [...returnAllProperties],
	fieldLabels: { limit: 'limit' },
	checkParameters: (_p, account) => wabaIdIssues(account, 'Flows'),
	build: (p, account) => ({
		method: 'GET',
		path: flowsPath(account),
		query: { fields: FIELDS, limit: pageSizeOf(p) },
		checked: { limit: limitOf(p) },
	}),
	schema: z.object({ limit: limitCheck }),
	limit: limitOf,
	toItems: (answer) => {
		const data = answer.data;
		if (!Array.isArray(data))
			return {
				refused: {
					code: 'UNREADABLE_ANSWER',
					title: "Kaleyra's Flow listing has no list of Flows (data)",
					hint: 'Ask Kaleyra support whether the WABA is onboarded on the v2 API, which Flows need.',
				},
			};
		return data
			.filter((flow) => flow !== null && typeof flow === 'object' && !Array.isArray(flow))
			.map((flow) => ({ ...(flow as IDataObject) }));
	},
	nextPage: nextByCursor,
};
