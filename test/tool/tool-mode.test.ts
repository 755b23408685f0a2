/**
 * The node as an AI agent's tool (issue 21 point 5), in the engine: n8n makes "Kaleyra WhatsApp
 * Tool" of the node (its type name + "Tool", the display option `@tool` true). What the model
 * reads — the tool's description, the `$fromAI` keys and descriptions of a template's variables —
 * and what it gets back (Simplify) are checked here; e2e/mcp-in-n8n.test.js calls it in a real n8n.
 */
import {
	NodeHelpers,
	extractFromAICalls,
	traverseNodeParameters,
	type FromAIArgument,
	type INode,
	type INodeParameters,
	type INodeTypeDescription,
	type ResourceMapperFields,
} from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { KaleyraWhatsAppApi } from '../../credentials/KaleyraWhatsAppApi.credentials';
import { KaleyraWhatsApp } from '../../nodes/KaleyraWhatsApp/KaleyraWhatsApp.node';
import { callNodeMethod, runWorkflow } from '../helpers/engine';
import { API_KEY, BUSINESS_NUMBER, NODE_TYPE, SEND_NODE, SID, loadFixture } from '../node/support';

/** What n8n's `usableAsTool` makes of the node: the same class under the name "…Tool". */
class KaleyraWhatsAppTool extends KaleyraWhatsApp {
	description: INodeTypeDescription = {
		...new KaleyraWhatsApp().description,
		name: 'kaleyraWhatsAppTool',
		displayName: 'Kaleyra WhatsApp Tool',
	};
}
const TOOL_TYPE = `${NODE_TYPE}Tool`;
const tool = new KaleyraWhatsAppTool();
const plain = new KaleyraWhatsApp();

/** The node's parameters as n8n holds them at run time: what was set, every shown default added. */
function resolved(description: INodeTypeDescription, set: INodeParameters): INodeParameters {
	const node = { typeVersion: 1.2, parameters: set } as unknown as INode;
	return NodeHelpers.getNodeParameters(
		description.properties,
		set,
		true,
		false,
		node,
		description,
	)!;
}

/** The description the model reads for a tool node with these parameters, as n8n computes it. */
function toolDescription(set: INodeParameters): string {
	const parameters = resolved(tool.description, set);
	const node = { name: 'Send', type: TOOL_TYPE, typeVersion: 1.2, parameters } as INode;
	return NodeHelpers.getToolDescriptionForNode(node, tool);
}

const WABA_ID = '104583920017284';
let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({
		accounts: [
			{ sid: SID, apiKey: API_KEY, numbers: [BUSINESS_NUMBER], wabaId: WABA_ID, postpaid: true },
		],
	});
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const credentials = () => ({
	kaleyraWhatsAppApi: {
		'1': {
			pod: 'custom',
			baseUrl: sandbox.url,
			sid: SID,
			apiKey: API_KEY,
			wabaId: WABA_ID,
		} as never,
	},
});

describe('the tool description says what the tool does and that a send cannot be undone', () => {
	it('Send Text and Send Template: the operation, then that it acts at once and cannot be undone', () => {
		const notUndoable =
			"It acts at once on the customer's WhatsApp chat and cannot be undone, edited or recalled: call it only when this should really happen, and only once.";
		expect(toolDescription({ resource: 'message', operation: 'sendText' })).toBe(
			`Kaleyra WhatsApp: Send a text message (inside the 24-hour customer service window). ${notUndoable}`,
		);
		expect(toolDescription({ resource: 'message', operation: 'sendTemplate' })).toBe(
			`Kaleyra WhatsApp: Send an approved template, the only message WhatsApp delivers outside the 24-hour window. ${notUndoable}`,
		);
	});

	it('a read-only operation says what it does, without the warning', () => {
		expect(toolDescription({ resource: 'template', operation: 'getMany' })).toBe(
			`Kaleyra WhatsApp: ${
				plain.description.properties
					.find(
						(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'template',
					)!
					.options!.map((o) => o as { value: string; description: string })
					.find((o) => o.value === 'getMany')!.description
			}.`,
		);
	});

	it('a description the builder writes is the one the model reads', () => {
		expect(
			toolDescription({
				resource: 'message',
				operation: 'sendText',
				toolDescription: 'Tell the customer their order shipped',
			}),
		).toBe('Tell the customer their order shipped');
	});

	it('the plain node has none of the tool fields', () => {
		const parameters = resolved(plain.description, { resource: 'message', operation: 'sendText' });
		expect(parameters.toolDescription).toBeUndefined();
		expect(parameters.simplify).toBeUndefined();
	});
});

