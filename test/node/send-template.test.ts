/**
 * Send Template, as a builder uses it: the picker lists the account's approved templates, the
 * picked template's variables appear as fields, values are mapped from the shop's items, and the
 * sandbox (which checks template sends as Meta does) receives exactly the components expected.
 * Nothing reaches the sandbox's send endpoint when a variable is missing or breaks Meta's rules.
 */
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperFields,
} from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { KaleyraWhatsAppApi } from '../../credentials/KaleyraWhatsAppApi.credentials';
import { KaleyraWhatsApp } from '../../nodes/KaleyraWhatsApp/KaleyraWhatsApp.node';
import { callNodeMethod } from '../helpers/engine';
import {
	API_KEY,
	BUSINESS_NUMBER,
	NODE_TYPE,
	SID,
	talkToARealServerWithoutNock,
	itemsOf,
	loadFixture,
	run,
	withNode,
	type Account,
} from './support';

const WABA_ID = '104583920017284';
const FIXTURE = loadFixture('send-template-order-shipped');

let sandbox: Sandbox;
let account: Account & { wabaId?: string };

beforeAll(async () => {
	sandbox = await startSandbox({
		accounts: [
			{ sid: SID, apiKey: API_KEY, numbers: [BUSINESS_NUMBER], wabaId: WABA_ID, postpaid: true },
		],
	});
	account = { pod: 'custom', baseUrl: sandbox.url, wabaId: WABA_ID };
});
afterAll(async () => await sandbox.close());
talkToARealServerWithoutNock();
beforeEach(() => sandbox.reset());

const ASHA = { phone: '+919811111111', name: 'Asha', orderId: '1042', arrives: 'Friday' };
const BEN = { phone: '919822222222', name: 'Ben', orderId: '1043', arrives: 'Monday' };

/** What the sandbox accepted: recipient and template, per message. */
function sentTemplates(): Array<{ to: string | null; template: unknown }> {
	return sandbox.messages.map((m) => ({ to: m.to, template: m.payload.messaging_object.template }));
}

function sends(): number {
	return sandbox.requests.filter((r) => r.method === 'POST').length;
}

/** The node's parameters as the editor saves them: the picked template and the mapper with its schema (one required string field per mapped key). */
function mapped(template: string, value: IDataObject, extra: IDataObject = {}): IDataObject {
	const schema = Object.keys(value).map((id) => ({
		id,
		displayName: id,
		required: true,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: 'string',
	}));
	return {
		template: { __rl: true, mode: 'list', value: template },
		variablesInput: 'map',
		variables: {
			mappingMode: 'defineBelow',
			value,
			matchingColumns: [],
			schema,
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		},
		...extra,
	};
}

async function editor<T>(
	parameters: IDataObject,
	path: string,
	call: (ctx: ILoadOptionsFunctions, type: KaleyraWhatsApp) => Promise<T>,
	wabaId = WABA_ID,
) {
	return await callNodeMethod(
		{
			nodeType: new KaleyraWhatsApp(),
			node: {
				type: NODE_TYPE,
				parameters: { resource: 'message', operation: 'sendTemplate', ...parameters } as never,
				credentials: { kaleyraWhatsAppApi: { id: '1', name: 'Kaleyra' } },
			},
			credentialTypes: [new KaleyraWhatsAppApi()],
			credentials: {
				kaleyraWhatsAppApi: {
					'1': { pod: 'custom', baseUrl: sandbox.url, sid: SID, apiKey: API_KEY, wabaId } as never,
				},
			},
			path,
		},
		async (ctx, type) => await call(ctx, type as KaleyraWhatsApp),
	);
}

