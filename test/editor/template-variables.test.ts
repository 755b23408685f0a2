/**
 * Issue 20 point 5: the template's variable fields say where each variable sits in the template's
 * own text, fit the editor uncut, and offer a header file from binary data only for a media header.
 */
import {
	NodeHelpers,
	type IDataObject,
	type INode,
	type INodeParameters,
	type ResourceMapperFields,
} from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { SEEDED_TEMPLATES as TEMPLATES } from '../../sandbox/templates';
import { KaleyraWhatsAppApi } from '../../credentials/KaleyraWhatsAppApi.credentials';
import { KaleyraWhatsApp } from '../../nodes/KaleyraWhatsApp/KaleyraWhatsApp.node';
import {
	editorLabel,
	templateVariables,
	type TemplateDefinition,
} from '../../nodes/KaleyraWhatsApp/resources/message/template/variables';
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
} from '../node/support';

const WABA_ID = '104583920017284';
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

const definition = (name: string) =>
	TEMPLATES.find((template) => template.name === name) as unknown as TemplateDefinition;
const labels = (name: string) =>
	templateVariables(definition(name)).map((variable) => editorLabel(definition(name), variable));

async function fieldsOf(template: string, typeVersion: number): Promise<ResourceMapperFields> {
	return await callNodeMethod(
		{
			nodeType: new KaleyraWhatsApp(),
			node: {
				type: NODE_TYPE,
				typeVersion,
				parameters: {
					resource: 'message',
					operation: 'sendTemplate',
					template: { __rl: true, mode: 'list', value: template },
					variablesInput: 'map',
				} as never,
				credentials: { kaleyraWhatsAppApi: { id: '1', name: 'Kaleyra' } },
			},
			credentialTypes: [new KaleyraWhatsAppApi()],
			credentials: {
				kaleyraWhatsAppApi: {
					'1': {
						pod: 'custom',
						baseUrl: sandbox.url,
						sid: SID,
						apiKey: API_KEY,
						wabaId: WABA_ID,
					} as never,
				},
			},
			path: 'parameters.variables',
		},
		async (ctx, type) => await type.methods!.resourceMapping!.getTemplateVariables.call(ctx),
	);
}

describe("point 5: template variable labels carry the template's own text", () => {
	it('order_shipped: each variable is the blank in its words, the other variables as the template writes them', () => {
		expect(labels('order_shipped')).toEqual([
			'Header {{1}}: Order ___…',
			'Body {{1}}: Hi ___, your…',
			'Body {{2}}: …order ___…',
			'Body {{3}}: …by ___.',
			'"Track order" URL suffix',
		]);
	});

	it('buttons say their text and what to give; a short template is shown whole', () => {
		expect(labels('flash_promo')).toEqual(['Body {{1}}: …sale: ___…']);
		expect(labels('winter_sale')).toEqual([
			'Header image (link/ID)',
			'Body {{1}}: Take ___ off…',
			'"Copy offer code" code',
		]);
		expect(labels('order_shipped').slice(-1)).toEqual(['"Track order" URL suffix']);
		const short: TemplateDefinition = {
			name: 'short',
			language: 'en',
			components: [{ type: 'BODY', text: 'Hi {{1}}', example: { body_text: [['Asha']] } }],
		};
		expect(templateVariables(short).map((variable) => editorLabel(short, variable))).toEqual([
			'Body {{1}}: Hi ___',
		]);
		expect(labels('login_code')).toEqual(['Body {{1}}: ___ is your…', '"Copy code" one-time code']);
	});

	it('no label of any template is longer than the editor shows uncut at 1280×800 (25 characters), a 25-character button text included', () => {
		const long: TemplateDefinition = {
			name: 'long',
			language: 'en',
			components: [
				{
					type: 'BODY',
					text: 'Dear {{1}}, we would like to remind you that your subscription renews on {{2}} unless cancelled.',
				},
				{
					type: 'BUTTONS',
					buttons: [
						{ type: 'URL', text: 'Manage your subscription', url: 'https://x.example/{{1}}' },
					],
				},
			],
		};
		const all = [
			...TEMPLATES.map((t) => t.name).flatMap(labels),
			...templateVariables(long).map((variable) => editorLabel(long, variable)),
		];
		expect(all.filter((label) => label.length > 25)).toEqual([]);
		expect(templateVariables(long).map((variable) => editorLabel(long, variable))).toEqual([
			'Body {{1}}: Dear ___, we…',
			'Body {{2}}: …on ___…',
			'"Manage your…" URL suffix',
		]);
	});
});