describe('Simplify: the model gets the message ID, status and recipient', () => {
	async function sendText(typeName: string, extra: INodeParameters = {}) {
		const fixture = structuredClone(loadFixture('send-text'));
		const node = fixture.nodes.find((n) => n.name === SEND_NODE)!;
		node.type = typeName;
		node.typeVersion = 1.2;
		node.parameters = { ...node.parameters, ...extra };
		const result = await runWorkflow({
			workflow: fixture,
			nodeTypes: { [NODE_TYPE]: plain, [TOOL_TYPE]: tool },
			credentialTypes: [new KaleyraWhatsAppApi()],
			credentials: credentials(),
			items: [{ phone: '+919811111111', name: 'Asha', orderId: '1042' }],
		});
		expect(result.error).toBeUndefined();
		return result.output(SEND_NODE).map((item) => item.json);
	}

	it('as a tool, by default: three keys, the message sent as given', async () => {
		const [item] = await sendText(TOOL_TYPE);
		const [sent] = sandbox.messages;
		expect(item).toEqual({ messageId: sent.messageId, status: 'accepted', to: '+919811111111' });
		expect(sandbox.messages.map((m) => m.payload.messaging_object)).toEqual([
			{
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: '+919811111111',
				type: 'text',
				text: { body: 'Hi Asha, order 1042 shipped', preview_url: false },
			},
		]);
	});

	it('as a tool with Simplify off, and as the plain node: the whole item', async () => {
		const [tooled] = await sendText(TOOL_TYPE, { simplify: false });
		const [regular] = await sendText(NODE_TYPE);
		for (const item of [tooled, regular])
			expect(Object.keys(item).sort()).toEqual(
				['code', 'httpStatus', 'messageId', 'ref', 'ref1', 'status', 'to', 'type'].sort(),
			);
	});
});