describe('Picking a template in the editor', () => {
	it('lists the approved templates with language and category, and filters by what the builder types', async () => {
		const all = await editor(
			{},
			'parameters.template',
			async (ctx, type) => await type.methods.listSearch!.searchTemplates.call(ctx),
		);
		expect(all).toEqual<INodeListSearchResult>({
			results: [
				{ name: 'order_shipped (en, utility)', value: 'order_shipped|en' },
				{ name: 'appointment_reminder (en_US, utility)', value: 'appointment_reminder|en_US' },
				{ name: 'invoice_ready (en, utility)', value: 'invoice_ready|en' },
				{ name: 'login_code (en, authentication)', value: 'login_code|en' },
				{ name: 'winter_sale (en, marketing)', value: 'winter_sale|en' },
			],
			paginationToken: undefined,
		});
		const filtered = await editor(
			{},
			'parameters.template',
			async (ctx, type) => await type.methods.listSearch!.searchTemplates.call(ctx, 'ORDER'),
		);
		expect(filtered.results).toEqual([
			{ name: 'order_shipped (en, utility)', value: 'order_shipped|en' },
		]);
		expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /v2/${SID}/whatsapp/${WABA_ID}/message_templates?limit=100&status=APPROVED`,
			`GET /v2/${SID}/whatsapp/${WABA_ID}/message_templates?limit=100&status=APPROVED`,
		]);
	});

	it('without a WABA ID in the credential, the picker says where to find it', async () => {
		await expect(
			editor(
				{},
				'parameters.template',
				async (ctx, type) => await type.methods.listSearch!.searchTemplates.call(ctx),
				'',
			),
		).rejects.toMatchObject({
			message: 'No WABA ID in the credential',
			description: expect.stringContaining(
				'Kaleyra console → Channels → WhatsApp → Manage → WABA ID',
			),
		});
	});

	it("shows the picked template's variables as fields, labelled with the template's own words around each", async () => {
		const fields = await editor(
			mapped('order_shipped|en', {}),
			'parameters.variables',
			async (ctx, type) => await type.methods.resourceMapping!.getTemplateVariables.call(ctx),
		);
		const field = (id: string, displayName: string, required = true) => ({
			id,
			displayName,
			required,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: 'string' as const,
		});
		expect(fields).toEqual<ResourceMapperFields>({
			fields: [
				field('header_1', 'Header {{1}}: Order ___…'),
				field('body_1', 'Body {{1}}: Hi ___, your…'),
				field('body_2', 'Body {{2}}: …order ___…'),
				field('body_3', 'Body {{3}}: …by ___.'),
				field('button_0', '"Track order" URL suffix'),
			],
		});
		const named = await editor(
			{ template: { __rl: true, mode: 'name', value: 'appointment_reminder' }, language: 'en_US' },
			'parameters.variables',
			async (ctx, type) => await type.methods.resourceMapping!.getTemplateVariables.call(ctx),
		);
		expect(named.fields.map((f) => [f.id, f.displayName, f.required])).toEqual([
			['body_customer_name', 'Body {{customer_name}}', true],
			['body_appointment_date', 'Body {{appointment_date}}', true],
			['button_0', '"Confirm" payload', false],
			['button_1', '"Reschedule" payload', false],
		]);
	});

	it('a name the listing does not know leaves a notice instead of fields', async () => {
		const fields = await editor(
			{ template: { __rl: true, mode: 'name', value: 'made_elsewhere' }, language: 'en' },
			'parameters.variables',
			async (ctx, type) => await type.methods.resourceMapping!.getTemplateVariables.call(ctx),
		);
		expect(fields).toEqual({
			fields: [],
			emptyFieldsNotice:
				'The listing has no template "made_elsewhere" in en. Check the name and language, or set Variables to "Parameter List" and enter them by hand.',
		});
	});
});

describe('Sending a template with mapped variables', () => {
	it('order shipped → template: header, body and URL button from each shop item; one listing read per run', async () => {
		const result = await run(FIXTURE, [ASHA, BEN], account);
		expect(result.error).toBeUndefined();
		const components = (c: typeof ASHA) => [
			{ type: 'header', parameters: [{ type: 'text', text: c.orderId }] },
			{
				type: 'body',
				parameters: [
					{ type: 'text', text: c.name },
					{ type: 'text', text: c.orderId },
					{ type: 'text', text: c.arrives },
				],
			},
			{
				type: 'button',
				sub_type: 'url',
				index: '0',
				parameters: [{ type: 'text', text: c.orderId }],
			},
		];
		expect(sentTemplates()).toEqual([
			{
				to: '+919811111111',
				template: { name: 'order_shipped', language: { code: 'en' }, components: components(ASHA) },
			},
			{
				to: '+919822222222',
				template: { name: 'order_shipped', language: { code: 'en' }, components: components(BEN) },
			},
		]);
		expect(sandbox.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
		expect(itemsOf(result)).toEqual([
			{
				json: {
					messageId: sandbox.messages[0].messageId,
					to: '+919811111111',
					type: 'template',
					status: 'accepted',
					code: 'WA202',
					httpStatus: 202,
					ref: '1042',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					messageId: sandbox.messages[1].messageId,
					to: '+919822222222',
					type: 'template',
					status: 'accepted',
					code: 'WA202',
					httpStatus: 202,
					ref: '1043',
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it('named variables carry parameter_name; a quick-reply payload may be mapped or left out', async () => {
		const workflow = withNode(FIXTURE, {
			parameters: mapped('appointment_reminder|en_US', {
				body_customer_name: '={{ $json.name }}',
				body_appointment_date: '3 December, 10:00',
				button_1: 'reschedule-{{ $json.orderId }}'.replace(/^/, '='),
			}),
		});
		const result = await run(workflow, [ASHA], account);
		expect(result.error).toBeUndefined();
		expect(sentTemplates()).toEqual([
			{
				to: '+919811111111',
				template: {
					name: 'appointment_reminder',
					language: { code: 'en_US' },
					components: [
						{
							type: 'body',
							parameters: [
								{ type: 'text', parameter_name: 'customer_name', text: 'Asha' },
								{ type: 'text', parameter_name: 'appointment_date', text: '3 December, 10:00' },
							],
						},
						{
							type: 'button',
							sub_type: 'quick_reply',
							index: '1',
							parameters: [{ type: 'payload', payload: 'reschedule-1042' }],
						},
					],
				},
			},
		]);
	});

	it('a document header by link and a currency in the body', async () => {
		const workflow = withNode(FIXTURE, {
			parameters: mapped('invoice_ready|en', {
				header_media: 'https://shop.example.com/invoices/1042.pdf',
				body_1: '={{ $json.orderId }}',
				body_2: '={{ { fallback_value: "₹1,499.00", code: "INR", amount_1000: 1499000 } }}',
			}),
		});
		const result = await run(workflow, [ASHA], account);
		expect(result.error).toBeUndefined();
		expect(sentTemplates()[0].template).toEqual({
			name: 'invoice_ready',
			language: { code: 'en' },
			components: [
				{
					type: 'header',
					parameters: [
						{ type: 'document', document: { link: 'https://shop.example.com/invoices/1042.pdf' } },
					],
				},
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: '1042' },
						{
							type: 'currency',
							currency: { fallback_value: '₹1,499.00', code: 'INR', amount_1000: 1499000 },
						},
					],
				},
			],
		});
	});

	it('an image header by uploaded media ID and a copy code; a one-time code for an authentication template', async () => {
		const sale = withNode(FIXTURE, {
			parameters: mapped('winter_sale|en', {
				header_media: '1234567890123456',
				body_1: '20%',
				button_0: 'WINTER20',
			}),
		});
		expect((await run(sale, [ASHA], account)).error).toBeUndefined();
		const login = withNode(FIXTURE, {
			parameters: mapped('login_code|en', { body_1: '482913', button_0: '482913' }),
		});
		expect((await run(login, [ASHA], account)).error).toBeUndefined();
		expect(sentTemplates().map((s) => s.template)).toEqual([
			{
				name: 'winter_sale',
				language: { code: 'en' },
				components: [
					{ type: 'header', parameters: [{ type: 'image', image: { id: '1234567890123456' } }] },
					{ type: 'body', parameters: [{ type: 'text', text: '20%' }] },
					{
						type: 'button',
						sub_type: 'copy_code',
						index: '0',
						parameters: [{ type: 'coupon_code', coupon_code: 'WINTER20' }],
					},
				],
			},
			{
				name: 'login_code',
				language: { code: 'en' },
				components: [
					{ type: 'body', parameters: [{ type: 'text', text: '482913' }] },
					{
						type: 'button',
						sub_type: 'url',
						index: '0',
						parameters: [{ type: 'text', text: '482913' }],
					},
				],
			},
		]);
	});
	it('a location header: latitude and longitude as numbers, with name and address', async () => {
		sandbox.addTemplates({
			name: 'store_pickup',
			language: 'en',
			category: 'UTILITY',
			components: [
				{ type: 'HEADER', format: 'LOCATION' },
				{
					type: 'BODY',
					text: 'Your order {{1}} is ready for pickup here.',
					example: { body_text: [['1042']] },
				},
			],
		});
		const store =
			'={{ { latitude: 12.9716, longitude: 77.5946, name: "MG Road store", address: "1 MG Road, Bengaluru" } }}';
		const result = await run(
			withNode(FIXTURE, {
				parameters: mapped('store_pickup|en', {
					header_media: store,
					body_1: '={{ $json.orderId }}',
				}),
			}),
			[ASHA],
			account,
		);
		expect(result.error).toBeUndefined();
		expect(sentTemplates()[0].template).toEqual({
			name: 'store_pickup',
			language: { code: 'en' },
			components: [
				{
					type: 'header',
					parameters: [
						{
							type: 'location',
							location: {
								latitude: 12.9716,
								longitude: 77.5946,
								name: 'MG Road store',
								address: '1 MG Road, Bengaluru',
							},
						},
					],
				},
				{ type: 'body', parameters: [{ type: 'text', text: '1042' }] },
			],
		});
	});
});

describe('Under On Error → Continue, each item leaves as soon as it is checked', () => {
	it("sends Asha's order while Ben's template is still being looked up; Ben's unknown template is his own error item", async () => {
		// Ben's template is another listing read, slowed down: under Continue, Asha's message must not wait for it.
		sandbox.fault({ match: { method: 'GET' }, kind: 'latency', ms: 1500, times: 2 });
		const workflow = withNode(FIXTURE, {
			onError: 'continueRegularOutput',
			parameters: {
				...mapped('order_shipped|en', {
					header_1: '={{ $json.orderId }}',
					body_1: '={{ $json.name }}',
					body_2: '={{ $json.orderId }}',
					body_3: '={{ $json.arrives }}',
					button_0: '={{ $json.orderId }}',
				}),
				template: { __rl: true, mode: 'list', value: '={{ $json.template }}' },
			},
		});
		const result = await run(
			workflow,
			[
				{ ...ASHA, template: 'order_shipped|en' },
				{ ...BEN, template: 'order_renamed|en' },
			],
			account,
		);
		expect(result.error).toBeUndefined();

		const [, benLookup] = sandbox.requests.filter((r) => r.method === 'GET');
		const [ashaSend] = sandbox.requests.filter((r) => r.method === 'POST');
		// Checked first, Asha's send would come after Ben's lookup was answered, 1.5 s later.
		expect(Date.parse(ashaSend.receivedAt) - Date.parse(benLookup.receivedAt)).toBeLessThan(750);
		expect(sentTemplates().map((m) => m.to)).toEqual(['+919811111111']);
		const [asha, ben] = itemsOf(result);
		expect(asha).toEqual({
			json: {
				messageId: sandbox.messages[0].messageId,
				to: '+919811111111',
				type: 'template',
				status: 'accepted',
				code: 'WA202',
				httpStatus: 202,
				ref: '1042',
			},
			pairedItem: { item: 0 },
		});
		expect(ben).toEqual({
			json: {
				error:
					'Template: the listing has no template "order_renamed" in en. Check the name and language, or set Variables to "Parameter List".',
				description: 'Nothing was sent for item 1.',
				code: 'INVALID_INPUT',
				field: 'Template',
				httpStatus: null,
				retryable: false,
				maybeSent: false,
			},
			pairedItem: { item: 1 },
		});
	});
});

describe('Templates the listing does not return, and power users', () => {
	it('By Name with a Parameter List: header, body (text and date) and button, in the template order', async () => {
		const workflow = withNode(FIXTURE, {
			parameters: {
				template: { __rl: true, mode: 'name', value: 'order_shipped' },
				language: 'en',
				variablesInput: 'list',
				parameters: {
					parameter: [
						{ component: 'header', type: 'text', value: '={{ $json.orderId }}' },
						{ component: 'body', type: 'text', value: '={{ $json.name }}' },
						{ component: 'body', type: 'text', value: '={{ $json.orderId }}' },
						{ component: 'body', type: 'dateTime', value: '={{ $json.arrives }}' },
						{
							component: 'button',
							type: 'urlSuffix',
							buttonIndex: 0,
							value: '={{ $json.orderId }}',
						},
					],
				},
			},
		});
		const result = await run(workflow, [ASHA], account);
		expect(result.error).toBeUndefined();
		expect(sentTemplates()[0].template).toEqual({
			name: 'order_shipped',
			language: { code: 'en' },
			components: [
				{ type: 'header', parameters: [{ type: 'text', text: '1042' }] },
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: 'Asha' },
						{ type: 'text', text: '1042' },
						{ type: 'date_time', date_time: { fallback_value: 'Friday' } },
					],
				},
				{
					type: 'button',
					sub_type: 'url',
					index: '0',
					parameters: [{ type: 'text', text: '1042' }],
				},
			],
		});
		expect(sandbox.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
	});

	it('the whole components array from one expression', async () => {
		const workflow = withNode(FIXTURE, {
			parameters: {
				template: { __rl: true, mode: 'name', value: 'login_code' },
				language: 'en',
				variablesInput: 'components',
				components:
					'={{ [{ type: "body", parameters: [{ type: "text", text: $json.orderId }] }, { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: $json.orderId }] }] }}',
			},
		});
		const result = await run(workflow, [ASHA], account);
		expect(result.error).toBeUndefined();
		expect(sentTemplates()[0].template).toEqual({
			name: 'login_code',
			language: { code: 'en' },
			components: [
				{ type: 'body', parameters: [{ type: 'text', text: '1042' }] },
				{
					type: 'button',
					sub_type: 'url',
					index: '0',
					parameters: [{ type: 'text', text: '1042' }],
				},
			],
		});
	});
});

describe("A header file from the workflow's binary data", () => {
	const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');
	const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
	const withFile = (data: Buffer, mimeType: string, fileName: string) => ({
		...ASHA,
		$binary: { data: { data: data.toString('base64'), mimeType, fileName } },
	});

	it('invoice_ready: the generated PDF is uploaded, then sent as the document header with its file name', async () => {
		const workflow = withNode(FIXTURE, {
			parameters: mapped(
				'invoice_ready|en',
				{ body_1: '={{ $json.orderId }}', body_2: '₹1,499.00' },
				{ headerBinaryPropertyName: 'data' },
			),
		});
		const result = await run(
			workflow,
			[withFile(PDF, 'application/pdf', 'invoice-1042.pdf')],
			account,
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.uploads.map((u) => [u.mimeType, u.filename, u.size])).toEqual([
			['application/pdf', 'invoice-1042.pdf', PDF.length],
		]);
		expect(sentTemplates()[0].template).toEqual({
			name: 'invoice_ready',
			language: { code: 'en' },
			components: [
				{
					type: 'header',
					parameters: [
						{
							type: 'document',
							document: { id: sandbox.uploads[0].mediaId, filename: 'invoice-1042.pdf' },
						},
					],
				},
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: '1042' },
						{ type: 'text', text: '₹1,499.00' },
					],
				},
			],
		});
		expect(itemsOf(result)[0].json).toMatchObject({
			type: 'template',
			status: 'accepted',
			mediaId: sandbox.uploads[0].mediaId,
		});
	});

	it('a Parameter List without a header row gets an image header of the file', async () => {
		const workflow = withNode(FIXTURE, {
			parameters: {
				template: { __rl: true, mode: 'name', value: 'winter_sale' },
				language: 'en',
				variablesInput: 'list',
				headerBinaryPropertyName: 'data',
				parameters: {
					parameter: [
						{ component: 'body', type: 'text', value: '20%' },
						{ component: 'button', type: 'couponCode', buttonIndex: 0, value: 'WINTER20' },
					],
				},
			},
		});
		const result = await run(workflow, [withFile(PNG, 'image/png', 'sale.png')], account);
		expect(result.error).toBeUndefined();
		expect(sentTemplates()[0].template).toMatchObject({
			components: [
				{
					type: 'header',
					parameters: [{ type: 'image', image: { id: sandbox.uploads[0].mediaId } }],
				},
				{ type: 'body', parameters: [{ type: 'text', text: '20%' }] },
				{
					type: 'button',
					sub_type: 'copy_code',
					index: '0',
					parameters: [{ type: 'coupon_code', coupon_code: 'WINTER20' }],
				},
			],
		});
	});

	it('a file for a template without a media header is refused, nothing uploaded or sent', async () => {
		const workflow = withNode(FIXTURE, {
			parameters: mapped(
				'order_shipped|en',
				{ header_1: '1042', body_1: 'Asha', body_2: '1042', body_3: 'Friday', button_0: '1042' },
				{ headerBinaryPropertyName: 'data' },
			),
		});
		const result = await run(workflow, [withFile(PDF, 'application/pdf', 'x.pdf')], account);
		expect(result.error?.message).toBe(
			'Header File From Binary Field: template "order_shipped" has no image, video or document header. Clear the field.',
		);
		expect([sandbox.uploads.length, sends()]).toEqual([0, 0]);
	});
});

describe('Checked before sending: nothing goes out, the variable is named as the template names it', () => {
	async function refusal(
		parameters: IDataObject,
		items: IDataObject[] = [ASHA],
		credential = account,
	) {
		const result = await run(withNode(FIXTURE, { parameters }), items, credential);
		return { error: result.error, sends: sends() };
	}

	it('an empty body variable, with its example', async () => {
		const { error, sends: count } = await refusal(
			mapped('order_shipped|en', {
				header_1: '1042',
				body_1: 'Asha',
				body_2: '={{ $json.missing }}',
				body_3: 'Friday',
				button_0: '1042',
			}),
		);
		expect(error?.message).toBe(
			'Body {{2}}: it is empty. Map a value for it (e.g. 1042); WhatsApp refuses a template with a variable missing.',
		);
		expect(error?.description).toBe('Nothing was sent for item 0.');
		expect(count).toBe(0);
	});

	it('a newline in a variable, a too-long header, an extra variable and a media header that is neither link nor ID', async () => {
		const { error, sends: count } = await refusal(
			mapped('order_shipped|en', {
				header_1: '1'.repeat(61),
				body_1: 'Asha\nRao',
				body_2: '1042',
				body_3: 'Friday',
				button_0: '1042',
				body_9: 'x',
			}),
		);
		expect(error?.message).toBe(
			'Header {{1}}: WhatsApp allows at most 60 characters here; this has 61. Shorten it.',
		);
		expect(error?.description).toBe(
			'Nothing was sent for item 0. Also: Body {{1}}: WhatsApp does not allow newlines, tabs or more than 4 spaces in a row in a template variable. Replace them with a space. body_9: template "order_shipped" has no such variable. Remove it, or pick the template that has it.',
		);
		const image = await refusal(
			mapped('winter_sale|en', {
				header_media: 'see attached',
				body_1: '20%',
				button_0: 'WINTER20',
			}),
		);
		expect(image.error?.message).toBe(
			'Header image (link or media ID): expected a public https:// link or an uploaded media ID for the header image; got "see attached".',
		);
		expect(count + image.sends).toBe(0);
	});

	it('a copy code over 15 characters and a currency without a whole amount', async () => {
		const code = await refusal(
			mapped('winter_sale|en', {
				header_media: '123',
				body_1: '20%',
				button_0: 'WINTER-2026-SPECIAL',
			}),
		);
		expect(code.error?.message).toBe(
			'Button 1 (Copy offer code) code: WhatsApp allows at most 15 characters in a copy code; this has 19.',
		);
		const money = await refusal(
			mapped('invoice_ready|en', {
				header_media: '123',
				body_1: '1042',
				body_2: '={{ { fallback_value: "₹1,499.50", code: "INR", amount_1000: 1499.5 } }}',
			}),
		);
		expect(money.error?.message).toBe(
			'Body {{2}}: a currency needs amount_1000 as a whole number (the amount × 1000, e.g. 1499000 for 1,499.00); got 1499.5.',
		);
		expect(code.sends + money.sends).toBe(0);
	});

	it('a template that is not approved, a name the listing does not know, and no WABA ID', async () => {
		const rejected = await refusal({
			...mapped('', { body_1: '50%' }),
			template: { __rl: true, mode: 'name', value: 'flash_promo' },
			language: 'en',
		});
		expect(rejected.error?.message).toBe(
			'Template: "flash_promo" (en) is REJECTED, not approved, and WhatsApp sends only approved templates. Fix it in Kaleyra (or Meta\'s WhatsApp Manager) or pick another.',
		);
		const unknown = await refusal({
			...mapped('', {}),
			template: { __rl: true, mode: 'name', value: 'made_elsewhere' },
			language: 'en',
		});
		expect(unknown.error?.message).toBe(
			'Template: the listing has no template "made_elsewhere" in en. Check the name and language, or set Variables to "Parameter List".',
		);
		const noWaba = await refusal(mapped('order_shipped|en', { body_1: 'Asha' }), [ASHA], {
			...account,
			wabaId: '',
		});
		expect(noWaba.error?.message).toBe(
			'Template: its variables could not be read from the listing (No WABA ID in the credential). The credential has no WABA ID, so the templates cannot be listed. Open the Kaleyra WhatsApp API credential and enter the WhatsApp Business Account ID (Kaleyra console → Channels → WhatsApp → Manage → WABA ID), or choose "By Name" and type the template name.',
		);
		expect(rejected.sends + unknown.sends + noWaba.sends).toBe(0);
	});

	it('a template name from an expression that gives no text', async () => {
		const { error, sends: count } = await refusal({
			template: { __rl: true, mode: 'name', value: '={{ true }}' },
			language: 'en',
			variablesInput: 'list',
			parameters: {},
		});
		expect(error?.message).toBe('Template: expected a template name, got boolean.');
		// An object whose toString is not a function cannot even be turned into text.
		const odd = await refusal({
			...mapped('', {}),
			template: { __rl: true, mode: 'list', value: '={{ { toString: 0 } }}' },
		});
		expect(odd.error?.message).toBe('Template: expected a template name, got object.');
		expect(count + odd.sends).toBe(0);
	});

	it('components that are not an array, and a language that is not a code', async () => {
		const json = await refusal({
			template: { __rl: true, mode: 'name', value: 'login_code' },
			language: 'en',
			variablesInput: 'components',
			components: '[{ "type": "body", ',
		});
		expect(json.error?.message).toBe(
			'Components: it is not valid JSON. Enter an array such as [{ "type": "body", "parameters": [{ "type": "text", "text": "Asha" }] }].',
		);
		const language = await refusal({
			template: { __rl: true, mode: 'name', value: 'login_code' },
			language: 'English',
			variablesInput: 'list',
			parameters: {},
		});
		expect(language.error?.message).toBe(
			'Language: "English" is not a language code. Use a code such as en, en_US or pt_BR.',
		);
		expect(json.sends + language.sends).toBe(0);
	});

	it('a pasted 100,000-character language and a name with a symbol: each field named, quoted in 40 characters, the listing not read', async () => {
		const listingReads = () => sandbox.requests.filter((r) => r.method === 'GET').length;
		const huge = 'y'.repeat(100_000);
		const language = await refusal({
			...mapped('', {}),
			template: { __rl: true, mode: 'name', value: 'order_shipped' },
			language: huge,
		});
		expect(language.error?.message).toBe(
			`Language: "${'y'.repeat(40)}… (100000 characters)" is not a language code. Use a code such as en, en_US or pt_BR.`,
		);
		const name = await refusal({
			...mapped('', {}),
			template: { __rl: true, mode: 'name', value: '={{ "!" }}' },
			language: huge,
		});
		expect(name.error?.message).toBe(
			'Template: "!" is not a template name: WhatsApp template names have only lowercase letters, digits and _.',
		);
		expect(name.error?.description).toBe(
			`Nothing was sent for item 0. Also: Language: "${'y'.repeat(40)}… (100000 characters)" is not a language code. Use a code such as en, en_US or pt_BR.`,
		);
		expect(language.sends + name.sends).toBe(0);
		expect(listingReads()).toBe(0);
	});

	it('WA401 from Kaleyra on a template send hints at the approval status', async () => {
		const result = await run(
			withNode(FIXTURE, {
				parameters: {
					template: { __rl: true, mode: 'name', value: 'flash_promo' },
					language: 'en',
					variablesInput: 'list',
					parameters: { parameter: [{ component: 'body', type: 'text', value: '50%' }] },
				},
			}),
			[ASHA],
			account,
		);
		expect(result.error?.message).toMatch(
			/^The business number is not in this Kaleyra account \[WA401\]/,
		);
		expect(result.error?.description).toContain(
			'On a template send this also means the template is not approved: check its status in Kaleyra',
		);
	});
});
