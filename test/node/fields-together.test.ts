/**
 * Issue 19 point 4: a campaign's items are read with one expression evaluation per item instead of
 * one per mapped field, and the fields come out exactly as n8n gives them one by one. A reader node
 * with Send Text's fields reads every item both ways through n8n's real engine; arbitrary shop
 * data goes in, and the two must agree on every item, while n8n's expression engine is entered
 * once per item instead of four times.
 */
import fc from 'fast-check';
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { operationFor } from '../../nodes/KaleyraWhatsApp/resources';
import { resolveParameters } from '../../nodes/KaleyraWhatsApp/shared/parameters';
import type { WorkflowFixture } from '../helpers/engine';
import { ITEMS_TRIGGER_TYPE, runWorkflow } from '../helpers/engine';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10);
/** What a shop's field may hold: text, numbers, true/false, null, a list, an object. */
const value = fc.oneof(
	fc.string({ maxLength: 30 }),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
	fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);
const sendText = operationFor('message', 'sendText');

/** Reads each item's Send Text fields together and one by one, and counts the engine's evaluations of each way. */
const reader: INodeType = {
	description: {
		displayName: 'Reader',
		name: 'reader',
		group: ['transform'],
		version: 1,
		description: 'Reads fields both ways',
		defaults: { name: 'Reader' },
		inputs: ['main'],
		outputs: ['main'],
		properties: sendText.properties,
	},
	async execute(this: IExecuteFunctions) {
		let evaluations = 0;
		const counted = Object.create(this, {
			evaluateExpression: {
				value: (expression: string, item: number) => {
					evaluations++;
					return this.evaluateExpression(expression, item);
				},
			},
			getNodeParameter: {
				value: (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
					const [name, , , options] = args as [string, number, unknown, IDataObject?];
					const raw = this.getNodeParameter(name, 0, undefined, { rawExpressions: true });
					if (options?.rawExpressions !== true && JSON.stringify(raw ?? '').includes('"='))
						evaluations++;
					return (this.getNodeParameter as (...a: unknown[]) => unknown)(...args);
				},
			},
		}) as IExecuteFunctions;
		const out = this.getInputData().map((_, item) => {
			evaluations = 0;
			const together = resolveParameters(counted, sendText.properties, item);
			const togetherEvaluations = evaluations;
			evaluations = 0;
			const each = resolveParameters(counted, sendText.properties, item, { together: false });
			return {
				json: {
					together: JSON.parse(JSON.stringify(together)) as IDataObject,
					each: JSON.parse(JSON.stringify(each)) as IDataObject,
					togetherEvaluations,
					eachEvaluations: evaluations,
				},
			};
		});
		return [out];
	},
};

const workflow: WorkflowFixture = {
	nodes: [
		{
			id: '1',
			name: 'Shop',
			type: ITEMS_TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: {},
		},
		{
			id: '2',
			name: 'Reader',
			type: 'test.reader',
			typeVersion: 1,
			position: [200, 0] as [number, number],
			parameters: {
				resource: 'message',
				operation: 'sendText',
				businessNumber: '+919845098450',
				recipient: '={{ $json.phone }}',
				body: '={{ $json.name.toUpperCase() + ", order " + $json.order // mapped by hand\n}}',
				previewUrl: '={{ $json.vip }}',
				options: { ref: '={{ $json.order }}', messagesInFlight: 20 },
			},
		},
	],
	connections: { Shop: { main: [[{ node: 'Reader', type: 'main' as const, index: 0 }]] } },
};

/** The same node as mapped by drag and drop alone: every field names an input field. */
const mappedOnly: WorkflowFixture = {
	...workflow,
	nodes: [
		workflow.nodes[0],
		{
			...workflow.nodes[1],
			parameters: {
				...workflow.nodes[1].parameters,
				body: '={{ $json["name"] }}',
				options: { ref: '={{ $json.order }}', messagesInFlight: 20 },
			},
		},
	],
};

async function readBothWays(items: IDataObject[], read: WorkflowFixture = workflow) {
	const result = await runWorkflow({
		workflow: read,
		nodeTypes: { 'test.reader': reader },
		credentialTypes: [],
		items,
	});
	expect(result.error).toBeUndefined();
	return result.output('Reader').map((i) => i.json);
}

describe('Reading a campaign: every mapped field in one evaluation per item, the same fields as one by one', () => {
	it("gives Asha's fields exactly as n8n does field by field, in one evaluation instead of four", async () => {
		const [asha] = await readBothWays([
			{ phone: '+919811111111', name: 'Asha', order: 1042, vip: true },
		]);
		expect(asha.together).toEqual({
			p: {
				businessNumber: '+919845098450',
				recipient: '+919811111111',
				body: 'ASHA, order 1042',
				previewUrl: true,
				options: { ref: 1042, messagesInFlight: 20 },
				nodeVersion: 1,
			},
		});
		expect(asha.each).toEqual(asha.together);
		expect(asha.togetherEvaluations).toBe(1);
		expect(asha.eachEvaluations).toBe(4);
	});

	it('agrees with field-by-field reading for any shop data, falling back to it where an item needs it', async () => {
		const item = fc.record(
			{ phone: value, name: fc.string({ maxLength: 20 }), order: value, vip: value },
			{ requiredKeys: ['name'] },
		);
		await fc.assert(
			fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 8 }), async (items) => {
				const read = await readBothWays(items as IDataObject[]);
				for (const one of read) expect(one.together).toEqual(one.each);
			}),
			{ numRuns: RUNS },
		);
	});

	it("reads Asha's fields mapped by drag and drop alone ({{ $json.phone }} and the like) straight from her item, without the expression engine, exactly as n8n does one by one", async () => {
		const [asha] = await readBothWays(
			[{ phone: '+919811111111', name: 'Asha', order: 1042, vip: true }],
			mappedOnly,
		);
		expect(asha.together).toEqual({
			p: {
				businessNumber: '+919845098450',
				recipient: '+919811111111',
				body: 'Asha',
				previewUrl: true,
				options: { ref: 1042, messagesInFlight: 20 },
				nodeVersion: 1,
			},
		});
		expect(asha.each).toEqual(asha.together);
		expect(asha.togetherEvaluations).toBe(0);
		expect(asha.eachEvaluations).toBe(4);
	});

	it('reads fields that only name input fields as n8n does for any shop data (missing, nested, lists, null), falling back to n8n where an item needs it', async () => {
		const item = fc.record({ phone: value, name: value, order: value, vip: value });
		await fc.assert(
			fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 8 }), async (items) => {
				const read = await readBothWays(items as IDataObject[], mappedOnly);
				for (const one of read) expect(one.together).toEqual(one.each);
			}),
			{ numRuns: RUNS },
		);
	});

	it('reads Ben, whose name is missing, as n8n does: his Text gives nothing, the other fields their values', async () => {
		const [ben] = await readBothWays([{ phone: '+919822222222', order: 1043, vip: false }]);
		expect(ben.together).toEqual(ben.each);
		expect(ben.together).toEqual({
			p: {
				businessNumber: '+919845098450',
				recipient: '+919822222222',
				previewUrl: false,
				options: { ref: 1043, messagesInFlight: 20 },
				nodeVersion: 1,
			},
		});
	});
});