describe("a template's variables in tool mode: readable $fromAI keys with the template's words", () => {
	async function fieldsOf(
		nodeType: KaleyraWhatsApp,
		template: unknown,
	): Promise<ResourceMapperFields> {
		return await callNodeMethod(
			{
				nodeType,
				node: {
					type: nodeType === tool ? TOOL_TYPE : NODE_TYPE,
					typeVersion: 1.2,
					parameters: {
						resource: 'message',
						operation: 'sendTemplate',
						template,
						variablesInput: 'map',
					} as never,
					credentials: { kaleyraWhatsAppApi: { id: '1', name: 'Kaleyra' } },
				},
				credentialTypes: [new KaleyraWhatsAppApi()],
				credentials: credentials(),
				path: 'parameters.variables',
			},
			async (ctx, type) => await type.methods!.resourceMapping!.getTemplateVariables.call(ctx),
		);
	}

	/** What the model is offered for these fields: n8n's own reading of their `$fromAI` calls. */
	function offered(fields: ResourceMapperFields): FromAIArgument[] {
		const collected: FromAIArgument[] = [];
		traverseNodeParameters(
			Object.fromEntries(fields.fields.map((field) => [field.id, field.defaultValue ?? ''])),
			collected,
		);
		return collected;
	}

	/** The key n8n's editor makes of a field's label when the builder clicks "defined by the model". */
	const editorKey = (label: string) => label.replace(/[^a-zA-Z0-9-]/g, '_').slice(0, 63);

	it('order_shipped: each variable starts defined by the model, its key what the editor would make of its label', async () => {
		const fields = await fieldsOf(tool, { __rl: true, mode: 'list', value: 'order_shipped|en' });
		expect(fields.fields.map((field) => field.displayName)).toEqual([
			'Header 1',
			'Body 1',
			'Body 2',
			'Body 3',
			'Button 1 URL suffix',
		]);
		const arguments_ = offered(fields);
		expect(arguments_.map((argument) => argument.key)).toEqual(
			fields.fields.map((field) => editorKey(field.displayName)),
		);
		expect(arguments_[1]).toEqual({
			key: 'Body_1',
			description:
				'Body 1 of the WhatsApp template "order_shipped" (en), the blank in "Hi ___, your order [2] has shipped and arrives by [3].". Plain text, no newlines. Example: Asha.',
			type: 'string',
		});
		expect(arguments_[4]).toEqual({
			key: 'Button_1_URL_suffix',
			description:
				'Button 1 URL suffix of the WhatsApp template "order_shipped" (en). The text that completes the button\'s link. Example: 1042.',
			type: 'string',
		});
	});

	it("the editor's description panel shows each description as the model reads it", async () => {
		const fields = await fieldsOf(tool, { __rl: true, mode: 'list', value: 'order_shipped|en' });
		// What n8n 2.41's editor does to show an override's description (its from-AI override store).
		const inThePanel = (value: string) =>
			extractFromAICalls(value.replace(/\\[^`]/g, '\\\\'))[0].description;
		expect(fields.fields.map((field) => inThePanel(String(field.defaultValue)))).toEqual(
			offered(fields).map((argument) => argument.description),
		);
		expect(inThePanel(String(fields.fields[0].defaultValue))).toBe(
			'Header 1 of the WhatsApp template "order_shipped" (en), the blank in "Order ___ is on its way". Plain text, no newlines. Example: 1042.',
		);
	});

	it('a named template: the key carries the variable name', async () => {
		const fields = await fieldsOf(tool, {
			__rl: true,
			mode: 'list',
			value: 'appointment_reminder|en_US',
		});
		expect(offered(fields).map((argument) => argument.key)).toEqual([
			'Body_customer_name',
			'Body_appointment_date',
			...offered(fields)
				.slice(2)
				.map((argument) => argument.key),
		]);
		expect(offered(fields)[0].description).toContain(
			'the blank in "Hello ___, this is a reminder of your appointment on [appointment_date]."',
		);
	});

	it('the plain node keeps its labels and leaves the values to the builder', async () => {
		const fields = await fieldsOf(plain, { __rl: true, mode: 'list', value: 'order_shipped|en' });
		expect(fields.fields[1].displayName).toBe('Body {{1}}: Hi ___, your…');
		expect(fields.fields.every((field) => field.defaultValue === undefined)).toBe(true);
	});

	it('a template the model chooses: no variables to list, and the notice says what works instead', async () => {
		const fields = await fieldsOf(tool, {
			__rl: true,
			mode: 'name',
			value: "={{ $fromAI('Template', '', 'string') }}",
		});
		expect(fields).toEqual({
			fields: [],
			emptyFieldsNotice:
				'The template or its language comes from an expression, so its variables cannot be listed here. Pick or type the template, or set Variables to "Components (JSON)".',
		});
		expect(sandbox.requests).toEqual([]);
	});
});

describe('the variables appear in tool mode whatever order the fields were set in', () => {
	const shown = (description: INodeTypeDescription, set: INodeParameters) =>
		'variables' in
		resolved(description, { resource: 'message', operation: 'sendTemplate', ...set });

	it('as a tool the list first appears with its template, so it loads then (an earlier "defined by the model" field cannot stop it)', () => {
		const recipientByModel = { recipient: "={{ $fromAI('Recipient', '', 'string') }}" };
		expect(
			shown(tool.description, {
				...recipientByModel,
				template: { __rl: true, mode: 'list', value: '' },
			}),
		).toBe(false);
		expect(
			shown(tool.description, {
				...recipientByModel,
				template: { __rl: true, mode: 'list', value: 'order_shipped|en' },
			}),
		).toBe(true);
	});

	it('the plain node shows the list from the start, as before', () => {
		expect(shown(plain.description, { template: { __rl: true, mode: 'list', value: '' } })).toBe(
			true,
		);
	});
});
