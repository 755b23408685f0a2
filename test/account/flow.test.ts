/** Issue 17 point 7: Flow → Get Many, Create and Publish, as call operations: exact requests and items. */
import {
	API_KEY,
	SID,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	run,
	setUpNock,
} from '../node/support';
import { GET_HEADERS, WABA_ID, WITH_WABA, accountWorkflow } from './support';

setUpNock();

const BASE = 'https://api.in.kaleyra.io';
const FLOWS = `${BASE}/v2/${SID}/whatsapp/${WABA_ID}/flows`;
const FIELDS = 'fields=id%2Cname%2Cstatus%2Ccategories%2Cvalidation_errors';
const JSON_HEADERS = {
	'api-key': API_KEY,
	'content-type': 'application/json',
	accept: 'application/json',
};
const FLOW_JSON = JSON.stringify({
	version: '6.0',
	screens: [
		{
			id: 'BOOK',
			title: 'Book a test drive',
			layout: { type: 'SingleColumnLayout', children: [] },
		},
	],
});

const flow = (id: string, status = 'DRAFT') => ({
	id,
	name: `Flow ${id}`,
	status,
	categories: ['APPOINTMENT_BOOKING'],
	validation_errors: [],
});

describe('Flow → Get Many', () => {
	it('point 7: Return All follows every page; one item per Flow', async () => {
		const { received } = kaleyra(
			BASE,
			[
				{
					status: 200,
					body: { data: [flow('1'), flow('2')], paging: { cursors: { after: 'p2' } } },
				},
				{ status: 200, body: { data: [flow('3', 'PUBLISHED')], paging: {} } },
			],
			'GET',
		);
		const result = await run(
			accountWorkflow({ resource: 'flow', operation: 'getMany', returnAll: true }),
			[{}],
			WITH_WABA,
		);
		expect(received).toEqual([
			{ method: 'GET', url: `${FLOWS}?${FIELDS}&limit=100`, headers: GET_HEADERS, body: '' },
			{
				method: 'GET',
				url: `${FLOWS}?${FIELDS}&limit=100&after=p2`,
				headers: GET_HEADERS,
				body: '',
			},
		]);
		expect(itemsOf(result)).toEqual(
			[flow('1'), flow('2'), flow('3', 'PUBLISHED')].map((json) => ({
				json,
				pairedItem: { item: 0 },
			})),
		);
	});

	it('point 7: Limit 1: one page of one, one item', async () => {
		const { received } = kaleyra(
			BASE,
			[{ status: 200, body: { data: [flow('1')], paging: { cursors: { after: 'p2' } } } }],
			'GET',
		);
		const result = await run(
			accountWorkflow({ resource: 'flow', operation: 'getMany', returnAll: false, limit: 1 }),
			[{}],
			WITH_WABA,
		);
		expect(received.map((request) => request.url)).toEqual([`${FLOWS}?${FIELDS}&limit=1`]);
		expect(itemsOf(result).map(({ json }) => json.id)).toEqual(['1']);
	});
});

describe('Flow → Create', () => {
	it('point 7: one POST with name, categories and the Flow JSON as a string; the item has the new ID, DRAFT', async () => {
		const { received } = kaleyra(BASE, [
			{
				status: 200,
				body: { code: 'WA200', data: { id: '7001', success: true, validation_errors: [] } },
			},
		]);
		const result = await run(
			accountWorkflow({
				resource: 'flow',
				operation: 'create',
				name: 'Test drive',
				categories: ['APPOINTMENT_BOOKING', 'LEAD_GENERATION'],
				flowJson: FLOW_JSON,
			}),
			[{}],
			WITH_WABA,
		);
		expect(received).toEqual([
			{
				method: 'POST',
				url: FLOWS,
				headers: JSON_HEADERS,
				body: {
					name: 'Test drive',
					categories: ['APPOINTMENT_BOOKING', 'LEAD_GENERATION'],
					flow_json: FLOW_JSON,
				},
			},
		]);
		expect(itemsOf(result)).toEqual([
			{
				json: { id: '7001', name: 'Test drive', status: 'DRAFT', validationErrors: [] },
				pairedItem: { item: 0 },
			},
		]);
	});

	it.each([
		[{ flowJson: '{"version":"6.0"' }, 'Flow JSON: it is not valid JSON'],
		[
			{ flowJson: '{"screens":[{}]}' },
			'Flow JSON: it has no "version" (text, e.g. "6.0"), which Meta requires.',
		],
		[
			{ flowJson: '{"version":"6.0","screens":[]}' },
			'Flow JSON: it has no "screens" (a list with at least one screen), which Meta requires.',
		],
		[{ categories: '={{ [] }}' }, 'Categories: choose at least one category'],
		[{ name: '={{ "  " }}' }, 'Name: it is empty. Enter the Flow name.'],
	])('point 7: %# a field Meta would refuse is named; nothing is sent', async (change, message) => {
		const result = await run(
			accountWorkflow({
				resource: 'flow',
				operation: 'create',
				name: 'Test drive',
				categories: ['OTHER'],
				flowJson: FLOW_JSON,
				...change,
			}),
			[{}],
			WITH_WABA,
		);
		expect(result.error?.message.startsWith(message)).toBe(true);
	});

	it('point 7: without a WABA ID the item is refused naming it', async () => {
		const result = await run(
			accountWorkflow({
				resource: 'flow',
				operation: 'create',
				name: 'x',
				categories: ['OTHER'],
				flowJson: FLOW_JSON,
			}),
			[{}],
		);
		expect(result.error?.message).toMatch(
			/^Credential → WABA ID: it is empty, and Flows belong to the WhatsApp Business Account\./,
		);
	});
});

describe('Flow → Publish', () => {
	it('point 7: one POST to /v2/<SID>/whatsapp/<flow ID>/publish without a body', async () => {
		const { received } = kaleyra(BASE, [
			{ status: 200, body: { code: 'WA200', data: { success: true } } },
		]);
		const result = await run(
			accountWorkflow({ resource: 'flow', operation: 'publish', flowId: '7001' }),
			[{}],
			WITH_WABA,
		);
		expect(received).toEqual([
			{
				method: 'POST',
				url: `${BASE}/v2/${SID}/whatsapp/7001/publish`,
				headers: GET_HEADERS,
				body: '',
			},
		]);
		expect(itemsOf(result)).toEqual([
			{ json: { flowId: '7001', status: 'PUBLISHED', success: true }, pairedItem: { item: 0 } },
		]);
	});

	it('point 7: a refusal says what Meta publishes', async () => {
		kaleyra(BASE, [
			{
				status: 400,
				body: {
					code: 'WA400',
					message: 'Refer to correct payload format',
					data: {},
					error: { flow_id: 'a PUBLISHED Flow cannot be published' },
				},
			},
		]);
		const result = await run(
			accountWorkflow({ resource: 'flow', operation: 'publish', flowId: '7001' }),
			[{}],
			WITH_WABA,
		);
		expect(result.error?.description).toContain(
			'Meta publishes only a DRAFT Flow without validation errors',
		);
	});

	it('point 7: a Flow ID that is not digits is refused; nothing is sent', async () => {
		const result = await run(
			accountWorkflow({ resource: 'flow', operation: 'publish', flowId: '../x' }),
			[{}],
			WITH_WABA,
		);
		expect(result.error?.message).toBe(
			'Flow ID: "../x" is not a Flow ID: Meta\'s IDs are digits, as Flow → Get Many shows them.',
		);
	});

	itKeepsTheApiKeyOutOfEverythingUsersSee();
});