describe('point 5: Header File From Binary Field only where the template has a media header', () => {
	const description = new KaleyraWhatsApp().description;
	const headerFileShown = (variablesInput: string, typeVersion: number) =>
		description.properties.some(
			(property) =>
				property.name === 'headerBinaryPropertyName' &&
				NodeHelpers.displayParameter(
					{ resource: 'message', operation: 'sendTemplate', variablesInput } as INodeParameters,
					property,
					{ typeVersion } as INode,
					description,
				),
		);

	it('on version 1.2 the fixed field is gone from mapped variables (kept for a Parameter List); versions 1 and 1.1 keep it', () => {
		expect([
			headerFileShown('map', 1.2),
			headerFileShown('list', 1.2),
			headerFileShown('map', 1.1),
			headerFileShown('map', 1),
		]).toEqual([false, true, true, true]);
	});

	it('a document-header template offers "Header file: binary field" among its variables; a text-header one does not', async () => {
		expect(
			(await fieldsOf('invoice_ready|en', 1.2)).fields.map((field) => [
				field.id,
				field.displayName,
				field.required,
			]),
		).toEqual([
			['header_media', 'Header document (link/ID)', true],
			['body_1', 'Body {{1}}: …invoice ___…', true],
			['body_2', 'Body {{2}}: …for ___ is…', true],
			['header-file', 'Header file: binary field', false],
		]);
		expect((await fieldsOf('order_shipped|en', 1.2)).fields.map((field) => field.id)).toEqual([
			'header_1',
			'body_1',
			'body_2',
			'body_3',
			'button_0',
		]);
		expect((await fieldsOf('invoice_ready|en', 1.1)).fields.map((field) => field.id)).toEqual([
			'header_media',
			'body_1',
			'body_2',
		]);
	});

	it('on version 1.2 the PDF named in that field is uploaded and sent as the document header', async () => {
		const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');
		const value: IDataObject = {
			body_1: '={{ $json.orderId }}',
			body_2: '₹1,499.00',
			'header-file': 'data',
		};
		const schema = Object.keys(value).map((id) => ({
			id,
			displayName: id,
			required: false,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: 'string',
		}));
		const workflow = withNode(loadFixture('send-template-order-shipped'), {
			typeVersion: 1.2,
			parameters: {
				template: { __rl: true, mode: 'list', value: 'invoice_ready|en' },
				variablesInput: 'map',
				variables: {
					mappingMode: 'defineBelow',
					value,
					matchingColumns: [],
					schema,
					attemptToConvertTypes: false,
					convertFieldsToString: false,
				},
			},
		});
		const result = await run(
			workflow,
			[
				{
					phone: '+919811111111',
					orderId: '1042',
					$binary: {
						data: {
							data: PDF.toString('base64'),
							mimeType: 'application/pdf',
							fileName: 'invoice-1042.pdf',
						},
					},
				},
			],
			account,
		);

		expect(result.error).toBeUndefined();
		expect(sandbox.uploads.map((u) => [u.mimeType, u.filename])).toEqual([
			['application/pdf', 'invoice-1042.pdf'],
		]);
		expect(sandbox.messages[0].payload.messaging_object.template).toEqual({
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
			status: 'accepted',
			mediaId: sandbox.uploads[0].mediaId,
		});
	});
});
