import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { clip, kindOf, leaf, text } from '../../shared/checks';
import type { CallOperation, ResolvedParameters } from '../../shared/types';
import { str } from '../message/fields';
import { choicesOf, wabaIdIssues } from '../template/common';
import { FLOW_CATEGORIES, flowsPath } from './common';

/** Meta's limit on a Flow's name. */
const FLOW_NAME_MAX = 200;

/** The Flow JSON field as text: Meta takes it as a string, and it must be a Flow (a version and screens). */
function flowJsonOf(p: ResolvedParameters): unknown {
	return typeof p.flowJson === 'string' ? p.flowJson : JSON.stringify(p.flowJson);
}

const flowJson = leaf((value) => {
	if (typeof value !== 'string' || value.trim() === '')
		return 'it is empty. Enter the Flow JSON (from Meta\'s Flow Builder: { "version": "…", "screens": [ … ] }).';
	let parsed: unknown;
	try {
		parsed = JSON.parse(value);
	} catch (error) {
		return `it is not valid JSON (${(error as Error).message}).`;
	}
	const flow = parsed as { version?: unknown; screens?: unknown };
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
		return `expected a Flow object, got ${kindOf(parsed)}.`;
	if (typeof flow.version !== 'string')
		return 'it has no "version" (text, e.g. "6.0"), which Meta requires.';
	if (!Array.isArray(flow.screens) || flow.screens.length === 0)
		return 'it has no "screens" (a list with at least one screen), which Meta requires.';
	return undefined;
});

const categories = leaf((value) => {
	if (!Array.isArray(value) || value.length === 0)
		return `choose at least one category (${FLOW_CATEGORIES.join(', ')}).`;
	const unknown = value.find(
		(category) => !(FLOW_CATEGORIES as readonly unknown[]).includes(category),
	);
	return unknown === undefined
		? undefined
		: `"${clip(String(unknown))}" is not a Flow category. Use: ${FLOW_CATEGORIES.join(', ')}.`;
});

/** A new Flow in DRAFT (publish it with Flow → Publish): its name, categories and Flow JSON. */
export const create: CallOperation = {
	kind: 'call',
	value: 'create',
	name: 'Create',
	action: 'Create a flow',
	description: 'Create a Flow (a draft) from its name, categories and Flow JSON',
	properties: [
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			required: true,
			description: "The Flow's name, as WhatsApp Manager lists it",
		},
		{
			displayName: 'Categories',
			name: 'categories',
			type: 'multiOptions',
			default: ['OTHER'],
			required: true,
			options: choicesOf(FLOW_CATEGORIES),
			description: 'What the Flow is for',
		},
		{
			displayName: 'Flow JSON',
			name: 'flowJson',
			type: 'json',
			default: '',
			required: true,
			description: "The Flow's screens, as Meta's Flow Builder exports them",
		},
	],
	fieldLabels: { name: 'name', categories: 'categories', flow_json: 'flowJson' },
	checkParameters: (_p, account) => wabaIdIssues(account, 'Flows'),
	build: (p, account) => {
		const json: IDataObject = {
			name: str(p.name).trim(),
			categories: p.categories as string[],
			flow_json: flowJsonOf(p) as string,
		};
		return { method: 'POST', path: flowsPath(account), json, checked: json };
	},
	schema: z.object({
		name: leaf(text(FLOW_NAME_MAX, 'the Flow name')),
		categories,
		flow_json: flowJson,
	}),
	toItems: (answer, p) => {
		const created = (
			answer.data !== null && typeof answer.data === 'object' && !Array.isArray(answer.data)
				? answer.data
				: answer
		) as IDataObject;
		return [
			{
				id:
					typeof created.id === 'string' || typeof created.id === 'number'
						? String(created.id)
						: null,
				name: str(p.name).trim(),
				status: 'DRAFT',
				validationErrors: Array.isArray(created.validation_errors) ? created.validation_errors : [],
			},
		];
	},
};
