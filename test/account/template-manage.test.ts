/**
 * Issue 17 point 5: Template → Create, Edit and Delete. Exact requests; a refusal names the field
 * and sends nothing; an edit Kaleyra refuses says Meta's edit rules.
 */
import {
	SID,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	run,
	setUpNock,
	API_KEY,
} from '../node/support';
import { GET_HEADERS, WABA_ID, WITH_WABA, accountWorkflow } from './support';

setUpNock();

const BASE = 'https://api.in.kaleyra.io';
const TEMPLATES = `${BASE}/v2/${SID}/whatsapp/${WABA_ID}/message_templates`;
const JSON_HEADERS = {
	'api-key': API_KEY,
	'content-type': 'application/json',
	accept: 'application/json',
};

const COMPONENTS = [
	{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['A-1001'] } },
	{
		type: 'BODY',
		text: 'Hello {{1}}, order {{2}} has shipped.',
		example: { body_text: [['Asha', 'A-1001']] },
	},
	{ type: 'FOOTER', text: 'Asha Stores' },
	{
		type: 'BUTTONS',
		buttons: [
			{ type: 'URL', text: 'Track', url: 'https://shop.example.com/t/{{1}}', example: ['A-1001'] },
		],
	},
];

const create = (parameters: Record<string, unknown> = {}) =>
	accountWorkflow({
		resource: 'template',
		operation: 'create',
		name: 'order_shipped',
		language: 'en_US',
		category: 'UTILITY',
		components: JSON.stringify(COMPONENTS),
		...parameters,
	});

