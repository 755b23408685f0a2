/**
 * Issue 17 point 5: Template → Get Many (every page as items, Return All / Limit, filters) and
 * Template → Get (one template with its components and variables), as call operations.
 */
import {
	SID,
	INDIA,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	run,
	setUpNock,
} from '../node/support';
import { GET_HEADERS, WABA_ID, WITH_WABA, accountWorkflow } from './support';

setUpNock();

const BASE = 'https://api.in.kaleyra.io';
const LISTING = `${BASE}/v2/${SID}/whatsapp/${WABA_ID}/message_templates`;

const template = (name: string, language = 'en', status = 'APPROVED', category = 'UTILITY') => ({
	id: `id-${name}-${language}`,
	name,
	language,
	status,
	category,
	components: [
		{
			type: 'BODY',
			text: 'Hello {{1}}, order {{2}} is on its way',
			example: { body_text: [['Asha', 'A-1001']] },
		},
	],
});
const page = (templates: unknown[], after?: string) => ({
	status: 200,
	body: { data: templates, paging: after === undefined ? {} : { cursors: { after } } },
});

const getMany = (parameters: Record<string, unknown> = {}) =>
	accountWorkflow({ resource: 'template', operation: 'getMany', ...parameters });

describe('Template → Get Many', () => {
	it("point 5: Return All follows every page (Meta's cursor), one item per template, paired to the input item", async () => {
		const { received } = kaleyra(
			BASE,
			[page([template('a'), template('b')], 'c1'), page([template('c')], 'c2'), page([])],
			'GET',
		);
		const result = await run(getMany({ returnAll: true }), [{}], WITH_WABA);
		expect(result.error).toBeUndefined();
		expect(received).toEqual([
			{ method: 'GET', url: `${LISTING}?limit=100`, headers: GET_HEADERS, body: '' },
			{ method: 'GET', url: `${LISTING}?limit=100&after=c1`, headers: GET_HEADERS, body: '' },
			{ method: 'GET', url: `${LISTING}?limit=100&after=c2`, headers: GET_HEADERS, body: '' },
		]);
		expect(itemsOf(result)).toEqual(
			[template('a'), template('b'), template('c')].map((json) => ({
				json,
				pairedItem: { item: 0 },
			})),
		);
	});

	it('point 5: Limit asks for that many a page and stops when it has them (no further page)', async () => {
		const { received } = kaleyra(
			BASE,
			[page([template('a'), template('b')], 'c1'), page([template('c'), template('d')], 'c2')],
			'GET',
		);
		const result = await run(getMany({ returnAll: false, limit: 3 }), [{}], WITH_WABA);
		expect(received.map((request) => request.url)).toEqual([
			`${LISTING}?limit=3`,
			`${LISTING}?limit=3&after=c1`,
		]);
		expect(itemsOf(result).map(({ json }) => json.name)).toEqual(['a', 'b', 'c']);
	});

	it('point 5: the filters go to Kaleyra and hold on what it answers (name contains, language, status, category)', async () => {
		const { received } = kaleyra(
			BASE,
			[
				page([
					template('order_shipped', 'en'),
					template('order_shipped', 'hi'),
					template('order_paused', 'en', 'PAUSED'),
					template('order_promo', 'en', 'APPROVED', 'MARKETING'),
				]),
			],
			'GET',
		);
		const result = await run(
			getMany({
				returnAll: true,
				filters: { name: 'ORDER', language: 'en', status: 'APPROVED', category: 'UTILITY' },
			}),
			[{}],
			WITH_WABA,
		);
		expect(received.map((request) => request.url)).toEqual([
			`${LISTING}?limit=100&name=ORDER&language=en&status=APPROVED&category=UTILITY`,
		]);
		expect(itemsOf(result).map(({ json }) => [json.name, json.language])).toEqual([
			['order_shipped', 'en'],
		]);
	});

	it('point 5: without a WABA ID in the credential the item is refused naming it, and nothing is asked', async () => {
		const result = await run(getMany({ returnAll: true }), [{}], INDIA);
		expect(result.error?.message).toBe(
			'Credential → WABA ID: it is empty, and templates belong to the WhatsApp Business Account. Open the Kaleyra WhatsApp API credential and enter the WABA ID (Kaleyra console → Channels → WhatsApp → Manage).',
		);
	});

	it('point 5: a Limit of 0 from an expression is refused naming Limit; nothing is asked', async () => {
		const result = await run(getMany({ returnAll: false, limit: '={{ 0 }}' }), [{}], WITH_WABA);
		expect(result.error?.message).toBe(
			'Limit: expected a whole number of at least 1, got 0. Or turn on Return All.',
		);
	});

	it('point 5: a page the node cannot read fails the item with UNREADABLE_ANSWER (On Error → Continue: an error item)', async () => {
		kaleyra(
			BASE,
			[{ status: 200, body: { data: [{ name: 'x', language: 'en', components: 5 }] } }],
			'GET',
		);
		const result = await run(
			accountWorkflow(
				{ resource: 'template', operation: 'getMany', returnAll: true },
				'continueRegularOutput',
			),
			[{}],
			WITH_WABA,
		);
		const [item] = itemsOf(result);
		expect(item.json).toEqual({
			error:
				'Kaleyra\'s template listing has a template "x" the node cannot read: components: Expected array, received number [UNREADABLE_ANSWER]',
			description: expect.stringContaining('Check the template in Kaleyra'),
			code: 'UNREADABLE_ANSWER',
			httpStatus: 200,
			retryable: false,
			maybeSent: false,
		});
	});
});

describe('Template → Get', () => {
	it('point 5: one template by name and language, with its components and the variables they take', async () => {
		const { received } = kaleyra(
			BASE,
			[
				page([
					template('order_shipped', 'en'),
					template('order_shipped', 'hi'),
					template('order_shipped_v2', 'en'),
				]),
			],
			'GET',
		);
		const result = await run(
			accountWorkflow({
				resource: 'template',
				operation: 'get',
				name: 'order_shipped',
				language: 'en',
			}),
			[{}],
			WITH_WABA,
		);
		expect(received).toEqual([
			{
				method: 'GET',
				url: `${LISTING}?limit=100&name=order_shipped`,
				headers: GET_HEADERS,
				body: '',
			},
		]);
		expect(itemsOf(result)).toEqual([
			{
				json: {
					...template('order_shipped', 'en'),
					variables: [
						{
							key: 'body_1',
							component: 'body',
							name: '1',
							kind: 'text',
							label: 'Body {{1}}',
							example: 'Asha',
							required: true,
						},
						{
							key: 'body_2',
							component: 'body',
							name: '2',
							kind: 'text',
							label: 'Body {{2}}',
							example: 'A-1001',
							required: true,
						},
					],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('point 5: a name the listing does not have fails with NOT_FOUND, naming it', async () => {
		kaleyra(BASE, [page([template('order_shipped_v2')])], 'GET');
		const result = await run(
			accountWorkflow({
				resource: 'template',
				operation: 'get',
				name: 'order_shipped',
				language: 'en',
			}),
			[{}],
			WITH_WABA,
		);
		expect(result.error?.message).toBe(
			'The account has no template "order_shipped" in en [NOT_FOUND]',
		);
	});

	itKeepsTheApiKeyOutOfEverythingUsersSee();
});
