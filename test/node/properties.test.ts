/**
 * Issue 6, property-based: every field of the message operations gets arbitrary values (strings
 * with any Unicode, numbers, NaN, booleans, null, objects, arrays, huge text) through n8n's engine.
 * Each run either sends exactly the content given, or fails naming a field with nothing sent;
 * nothing else escapes (no TypeError, no unhandled rejection, no node crash).
 *
 * Bounded for the default run (PROPERTY_RUNS, default 10 per operation, 5 for the other operations, values up to 300 characters
 * and one 100,000-character value kind); PROPERTY_RUNS=500 for a long run.
 */
import fc from 'fast-check';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { SEEDED_TEMPLATES } from '../../sandbox/templates';
import { POD_BASE_URLS, itemsOf, loadFixture, run, withNode } from './support';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10);
const BASE = POD_BASE_URLS.in;

/** Anything an expression can yield. */
const anything = fc.oneof(
	{ weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			'',
			' ',
			'\u200B',
			'\uD83D',
			'👍',
			'\\u{110000}',
			'+919811111111',
			'919811111111.0',
			'https://cdn.example.com/a.jpg',
			'wamid.X',
		),
	},
	{ weight: 1, arbitrary: fc.constant('y'.repeat(100_000)) },
	{
		weight: 1,
		arbitrary: fc.oneof(
			fc.integer(),
			fc.double(),
			fc.constant(Number.NaN),
			fc.constant(919811111111),
		),
	},
	{ weight: 1, arbitrary: fc.boolean() },
	{ weight: 1, arbitrary: fc.constant(null) },
	{
		weight: 1,
		arbitrary: fc.oneof(fc.object({ maxDepth: 1 }), fc.array(fc.string(), { maxLength: 3 })),
	},
);

interface Case {
	fixture: string;
	/** The node's fields, each taken from item.json.<key> by an expression. */
	parameters: (keys: string[]) => IDataObject;
	fields: string[];
	/** The labels a failure may name. */
	labels: string[];
	/** What must reach Kaleyra unchanged when the run is accepted: [path in the body, field]. */
	exact: Array<[(body: IDataObject) => unknown, string, (value: unknown) => unknown]>;
}

const mo = (body: IDataObject) => body.messaging_object as IDataObject;
const asText = (value: unknown) => (typeof value === 'number' ? String(value) : value);
const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : asText(value));

const cases: Record<string, Case> = {
	'Send Text': {
		fixture: 'send-text',
		fields: ['recipient', 'body', 'ref', 'ref1', 'previewUrl'],
		parameters: () => ({
			recipient: '={{ $json.recipient }}',
			body: '={{ $json.body }}',
			previewUrl: '={{ $json.previewUrl }}',
			options: { ref: '={{ $json.ref }}', ref1: '={{ $json.ref1 }}' },
		}),
		labels: [
			'Recipient',
			'Body',
			'Link Preview',
			'Options → Reference (Ref)',
			'Options → Reference 1 (Ref1)',
		],
		exact: [[(b) => (mo(b).text as IDataObject).body, 'body', asText]],
	},
	'Send Text, every option from an expression': {
		fixture: 'send-text',
		fields: [
			'ref',
			'ref1',
			'ref2',
			'waSource',
			'messagesInFlight',
			'messagesPerSecond',
			'maxThrottleWait',
		],
		parameters: () => ({
			options: {
				ref: '={{ $json.ref }}',
				ref1: '={{ $json.ref1 }}',
				ref2: '={{ $json.ref2 }}',
				waSource: '={{ $json.waSource }}',
				messagesInFlight: '={{ $json.messagesInFlight }}',
				messagesPerSecond: '={{ $json.messagesPerSecond }}',
				maxThrottleWait: '={{ $json.maxThrottleWait }}',
			},
		}),
		labels: [
			'Options → Reference (Ref)',
			'Options → Reference 1 (Ref1)',
			'Options → Reference 2 (Ref2)',
			'Options → Source (Wa_source)',
			'Options → Messages in Flight',
			'Options → Messages per Second',
			'Options → Max Throttle Wait (Minutes)',
		],
		exact: [],
	},
	'Send Reaction': {
		fixture: 'send-reaction',
		fields: ['from', 'messageId', 'emoji'],
		parameters: () => ({}),
		labels: ['Recipient', 'Message ID', 'Emoji'],
		exact: [[(b) => (mo(b).reaction as IDataObject).message_id, 'messageId', trimmed]],
	},
	'Send Media': {
		fixture: 'send-media-document',
		fields: ['phone', 'link', 'caption', 'fileName'],
		parameters: () => ({
			recipient: '={{ $json.phone }}',
			mediaLink: '={{ $json.link }}',
			caption: '={{ $json.caption }}',
			fileName: '={{ $json.fileName }}',
		}),
		labels: ['Recipient', 'Media Link', 'Caption', 'File Name', 'Media Source'],
		exact: [
			[
				(b) => (mo(b).document as IDataObject).caption,
				'caption',
				(v) => (v === '' || v === null || v === undefined ? undefined : asText(v)),
			],
		],
	},
	'Send Reply Buttons': {
		fixture: 'send-reply-buttons',
		fields: ['phone', 'body', 'footer', 'title', 'id'],
		parameters: () => ({
			recipient: '={{ $json.phone }}',
			body: '={{ $json.body }}',
			footer: '={{ $json.footer }}',
			buttons: { button: [{ title: '={{ $json.title }}', id: '={{ $json.id }}' }] },
		}),
		labels: ['Recipient', 'Body', 'Footer', 'Buttons', 'Button 1 → Title', 'Button 1 → ID'],
		exact: [],
	},
};

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('Property: every field, any value → exactly the content given, or a failure naming a field with nothing sent', () => {
	it.each(Object.keys(cases))(
		'%s',
		async (name) => {
			const { fixture, fields, parameters, labels, exact } = cases[name];
			const workflow = withNode(loadFixture(fixture), {
				parameters: parameters(fields),
				onError: 'continueRegularOutput',
			});
			await fc.assert(
				fc.asyncProperty(
					fc.record(Object.fromEntries(fields.map((field) => [field, anything]))),
					async (values) => {
						nock.cleanAll();
						const bodies: IDataObject[] = [];
						nock('https://api.in.kaleyra.io')
							.persist()
							.post(/.*/)
							.reply(202, (_uri, body) => {
								bodies.push(
									typeof body === 'string'
										? (Object.fromEntries(new URLSearchParams(body)) as IDataObject)
										: (body as IDataObject),
								);
								return {
									code: 'WA202',
									message: 'Request Accepted',
									data: { message_id: 'wamid.P' },
									error: {},
								};
							});
						const result = await run(workflow, [values as IDataObject]);
						nock.cleanAll();
						// The node itself never fails with Continue on: every outcome is an item.
						expect(result.error).toBeUndefined();
						const items = itemsOf(result);
						expect(items).toHaveLength(1);
						const json = items[0].json;
						if (json.status === 'accepted') {
							expect(bodies).toHaveLength(1);
							for (const [read, field, expected] of exact)
								expect(read(bodies[0])).toEqual(expected(values[field]));
						} else {
							expect(bodies).toHaveLength(0);
							expect(json).toMatchObject({ code: 'INVALID_INPUT', maybeSent: false });
							expect(labels).toContain(json.field);
							expect(String(json.error).length).toBeLessThan(2_000);
						}
					},
				),
				{ numRuns: RUNS },
			);
		},
		120_000,
	);
});

