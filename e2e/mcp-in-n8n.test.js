'use strict';
/**
 * The Kaleyra WhatsApp node as an AI agent's tool, in a real n8n 2.x, called without any LLM: a
 * published workflow whose MCP Server Trigger has two Kaleyra WhatsApp Tool nodes (Send Text, Send
 * Template), their fields "defined by the model" (`$fromAI`); an MCP client (the official SDK)
 * lists the tools and calls them with arguments, as a model would. The sandbox must receive exactly
 * those messages, and the model gets back the small output (message ID, status, recipient).
 *
 *   node --test e2e/mcp-in-n8n.test.js
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const {
	StreamableHTTPClientTransport,
} = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

const runtime = require('../scripts/n8n-runtime');
const harness = require('../scripts/harness');
const { N8nRestClient, ownerPassword } = require('../scripts/n8n-rest');
const { tearDown } = require('./teardown');

const TOOL_TYPE = `${runtime.PACKAGE_NAME}.kaleyraWhatsAppTool`;
const MCP_PATH = 'kaleyra-whatsapp-tools';
const BUSINESS_NUMBER = harness.SANDBOX_ACCOUNT.numbers[0];
const NOT_UNDOABLE =
	"It acts at once on the customer's WhatsApp chat and cannot be undone, edited or recalled: call it only when this should really happen, and only once.";

const startedAt = Date.now();
const print = (line) => process.stdout.write(`${line}\n`);
const { step, timings } = harness.createStepper(print);
const state = { logs: [] };

const credentials = {
	kaleyraWhatsAppApi: { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name },
};

/** A field the builder set to "defined by the model", with the description they gave it. */
const byModel = (key, description, type = 'string') =>
	`={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('${key}', ${JSON.stringify(description)}, '${type}') }}`;

const RECIPIENT = byModel(
	'Recipient',
	"The customer's WhatsApp number in international format, e.g. +919811111111",
);

