import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { kindOf, leaf } from './checks';
import type { CallRequest, ResolvedParameters } from './types';

/** Kaleyra's listings give at most this many entries a page (Meta's limit for template and Flow listings). */
export const PAGE_SIZE = 100;

/** Return All / Limit, as n8n's own nodes offer them on every Get Many. */
export const returnAllProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How many items the builder asked for: undefined for Return All. */
export function limitOf(p: ResolvedParameters): number | undefined {
	return p.returnAll === true ? undefined : (p.limit as number);
}

/** The page size to ask for: the limit when it is smaller than a page, a whole page otherwise. */
export function pageSizeOf(p: ResolvedParameters): number {
	const limit = limitOf(p);
	return limit === undefined || !Number.isInteger(limit)
		? PAGE_SIZE
		: Math.min(Math.max(limit, 1), PAGE_SIZE);
}

/** Limit, as an expression may set it: a whole number of at least 1 (the field's own minimum). */
export const limitCheck = leaf((value) =>
	value === undefined || (typeof value === 'number' && Number.isInteger(value) && value >= 1)
		? undefined
		: `expected a whole number of at least 1, got ${typeof value === 'number' ? String(value) : kindOf(value)}. Or turn on Return All.`,
);

/**
 * The request for the page after this answer, by Meta's cursor (`paging.cursors.after`), or
 * undefined on the last page: no cursor, or a page with no entries.
 */
export function nextByCursor(answer: IDataObject, request: CallRequest): CallRequest | undefined {
	const data = answer.data;
	const paging = answer.paging as { cursors?: { after?: unknown } } | undefined;
	const after = paging?.cursors?.after;
	if (typeof after !== 'string' || after === '' || !Array.isArray(data) || data.length === 0)
		return undefined;
	return { ...request, query: { ...request.query, after } };
}