/** The node's parameters with every text leaf (options included) taken from the item: `={{ $json.p0 }}`, `p1`, … */
function everyTextFromItem(parameters: IDataObject, keys: string[]): IDataObject {
	const KEEP = new Set([
		'resource',
		'operation',
		'businessNumber',
		'contactsSource',
		'rowsSource',
		'headerType',
		'mediaType',
		'mediaSource',
		'phoneType',
		'mode',
		'mappingMode',
		'variablesInput',
		'schema',
		'cachedResultName',
	]);
	const walk = (value: unknown, name: string): unknown => {
		if (typeof value === 'string') {
			if (KEEP.has(name)) return value;
			keys.push(`p${keys.length}`);
			return `={{ $json.${keys[keys.length - 1]} }}`;
		}
		if (KEEP.has(name)) return value;
		if (Array.isArray(value)) return value.map((entry) => walk(entry, name));
		if (value !== null && typeof value === 'object')
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
		return value;
	};
	return walk(parameters, '') as IDataObject;
}

describe('Property: the other message operations, every text field from the item', () => {
	it.each([
		'send-location',
		'send-contacts',
		'send-cta-url',
		'send-list',
		'send-interactive-buttons',
		'request-location',
		'mark-as-read',
		'send-template-order-shipped',
	])(
		'%s: accepted with one request, or INVALID_INPUT naming a field with none',
		async (fixture) => {
			const base = loadFixture(fixture);
			const node = base.nodes.find((n) => n.name === 'Send WhatsApp')!;
			const keys: string[] = [];
			const workflow = withNode(base, {
				parameters: everyTextFromItem(node.parameters as IDataObject, keys),
				onError: 'continueRegularOutput',
			});
			await fc.assert(
				fc.asyncProperty(
					fc.record(Object.fromEntries(keys.map((key) => [key, anything]))),
					async (values) => {
						nock.cleanAll();
						let requests = 0;
						nock(BASE)
							.persist()
							.post(/.*/)
							.reply(202, () => {
								requests++;
								return {
									code: 'WA202',
									message: 'Request Accepted',
									data: { message_id: 'wamid.P' },
									error: {},
								};
							});
						// Send Template reads the template's definition first (a read, not a send).
						nock(BASE)
							.persist()
							.get(/message_templates/)
							.reply(200, {
								data: SEEDED_TEMPLATES.filter((t: { name: string }) => t.name === 'order_shipped'),
								paging: {},
							});
						// With a WABA ID, so that Send Template's variables are checked against the definition.
						const result = await run(workflow, [values as IDataObject], {
							pod: 'in',
							wabaId: '104583920017284',
						} as never);
						nock.cleanAll();
						expect(result.error).toBeUndefined();
						const [item, ...more] = itemsOf(result);
						expect(more).toEqual([]);
						if (item.json.code === 'INVALID_INPUT') {
							expect(requests).toBe(0);
							expect(typeof item.json.field).toBe('string');
							expect(String(item.json.error).length).toBeLessThan(2_000);
						} else {
							expect(requests).toBe(1);
							expect(item.json.error).toBeUndefined();
						}
					},
				),
				{ numRuns: Math.max(5, Math.round(RUNS / 2)) },
			);
		},
		120_000,
	);
});