describe('Template → Create', () => {
	it('point 5: one POST with name, language, category and components; the item says its ID and PENDING', async () => {
		const { received } = kaleyra(BASE, [
			{
				status: 200,
				body: { code: 'WA200', data: { id: '1234567890', status: 'PENDING', category: 'UTILITY' } },
			},
		]);
		const result = await run(create(), [{}], WITH_WABA);
		expect(result.error).toBeUndefined();
		expect(received).toEqual([
			{
				method: 'POST',
				url: TEMPLATES,
				headers: JSON_HEADERS,
				body: {
					name: 'order_shipped',
					language: 'en_US',
					category: 'UTILITY',
					components: COMPONENTS,
				},
			},
		]);
		expect(itemsOf(result)).toEqual([
			{
				json: {
					id: '1234567890',
					name: 'order_shipped',
					language: 'en_US',
					category: 'UTILITY',
					status: 'PENDING',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it.each([
		[
			{ name: 'Order Shipped' },
			'Name: "Order Shipped" has characters Meta refuses. Use only lower-case letters, digits and _, e.g. order_shipped.',
		],
		[
			{ name: 'x'.repeat(513) },
			'Name: WhatsApp allows at most 512 characters; this has 513. Shorten it.',
		],
		[
			{ language: 'english' },
			'Language: "english" is not a language code Meta knows the shape of. Use e.g. en, en_US, pt_BR.',
		],
		[
			{ category: '={{ "PROMO" }}' },
			'Category: "PROMO" is not one of this field\'s choices. Use one of: MARKETING, UTILITY, AUTHENTICATION.',
		],
		[{ components: '[{"type":"BODY"' }, 'Components: it is not valid JSON'],
		[
			{ components: '[]' },
			'Components: expected a list of components (JSON array) with at least a BODY, got an empty list.',
		],
		[
			{ components: JSON.stringify([{ type: 'FOOTER', text: 'x' }]) },
			'Components: a template has exactly one BODY component; this has 0.',
		],
		[
			{ components: JSON.stringify([{ type: 'BODY', text: 'y'.repeat(1025) }]) },
			'Components → Component 1 → Text: WhatsApp allows at most 1024 characters; this has 1025. Shorten it.',
		],
		[
			{
				components: JSON.stringify([
					{ type: 'BODY', text: 'Hi {{1}} and {{3}}', example: { body_text: [['a', 'b']] } },
				]),
			},
			'Components → Component 1 → Text: its variables are {{1}}, {{3}}; Meta wants them numbered {{1}}, {{2}}, … without a gap.',
		],
		[
			{ components: JSON.stringify([{ type: 'BODY', text: 'Hi {{1}}' }]) },
			'Components → Component 1 → Example: the text has variables, so Meta needs an example value for each: add "example": { "body_text": … }.',
		],
		[
			{
				components: JSON.stringify([
					{ type: 'BODY', text: 'Hi' },
					{ type: 'FOOTER', text: 'f'.repeat(61) },
				]),
			},
			'Components → Component 2 → Text: WhatsApp allows at most 60 characters; this has 61. Shorten it.',
		],
		[
			{
				components: JSON.stringify([
					{ type: 'BODY', text: 'Hi' },
					{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'q'.repeat(26) }] },
				]),
			},
			'Components → Component 2 → Buttons: button 1 text: WhatsApp allows at most 25 characters; this has 26. Shorten it.',
		],
		[
			{
				components: JSON.stringify([
					{ type: 'BODY', text: 'Hi' },
					{ type: 'HEADER', format: 'IMAGE' },
				]),
			},
			'Components → Component 2 → Example: a image header needs a sample: "example": { "header_handle": ["<handle of an uploaded sample>"] }.',
		],
	])(
		"point 5: %# a field against Meta's rules is refused naming it; nothing is sent",
		async (change, message) => {
			const result = await run(create(change), [{}], WITH_WABA);
			expect(result.error?.message.startsWith(message)).toBe(true);
			expect(result.error?.description).toMatch(/^Nothing was sent for item 0\./);
		},
	);

	it("point 5: Kaleyra's refusal (WA400) under Continue: the item's failure with the fields Kaleyra named and what to check", async () => {
		kaleyra(BASE, [
			{
				status: 400,
				body: {
					code: 'WA400',
					message: 'Refer to correct payload format',
					data: {},
					error: { name: 'a template with this name already exists in this language' },
				},
			},
		]);
		const result = await run(
			accountWorkflow(
				{
					resource: 'template',
					operation: 'create',
					name: 'order_shipped',
					language: 'en',
					category: 'UTILITY',
					components: JSON.stringify(COMPONENTS.slice(1, 2)),
				},
				'continueRegularOutput',
			),
			[{}],
			WITH_WABA,
		);
		const [item] = itemsOf(result);
		expect(item.json).toMatchObject({
			code: 'WA400',
			httpStatus: 400,
			retryable: false,
			maybeSent: false,
			fields: { name: 'a template with this name already exists in this language' },
		});
		expect(item.json.description).toContain('Meta refused the template: check the name');
	});
});

describe('Template → Edit', () => {
	it('point 5: components: one PUT with the template ID and the new components', async () => {
		const { received } = kaleyra(
			BASE,
			[{ status: 200, body: { code: 'WA200', data: { success: true } } }],
			'PUT' as 'POST',
		);
		const result = await run(
			accountWorkflow({
				resource: 'template',
				operation: 'edit',
				templateId: '1234567890',
				change: 'components',
				components: JSON.stringify(COMPONENTS.slice(1, 2)),
			}),
			[{}],
			WITH_WABA,
		);
		expect(received).toEqual([
			{
				method: 'PUT',
				url: TEMPLATES,
				headers: JSON_HEADERS,
				body: { template_id: '1234567890', components: COMPONENTS.slice(1, 2) },
			},
		]);
		expect(itemsOf(result)).toEqual([
			{
				json: { templateId: '1234567890', changed: 'components', success: true },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('point 5: category: a separate PUT with the template ID and the category only', async () => {
		const { received } = kaleyra(
			BASE,
			[{ status: 200, body: { code: 'WA200', data: { success: true } } }],
			'PUT' as 'POST',
		);
		await run(
			accountWorkflow({
				resource: 'template',
				operation: 'edit',
				templateId: '1234567890',
				change: 'category',
				category: 'MARKETING',
			}),
			[{}],
			WITH_WABA,
		);
		expect(received.map((request) => request.body)).toEqual([
			{ template_id: '1234567890', category: 'MARKETING' },
		]);
	});

	it("point 5: a refused edit says Meta's edit rules (approved/rejected/paused only; 10 in 30 days, 1 in 24 hours)", async () => {
		kaleyra(
			BASE,
			[
				{
					status: 400,
					body: {
						code: 'WA400',
						message: 'Refer to correct payload format',
						data: {},
						error: { template_id: 'edit limit reached' },
					},
				},
			],
			'PUT' as 'POST',
		);
		const result = await run(
			accountWorkflow({
				resource: 'template',
				operation: 'edit',
				templateId: '1234567890',
				change: 'category',
				category: 'MARKETING',
			}),
			[{}],
			WITH_WABA,
		);
		expect(result.error?.description).toContain(
			"Only APPROVED, REJECTED or PAUSED templates can be edited, only their components or their category (an approved template's category cannot change). An approved template allows 10 edits in 30 days and 1 in 24 hours; rejected and paused ones any number.",
		);
	});

	it('point 5: a template ID that is not digits is refused naming Template ID; nothing is sent', async () => {
		const result = await run(
			accountWorkflow({
				resource: 'template',
				operation: 'edit',
				templateId: 'order_shipped',
				change: 'category',
				category: 'MARKETING',
			}),
			[{}],
			WITH_WABA,
		);
		expect(result.error?.message).toBe(
			'Template ID: "order_shipped" is not a template ID: Meta\'s IDs are digits, as Template → Get shows them.',
		);
	});
});

describe('Template → Delete', () => {
	it('point 5: by name: one DELETE with ?name= (every language)', async () => {
		const { received } = kaleyra(
			BASE,
			[{ status: 200, body: { code: 'WA200', data: { success: true } } }],
			'DELETE' as 'POST',
		);
		const result = await run(
			accountWorkflow({
				resource: 'template',
				operation: 'delete',
				deleteBy: 'name',
				name: 'order_shipped',
			}),
			[{}],
			WITH_WABA,
		);
		expect(received).toEqual([
			{ method: 'DELETE', url: `${TEMPLATES}?name=order_shipped`, headers: GET_HEADERS, body: '' },
		]);
		expect(itemsOf(result)).toEqual([
			{ json: { name: 'order_shipped', templateId: null, deleted: true }, pairedItem: { item: 0 } },
		]);
	});

	it('point 5: by ID: ?name=&template_id= (one language)', async () => {
		const { received } = kaleyra(
			BASE,
			[{ status: 200, body: { code: 'WA200', data: { success: true } } }],
			'DELETE' as 'POST',
		);
		const result = await run(
			accountWorkflow({
				resource: 'template',
				operation: 'delete',
				deleteBy: 'id',
				name: 'order_shipped',
				templateId: '1234567890',
			}),
			[{}],
			WITH_WABA,
		);
		expect(received.map((request) => request.url)).toEqual([
			`${TEMPLATES}?name=order_shipped&template_id=1234567890`,
		]);
		expect(itemsOf(result)[0].json).toEqual({
			name: 'order_shipped',
			templateId: '1234567890',
			deleted: true,
		});
	});

	it('point 5: a name Meta would refuse is refused naming Name; nothing is sent', async () => {
		const result = await run(
			accountWorkflow({
				resource: 'template',
				operation: 'delete',
				deleteBy: 'name',
				name: 'Order Shipped',
			}),
			[{}],
			WITH_WABA,
		);
		expect(result.error?.message).toBe(
			'Name: "Order Shipped" has characters Meta refuses. Use only lower-case letters, digits and _, e.g. order_shipped.',
		);
	});

	itKeepsTheApiKeyOutOfEverythingUsersSee();
});