/** The workflow as the editor would save it; the template's variables as the node offered them. */
function toolWorkflow(templateFields) {
	const tool = (name, y, parameters) => ({
		parameters: { resource: 'message', businessNumber: BUSINESS_NUMBER, ...parameters },
		id: `00000000-0000-4000-8000-00000000000${y}`,
		name,
		type: TOOL_TYPE,
		typeVersion: 1.2,
		position: [200 * y, 200],
		credentials,
	});
	return {
		name: 'e2e: Kaleyra WhatsApp as MCP tools',
		nodes: [
			{
				parameters: { path: MCP_PATH },
				id: '00000000-0000-4000-8000-000000000000',
				name: 'MCP Server Trigger',
				type: '@n8n/n8n-nodes-langchain.mcpTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '6f7a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
			},
			tool('Send Text', 1, {
				operation: 'sendText',
				recipient: RECIPIENT,
				body: byModel('Message', 'The text to send, at most 4096 characters'),
			}),
			tool('Send Template', 2, {
				operation: 'sendTemplate',
				recipient: RECIPIENT,
				template: { __rl: true, mode: 'list', value: 'order_shipped|en' },
				variablesInput: 'map',
				variables: {
					mappingMode: 'defineBelow',
					value: Object.fromEntries(templateFields.map((field) => [field.id, field.defaultValue])),
					matchingColumns: [],
					schema: templateFields.map((field) => ({ ...field, removed: false })),
					attemptToConvertTypes: false,
					convertFieldsToString: false,
				},
			}),
		],
		connections: {
			'Send Text': { ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]] },
			'Send Template': { ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

async function publish(client, id) {
	const { versionId } = await client.data('GET', `/rest/workflows/${id}`);
	await client.data('POST', `/rest/workflows/${id}/activate`, { versionId });
	const deadline = Date.now() + 60000;
	for (;;) {
		const status = await client.data('GET', `/rest/workflows/${id}/publication-status`);
		if (status.status !== 'in_progress') {
			assert.notEqual(status.status, 'failed', JSON.stringify(status));
			return;
		}
		if (Date.now() > deadline) throw new Error(`still publishing: ${JSON.stringify(status)}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

before(async () => {
	print(`e2e: ${TOOL_TYPE} behind an MCP Server Trigger in n8n ${runtime.N8N_VERSION}`);
	if (runtime.N8N_LINE !== '2') throw new Error('the MCP Server Trigger e2e runs on n8n 2.x');
	await step('ensure n8n', () => runtime.ensureN8n());
	state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-mcp-e2e-'));
	state.userFolder = path.join(state.tmp, 'n8n-user');
	const tgz = await step('npm run build && npm pack', () =>
		harness.buildAndPack(path.join(state.tmp, 'pack')),
	);
	({ sandbox: state.sandbox, apiKey: state.apiKey } = await step('start the Kaleyra sandbox', () =>
		harness.startKaleyraSandbox(),
	));
	await step('install the package like the Community Nodes panel', () =>
		runtime.installPackage(state.userFolder, tgz),
	);
	const credentialsFile = path.join(state.tmp, 'credentials.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify([harness.sandboxCredential(state.sandbox.url, state.apiKey)]),
		{ mode: 0o600 },
	);
	await step('n8n import:credentials', async () =>
		harness.assertRan(
			await runtime.runN8n(['import:credentials', `--input=${credentialsFile}`], {
				userFolder: state.userFolder,
			}),
		),
	);
	fs.rmSync(credentialsFile);
	state.server = await step('n8n start', () => runtime.startN8n({ userFolder: state.userFolder }));
	state.client = new N8nRestClient(state.server.url);
	const owner = {
		email: 'owner@example.com',
		firstName: 'Kaleyra',
		lastName: 'Tester',
		password: ownerPassword(),
	};
	await state.client.setupOwner(owner);
	await state.client.login(owner);
	// The template's variables as the editor loads them for the tool node.
	state.templateFields = (
		await state.client.data('POST', '/rest/dynamic-node-parameters/resource-mapper-fields', {
			path: 'parameters.variables',
			methodName: 'getTemplateVariables',
			nodeTypeAndVersion: { name: TOOL_TYPE, version: 1.2 },
			currentNodeParameters: {
				resource: 'message',
				operation: 'sendTemplate',
				template: { __rl: true, mode: 'list', value: 'order_shipped|en' },
				language: '',
				variablesInput: 'map',
			},
			credentials,
		})
	).fields;
	const created = await step('create and publish the MCP workflow', async () => {
		const workflow = await state.client.data(
			'POST',
			'/rest/workflows',
			toolWorkflow(state.templateFields),
		);
		await publish(state.client, workflow.id);
		return workflow;
	});
	state.workflowId = created.id;
	state.mcp = new Client({ name: 'kaleyra-e2e', version: '1.0.0' });
	await step('MCP client connects', async () => {
		const url = new URL(`${state.server.url}/mcp/${MCP_PATH}`);
		const deadline = Date.now() + 30000;
		for (;;) {
			try {
				await state.mcp.connect(new StreamableHTTPClientTransport(url));
				return;
			} catch (error) {
				// n8n answers its REST API a moment before it registers a published workflow's webhooks.
				if (Date.now() > deadline) throw error;
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		}
	});
});

after(async () => {
	await state.mcp?.close().catch(() => {});
	await tearDown(state, { timings, print, startedAt });
});

/** What the sandbox accepted: recipient and message object, per message. */
const received = () =>
	state.sandbox.messages.map((message) => ({
		to: message.to,
		messaging_object: message.payload.messaging_object,
	}));

/** The tool's answer as the model reads it. */
function answer(result) {
	assert.equal(result.isError ?? false, false, JSON.stringify(result));
	assert.equal(result.content.length, 1, JSON.stringify(result));
	return JSON.parse(result.content[0].text);
}

describe('an MCP client lists the Kaleyra WhatsApp tools and calls them, no LLM anywhere', () => {
	it('lists Send Text and Send Template, each saying what it does and that it cannot be undone, with readable arguments', async () => {
		const { tools } = await state.mcp.listTools();
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
		assert.deepEqual(Object.keys(byName).sort(), ['Send_Template', 'Send_Text']);
		assert.equal(
			byName.Send_Text.description,
			`Kaleyra WhatsApp: Send a text message (inside the 24-hour customer service window). ${NOT_UNDOABLE}`,
		);
		assert.equal(
			byName.Send_Template.description,
			`Kaleyra WhatsApp: Send an approved template, the only message WhatsApp delivers outside the 24-hour window. ${NOT_UNDOABLE}`,
		);
		assert.deepEqual(Object.keys(byName.Send_Text.inputSchema.properties).sort(), [
			'Message',
			'Recipient',
		]);
		assert.deepEqual(Object.keys(byName.Send_Template.inputSchema.properties).sort(), [
			'Body_1',
			'Body_2',
			'Body_3',
			'Button_1_URL_suffix',
			'Header_1',
			'Recipient',
		]);
		assert.equal(
			byName.Send_Template.inputSchema.properties.Body_2.description,
			'Body 2 of the WhatsApp template "order_shipped" (en), the blank in "Hi [1], your order ___ has shipped and arrives by [3].". Plain text, no newlines. Example: 1042.',
		);
	});

	it('Send Text: the sandbox receives exactly that message; the model gets message ID, status and recipient', async () => {
		state.sandbox.reset();
		const result = await state.mcp.callTool({
			name: 'Send_Text',
			arguments: { Recipient: '+919811111111', Message: 'Your order 1042 has shipped' },
		});
		const [sent] = state.sandbox.messages;
		assert.deepEqual(received(), [
			{
				to: '+919811111111',
				messaging_object: {
					messaging_product: 'whatsapp',
					recipient_type: 'individual',
					to: '+919811111111',
					type: 'text',
					text: { body: 'Your order 1042 has shipped', preview_url: false },
				},
			},
		]);
		assert.deepEqual(answer(result), [
			{ messageId: sent.messageId, status: 'accepted', to: '+919811111111' },
		]);
	});

	it("Send Template: order_shipped with the model's variables, exactly; the same small answer", async () => {
		state.sandbox.reset();
		const result = await state.mcp.callTool({
			name: 'Send_Template',
			arguments: {
				Recipient: '+919822222222',
				Header_1: '1043',
				Body_1: 'Ben',
				Body_2: '1043',
				Body_3: 'Monday',
				Button_1_URL_suffix: '1043',
			},
		});
		const messages = state.sandbox.messages;
		assert.deepEqual(received(), [
			{
				to: '+919822222222',
				messaging_object: {
					messaging_product: 'whatsapp',
					recipient_type: 'individual',
					to: '+919822222222',
					type: 'template',
					template: {
						name: 'order_shipped',
						language: { code: 'en' },
						components: [
							{ type: 'header', parameters: [{ type: 'text', text: '1043' }] },
							{
								type: 'body',
								parameters: [
									{ type: 'text', text: 'Ben' },
									{ type: 'text', text: '1043' },
									{ type: 'text', text: 'Monday' },
								],
							},
							{
								type: 'button',
								sub_type: 'url',
								index: '0',
								parameters: [{ type: 'text', text: '1043' }],
							},
						],
					},
				},
			},
		]);
		assert.deepEqual(answer(result), [
			{ messageId: messages[0].messageId, status: 'accepted', to: '+919822222222' },
		]);
	});
});

describe('a bad argument from the model', () => {
	it('Send Text to a recipient that is no phone number: the tool answers an error naming the field, nothing is sent', async () => {
		state.sandbox.reset();
		const result = await state.mcp.callTool({
			name: 'Send_Text',
			arguments: { Recipient: 'Asha', Message: 'Your order 1042 has shipped' },
		});
		assert.deepEqual(result, {
			isError: true,
			content: [
				{
					type: 'text',
					text: 'NodeOperationError: Recipient: "Asha" is not a phone number in international format. Use + and the country code followed by the number (8 to 15 digits), e.g. +919900000000.\n\nDetails: Nothing was sent for item 0.',
				},
			],
		});
		assert.deepEqual(received(), []);
	});
});
