import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { leaf, optionalText, text } from '../../shared/checks';
import { LIMITS } from '../../shared/limits';
import type { KaleyraOperation } from '../../shared/types';
import { addressProperties, messageOptions, str } from './fields';
import {
	buttonLabelProperty,
	footerProperty,
	headerProperties,
	interactiveBody,
	interactiveLabels,
	interactiveMessage,
	interactiveSchema,
} from './interactive';

/** Meta's limits (docs/kaleyra-api.md §5.2, decision: rows are counted in total, over all sections). */
const MAX_ROWS = LIMITS.listRows;
const MAX_SECTIONS = LIMITS.listSections;

interface RowInput {
	section?: unknown;
	id?: unknown;
	title?: unknown;
	description?: unknown;
}

/**
 * A row's text as sent: text trimmed, a number (a SKU) as text. An object or a list stays as it is
 * for the check to refuse, naming the row; as text it would be sent as "[object Object]".
 */
function textOf(value: unknown): unknown {
	if (value !== null && typeof value === 'object') return value;
	return str(value).trim();
}

function row(input: RowInput): IDataObject {
	const out: IDataObject = { id: textOf(input.id) as string, title: textOf(input.title) as string };
	const description = textOf(input.description);
	if (description !== '') out.description = description as string;
	return out;
}

/**
 * The sections of the list, from rows that each name their section (the Rows field, or an array of
 * rows from an expression), or from an array of sections `{ title, rows }` as Meta writes them.
 * Rows keep their order; a section appears where its first row does.
 */
export function listSections(value: unknown): unknown {
	let entries = value;
	if (typeof value === 'string') {
		try {
			entries = JSON.parse(value === '' ? '[]' : value);
		} catch {
			return value;
		}
	}
	// Anything but an array is kept as it is, for the check to quote.
	if (!Array.isArray(entries)) return entries;
	if (
		entries.every(
			(entry) =>
				entry !== null && typeof entry === 'object' && Array.isArray((entry as IDataObject).rows),
		)
	)
		return (entries as Array<{ title?: unknown; rows: RowInput[] }>).map((section) => ({
			...(textOf(section.title) === '' ? {} : { title: textOf(section.title) }),
			rows: section.rows.map(row),
		}));
	const sections: Array<{ title: string; rows: IDataObject[] }> = [];
	for (const entry of entries as RowInput[]) {
		const title = textOf(entry?.section) as string;
		let section = sections.find((s) => s.title === title);
		if (section === undefined) sections.push((section = { title, rows: [] }));
		section.rows.push(row(entry ?? {}));
	}
	return sections.map(({ title, rows }) => (title === '' ? { rows } : { title, rows }));
}

/** Row numbers count over all sections, as the user sees the rows: "Row 11" is the eleventh row. */
const sectionsSchema = z.unknown().superRefine((value, ctx) => {
	if (!Array.isArray(value)) {
		ctx.addIssue({
			code: 'custom',
			path: ['rows'],
			message: `expected an array of rows like [{ "id": "sku-1", "title": "Blue T-shirt" }], got ${JSON.stringify(value)?.slice(0, 80) ?? String(value)}.`,
		});
		return;
	}
	const sections = value as Array<{ title?: unknown; rows: IDataObject[] }>;
	const total = sections.reduce((sum, s) => sum + s.rows.length, 0);
	if (total === 0) {
		ctx.addIssue({
			code: 'custom',
			path: ['rows'],
			message: 'the list has no rows. Add at least one row (ID and title).',
		});
		return;
	}
	if (total > MAX_ROWS)
		ctx.addIssue({
			code: 'custom',
			path: ['rows', MAX_ROWS],
			message: `WhatsApp allows at most ${MAX_ROWS} rows in a list, over all sections; this list has ${total}. Remove ${total - MAX_ROWS}, or send a second list.`,
		});
	if (sections.length > MAX_SECTIONS)
		ctx.addIssue({
			code: 'custom',
			path: ['title'],
			message: `WhatsApp allows at most ${MAX_SECTIONS} sections; this list has ${sections.length}.`,
		});
	const seenIds = new Map<string, number>();
	let n = 0;
	for (const section of sections) {
		// A single section's title is optional, but what is given is sent, so it is checked too.
		const problem =
			sections.length > 1
				? text(
						LIMITS.listTitle,
						'a section title for each row: a list with several sections needs them',
					)(section.title)
				: optionalText(LIMITS.listTitle)(section.title);
		if (problem !== undefined)
			ctx.addIssue({ code: 'custom', path: ['rows', n, 'section'], message: problem });
		for (const r of section.rows) {
			const idProblem = text(
				LIMITS.listRowId,
				'the row ID your workflow receives when this row is picked',
			)(r.id);
			if (idProblem !== undefined)
				ctx.addIssue({ code: 'custom', path: ['rows', n, 'id'], message: idProblem });
			else if (seenIds.has(String(r.id)))
				ctx.addIssue({
					code: 'custom',
					path: ['rows', n, 'id'],
					message: `"${String(r.id)}" is also the ID of row ${seenIds.get(String(r.id))! + 1}. Give each row its own ID.`,
				});
			else seenIds.set(String(r.id), n);
			const titleProblem = text(LIMITS.listTitle, 'the row title')(r.title);
			if (titleProblem !== undefined)
				ctx.addIssue({ code: 'custom', path: ['rows', n, 'title'], message: titleProblem });
			const descriptionProblem = optionalText(LIMITS.listRowDescription)(r.description);
			if (descriptionProblem !== undefined)
				ctx.addIssue({
					code: 'custom',
					path: ['rows', n, 'description'],
					message: descriptionProblem,
				});
			n++;
		}
	}
});

export const sendList: KaleyraOperation = {
	value: 'sendList',
	name: 'Send List',
	action: 'Send a list message',
	description: `A menu of up to ${LIMITS.listRows} rows (products, time slots, options) behind a button; the pick comes back as an incoming message`,
	properties: [
		...addressProperties,
		interactiveBody,
		buttonLabelProperty(
			'See products',
			`The button that opens the list, up to ${LIMITS.buttonLabel} characters`,
		),
		{
			displayName: 'Rows From',
			name: 'rowsSource',
			type: 'options',
			default: 'fields',
			options: [
				{ name: 'Fields', value: 'fields', description: 'Enter each row below' },
				{
					name: 'Expression',
					value: 'expression',
					description: 'An array of rows built upstream, e.g. the products of a shop order',
				},
			],
		},
		{
			displayName: 'Rows',
			name: 'rows',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			placeholder: 'Add Row',
			description: `Up to ${LIMITS.listRows} rows in total. Rows with the same section title are grouped under it.`,
			displayOptions: { show: { rowsSource: ['fields'] } },
			options: [
				{
					displayName: 'Row',
					name: 'row',
					values: [
						{
							displayName: 'Title',
							name: 'title',
							type: 'string',
							default: '',
							description: `Up to ${LIMITS.listTitle} characters`,
						},
						{
							displayName: 'ID',
							name: 'id',
							type: 'string',
							default: '',
							description: `What your workflow receives when this row is picked (the list reply ID), up to ${LIMITS.listRowId} characters`,
						},
						{
							displayName: 'Description',
							name: 'description',
							type: 'string',
							default: '',
							description: `Grey text under the title, up to ${LIMITS.listRowDescription} characters`,
						},
						{
							displayName: 'Section Title',
							name: 'section',
							type: 'string',
							default: '',
							description: `Groups rows under a heading, up to ${LIMITS.listTitle} characters; needed on every row once there are several sections`,
						},
					],
				},
			],
		},
		{
			displayName: 'Rows (JSON)',
			name: 'rowsJson',
			type: 'json',
			default: '[]',
			hint: 'E.g. {{ $json.line_items.map(item => ({ id: item.sku, title: item.name, description: item.price })) }}',
			description:
				'An array of rows, each with an ID, a title and optionally a description and a section title; or an array of sections, each with a title and its rows, as WhatsApp writes them',
			displayOptions: { show: { rowsSource: ['expression'] } },
		},
		footerProperty,
		...headerProperties(false),
		messageOptions(true),
	],
	fieldLabels: {
		...interactiveLabels,
		'body.messaging_object.interactive.action.button': 'buttonText',
		'body.messaging_object.interactive.action.sections.rows': 'rows',
		'body.messaging_object.interactive.action.sections.title': 'rows',
		'body.messaging_object.interactive.action.sections.rows.#': 'rows.row',
		'body.messaging_object.interactive.action.sections.rows.#.id': 'rows.row.id',
		'body.messaging_object.interactive.action.sections.rows.#.title': 'rows.row.title',
		'body.messaging_object.interactive.action.sections.rows.#.description': 'rows.row.description',
		'body.messaging_object.interactive.action.sections.rows.#.section': 'rows.row.section',
	},
	build: (p) => {
		const rows =
			str(p.rowsSource) === 'expression'
				? p.rowsJson
				: ((p.rows ?? {}) as { row?: RowInput[] }).row;
		return interactiveMessage(p, 'list', {
			button: str(p.buttonText).trim(),
			sections: listSections(rows) as IDataObject[],
		});
	},
	schema: interactiveSchema(
		['text'],
		z.object({
			button: leaf(text(LIMITS.buttonLabel, 'the label of the button that opens the list')),
			sections: sectionsSchema,
		}),
	),
};
