'use strict';
/**
 * End to end for the Kaleyra WhatsApp Trigger: the packed package in a real n8n 2.41.1
 * (`n8n start`), the workflows published (active), and the Kaleyra sandbox playing the customer
 * and Kaleyra's callback service against their production webhook URLs.
 *
 *   node --test e2e/trigger-in-n8n.test.js
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { request } = require('undici');

const runtime = require('../scripts/n8n-runtime');
const harness = require('../scripts/harness');
const { N8nRestClient, ownerPassword } = require('../scripts/n8n-rest');
const callbacks = require('../scripts/callbacks');

const { TRIGGER_TYPE, triggerNode, callbackProfile, publishWorkflows } = callbacks;
const expectations = require('./expectations');
const { packageLogProblems } = require('./log-check');
const { tearDown } = require('./teardown');

const N8N_TEST_ENV = { NODE_OPTIONS: '--trace-deprecation', ...callbacks.savedFilesEnv() };
const STARTED_BY_CALLBACKS = Object.entries(expectations).filter(
	([, expected]) => expected.customer !== undefined,
);
const ASHA = '+919812345678';

/** Not an example: a workflow that starts on the delivery statuses of the messages you send. */
const STATUS_WORKFLOW = {
	file: 'e2e: delivery statuses',
	id: 'e2eDeliveryStatus',
	name: 'e2e: delivery statuses',
	workflow: {
		name: 'e2e: delivery statuses',
		nodes: [
			{
				parameters: {
					secret: 'e2e-status-secret-0123456789',
					events: ['sent', 'delivered', 'read', 'failed'],
				},
				id: '0b6f2c1e-7d4a-4e9b-8c3f-5a1d2e4f6a7b',
				name: 'Kaleyra WhatsApp Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: '2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3c5e7a',
				credentials: {
					kaleyraWhatsAppApi: { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name },
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	},
};

/** Every kind of callback chosen: the second hardening pass (issue 23) checks the trigger's own points on it. */
const EVERY_CALLBACK_WORKFLOW = {
	file: 'e2e: every callback',
	id: 'e2eEveryCallback',
	workflow: {
		name: 'e2e: every callback',
		nodes: [
			{
				parameters: {
					events: [
						'text',
						'media',
						'location',
						'contacts',
						'buttonReply',
						'listReply',
						'quickReply',
						'reaction',
						'otherMessage',
						'sent',
						'delivered',
						'read',
						'failed',
						'notSent',
						'notice',
					],
				},
				id: '6a1e3c5b-7d9f-4b2a-8c4e-1f3a5b7d9e0c',
				name: 'Kaleyra WhatsApp Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1.1,
				position: [0, 0],
				webhookId: '8e0a2c4d-6f1b-4d3e-a5c7-9b1d3f5a7c9e',
				credentials: {
					kaleyraWhatsAppCallbackApi: {
						id: harness.CALLBACK_CREDENTIAL.id,
						name: harness.CALLBACK_CREDENTIAL.name,
					},
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	},
};

/** Issue 22: a customer's file fetched by the trigger (Download Media) and read by the next node. */
const MEDIA_WORKFLOW = {
	file: 'e2e: download media',
	id: 'e2eDownloadMedia',
	workflow: {
		name: 'e2e: download media',
		nodes: [
			{
				parameters: { events: ['media'], options: { downloadMedia: true } },
				id: '9b1d3f5a-7c9e-4b2d-8f4a-6c8e0a2b4d6f',
				name: 'Kaleyra WhatsApp Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1.1,
				position: [0, 0],
				webhookId: 'b3d5f7a9-1c2e-4f6a-8b0d-2e4f6a8c0b1d',
				credentials: {
					kaleyraWhatsAppCallbackApi: {
						id: harness.CALLBACK_CREDENTIAL.id,
						name: harness.CALLBACK_CREDENTIAL.name,
					},
					kaleyraWhatsAppApi: { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name },
				},
			},
			{
				parameters: {
					jsCode:
						"const out = [];\nfor (let i = 0; i < $input.all().length; i++) {\n  const file = $input.all()[i].binary.data;\n  const buffer = await this.helpers.getBinaryDataBuffer(i, 'data');\n  out.push({ json: { bytes: buffer.length, base64: buffer.toString('base64'), fileName: file.fileName, mimeType: file.mimeType } });\n}\nreturn out;",
				},
				id: 'c4e6a8b0-2d3f-4a7b-9c1e-3f5a7b9d1e2f',
				name: 'Read the file',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
			},
		],
		connections: {
			'Kaleyra WhatsApp Trigger': { main: [[{ node: 'Read the file', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	},
};

/** Issue 22: a trigger whose callback credential is Secret in URL (the Incoming URL carries ?token=). */
const URL_TOKEN_WORKFLOW = {
	file: 'e2e: secret in URL',
	id: 'e2eSecretInUrl',
	workflow: {
		name: 'e2e: secret in URL',
		nodes: [
			{
				parameters: { events: ['text'] },
				id: 'd5f7a9b1-3e4a-4b8c-a2d4-4a6b8c0d2e3f',
				name: 'Kaleyra WhatsApp Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1.1,
				position: [0, 0],
				webhookId: 'e6a8b0c2-4f5b-4c9d-b3e5-5b7c9d1e3f4a',
				credentials: {
					kaleyraWhatsAppCallbackApi: {
						id: harness.CALLBACK_URL_CREDENTIAL.id,
						name: harness.CALLBACK_URL_CREDENTIAL.name,
					},
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	},
};

/** Issue 17 point 5: a trigger that starts only on a template's status change (Meta's review). */
const TEMPLATE_STATUS_WORKFLOW = {
	file: 'e2e: template status',
	id: 'e2eTemplateStatus',
	workflow: {
		name: 'e2e: template status',
		nodes: [
			{
				parameters: { events: ['templateStatus'] },
				id: 'f7b9c1d3-5a6c-4dae-b4f6-6c8d0e2f4a5b',
				name: 'Kaleyra WhatsApp Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1.1,
				position: [0, 0],
				webhookId: 'a8c0d2e4-6b7d-4ebf-85a7-7d9e1f3a5b6c',
				credentials: {
					kaleyraWhatsAppCallbackApi: {
						id: harness.CALLBACK_CREDENTIAL.id,
						name: harness.CALLBACK_CREDENTIAL.name,
					},
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	},
};

/** A version-1 trigger whose own Secret field is too short: publishing it must fail, naming the field. */
const shortSecretWorkflow = (secret) => ({
	name: 'e2e: short secret',
	nodes: [
		{
			parameters: { secret, events: ['text'] },
			id: '3c5e7a9b-1d2f-4e6a-8b0c-2d4f6a8c0e1b',
			name: 'Kaleyra WhatsApp Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: '5e7a9c1d-3f4b-4a8c-9d2e-4f6b8d0a2c3e',
		},
	],
	connections: {},
	settings: { executionOrder: 'v1' },
});
const SHORT_SECRET_WORKFLOW = {
	file: 'e2e: short secret',
	id: 'e2eShortSecret',
	workflow: shortSecretWorkflow('too-short'),
};

function print(line) {
	process.stderr.write(`${line}\n`);
}

const { step, timings } = harness.createStepper(print);
const startedAt = Date.now();
const state = {
	tmp: undefined,
	userFolder: undefined,
	sandbox: undefined,
	apiKey: undefined,
	server: undefined,
	client: undefined,
	workflows: [],
	logs: [],
};

const flatted = () => require(path.join(runtime.runtimePaths().n8nDir, 'node_modules', 'flatted'));
const pick = (object, keys) =>
	Object.fromEntries(
		keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]),
	);

/** Where the sandbox posts for this workflow: its trigger's production URL, with its secret header. */
const profileOf = (workflow) => callbackProfile(workflow.workflow, state.server.url);
const triggerName = (workflow) => triggerNode(workflow.workflow).name;

const workflowNamed = (file) => state.workflows.find((workflow) => workflow.file === file);

async function executions(workflow) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId: workflow.id }));
	const { results } = await state.client.data('GET', `/rest/executions?filter=${filter}&limit=100`);
	return results.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Waits until the workflow has `count` finished executions; returns them, oldest first. */
async function finishedExecutions(workflow, count) {
	const deadline = Date.now() + 30000;
	for (;;) {
		const list = await executions(workflow);
		if (
			list.length >= count &&
			list.every((execution) => !['new', 'running'].includes(execution.status))
		)
			return list;
		if (Date.now() > deadline)
			throw new Error(
				`${workflow.file}: ${list.length} of ${count} executions finished: ${JSON.stringify(list)}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** One execution with its run data (n8n stores it flatted). */
async function executionRun(id) {
	const execution = await state.client.data('GET', `/rest/executions/${id}`);
	return { ...execution, data: flatted().parse(execution.data) };
}

/** Until every callback the sandbox posts has its answer (statuses follow a send by a few hundred ms). */
async function callbacksAnswered(count) {
	const deadline = Date.now() + 20000;
	while (
		state.sandbox.callbacks.length < count ||
		state.sandbox.callbacks.some((callback) => callback.status === null && callback.error === null)
	) {
		if (Date.now() > deadline)
			throw new Error(
				`callbacks: ${JSON.stringify(state.sandbox.callbacks.map((c) => [c.kind, c.status, c.error]))}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return state.sandbox.callbacks;
}

before(async () => {
	print(`e2e: ${TRIGGER_TYPE} in n8n ${runtime.N8N_VERSION}`);
	await step('ensure n8n', () => runtime.ensureN8n());
	state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-trigger-e2e-'));
	state.userFolder = path.join(state.tmp, 'n8n-user');
	const tgz = await step('npm run build && npm pack', () =>
		harness.buildAndPack(path.join(state.tmp, 'pack')),
	);
	({ sandbox: state.sandbox, apiKey: state.apiKey } = await step('start the Kaleyra sandbox', () =>
		harness.startKaleyraSandbox(),
	));
	const prepared = await harness.prepareInstance({
		userFolder: state.userFolder,
		tgz,
		sandboxUrl: state.sandbox.url,
		apiKey: state.apiKey,
		env: N8N_TEST_ENV,
		step,
	});
	prepared.runs.forEach((run) =>
		state.logs.push({ what: `n8n ${run.args.join(' ')}`, text: `${run.stdout}\n${run.stderr}` }),
	);
	const statusFile = path.join(state.tmp, 'status-workflow.json');
	const extra = [
		STATUS_WORKFLOW,
		EVERY_CALLBACK_WORKFLOW,
		SHORT_SECRET_WORKFLOW,
		MEDIA_WORKFLOW,
		URL_TOKEN_WORKFLOW,
		TEMPLATE_STATUS_WORKFLOW,
	];
	fs.writeFileSync(
		statusFile,
		JSON.stringify(extra.map((workflow) => ({ ...workflow.workflow, id: workflow.id }))),
	);
	await step('n8n import:workflow (delivery statuses, every callback, short secret)', async () =>
		harness.assertRan(
			await runtime.runN8n(['import:workflow', `--input=${statusFile}`], {
				userFolder: state.userFolder,
				env: N8N_TEST_ENV,
			}),
		),
	);
	state.workflows = [
		...prepared.examples.filter((example) =>
			STARTED_BY_CALLBACKS.some(([file]) => file === example.file),
		),
		STATUS_WORKFLOW,
		EVERY_CALLBACK_WORKFLOW,
		MEDIA_WORKFLOW,
		URL_TOKEN_WORKFLOW,
		TEMPLATE_STATUS_WORKFLOW,
	];
	await publishWorkflows(state.userFolder, state.workflows, { env: N8N_TEST_ENV, step });
	state.server = await step('n8n start', () =>
		runtime.startN8n({ userFolder: state.userFolder, env: N8N_TEST_ENV }),
	);
	const owner = {
		email: 'owner@example.com',
		firstName: 'Kaleyra',
		lastName: 'Tester',
		password: ownerPassword(),
	};
	state.client = new N8nRestClient(state.server.url);
	await state.client.setupOwner(owner);
	await state.client.login(owner);
	for (const workflow of state.workflows)
		await callbacks.waitUntilListening(profileOf(workflow).url);
});

after(() => tearDown(state, { timings, print, startedAt }));

describe('the editor lists the trigger next to the Kaleyra WhatsApp node', () => {
	it('with its icon, the same credential, the events and a production URL on POST and GET', async () => {
		const nodeTypes = await state.client.nodeTypes();
		const node = nodeTypes.find((type) => type.name === TRIGGER_TYPE);
		assert.ok(node, `${TRIGGER_TYPE} is not among the ${nodeTypes.length} node types n8n loaded`);
		assert.ok(nodeTypes.some((type) => type.name === `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`));
		assert.equal(node.displayName, 'Kaleyra WhatsApp Trigger');
		assert.deepEqual(node.group, ['trigger']);
		// 1.1 (the default for new triggers) takes the callback secret from its own credential; 1 keeps it in node fields.
		assert.deepEqual(node.version, [1, 1.1]);
		assert.equal(node.defaultVersion, 1.1);
		assert.deepEqual(node.credentials, [
			{
				name: 'kaleyraWhatsAppCallbackApi',
				required: true,
				testedBy: 'callbackSettings',
				displayOptions: { show: { '@version': [1.1] } },
			},
			{
				name: 'kaleyraWhatsAppApi',
				required: false,
				displayOptions: { show: { 'options.downloadMedia': [true] } },
			},
		]);
		const credentialTypes = await state.client.credentialTypes();
		assert.ok(
			JSON.stringify(credentialTypes).includes('"kaleyraWhatsAppCallbackApi"'),
			'n8n loaded the Kaleyra WhatsApp Callback API credential',
		);
		assert.deepEqual(
			node.webhooks.map((webhook) => [webhook.name, webhook.httpMethod, webhook.path]),
			[
				['default', 'POST', 'kaleyra'],
				['setup', 'GET', 'kaleyra'],
			],
		);
		assert.deepEqual(node.properties.find((property) => property.name === 'events').default, [
			'text',
			'media',
			'location',
			'contacts',
			'buttonReply',
			'listReply',
			'quickReply',
			'reaction',
			'flowReply',
			'otherMessage',
		]);
		for (const url of [node.iconUrl.light, node.iconUrl.dark]) {
			const response = await state.client.call('GET', `/${url}`);
			assert.equal(response.status, 200, `GET /${url}`);
		}
	});
});

describe('Kaleyra calls the trigger of a published workflow, and the workflow answers the customer', () => {
	for (const [file, expected] of STARTED_BY_CALLBACKS) {
		it(`${file}: ${expected.story}`, async () => {
			const workflow = workflowNamed(file);
			assert.ok(workflow, `${file} was not imported`);
			state.sandbox.reset();
			state.sandbox.configureCallbacks({ ...profileOf(workflow), statuses: false });
			const before = (await executions(workflow)).length;

			const posted = await state.sandbox.customer(expected.customer);
			assert.equal(posted.status, 200, JSON.stringify(posted));
			const [execution] = (await finishedExecutions(workflow, before + 1)).slice(before);
			assert.equal(execution.status, 'success', JSON.stringify(execution));
			assert.equal(execution.mode, 'webhook');

			// What Kaleyra received: exactly these messages, about the customer's message.
			await new Promise((resolve) => setTimeout(resolve, 200));
			const received = state.sandbox.messages;
			assert.deepEqual(
				received.map((message) =>
					pick(message, ['api', 'businessNumber', 'to', 'type', 'payload']),
				),
				expected.messages,
			);

			// What n8n output: the trigger's one item, then one item per message, with Kaleyra's id.
			const run = await executionRun(execution.id);
			const [item] = runtime.nodeOutput(run, triggerName(workflow));
			assert.equal(item.messageId, posted.messageId);
			assert.equal(item.from, ASHA);
			for (const [nodeName, items] of Object.entries(expected.outputs)) {
				assert.deepEqual(
					(runtime.nodeOutput(run, nodeName) ?? []).map((output) =>
						pick(output, ['messageId', 'to', 'type', 'status', 'ref']),
					),
					items.map(({ message, ...fields }) => ({
						messageId: received[message].messageId,
						...fields,
						status: 'accepted',
					})),
					`output of "${nodeName}"`,
				);
			}
			assert.ok(
				!JSON.stringify(run).includes(state.apiKey),
				'the API key appears in the execution data',
			);
			// A file the workflow saved: on disk with the bytes the customer sent.
			if (expected.savedFile) {
				const saved = path.join(callbacks.SAVED_FILES_FOLDER, expected.savedFile.name);
				assert.equal(fs.readFileSync(saved).toString('base64'), expected.savedFile.base64);
			}
		});
	}

	it('a tap on "no" takes the other branch: the customer is offered another time', async () => {
		const workflow = workflowNamed('route-button-reply.json');
		state.sandbox.reset();
		state.sandbox.configureCallbacks({ ...profileOf(workflow), statuses: false });
		const before = (await executions(workflow)).length;
		const posted = await state.sandbox.customer({
			kind: 'button',
			buttonId: 'no',
			buttonTitle: 'No',
		});
		const [execution] = (await finishedExecutions(workflow, before + 1)).slice(before);
		const run = await executionRun(execution.id);
		assert.deepEqual(runtime.nodeOutput(run, 'Confirm the delivery'), undefined);
		assert.deepEqual(
			state.sandbox.messages.map((message) => [
				message.type,
				message.to,
				message.payload.messaging_object.context,
				message.payload.messaging_object.text.body,
			]),
			[
				[
					'text',
					ASHA,
					{ message_id: posted.messageId },
					'No problem, Asha. We will call you today to find a better time.',
				],
			],
		);
	});
});

describe('statuses start a workflow only where they are chosen', () => {
	it('with statuses off (the default), the six statuses of the reply and the reaction start nothing', async () => {
		const workflow = workflowNamed('answer-incoming-message.json');
		state.sandbox.reset();
		state.sandbox.configureCallbacks({ ...profileOf(workflow), statuses: true, delayMs: 50 });
		const before = (await executions(workflow)).length;
		await state.sandbox.customer({ kind: 'text', text: 'Is anyone there?' });
		await finishedExecutions(workflow, before + 1);
		const [incomingText, ...statuses] = await callbacksAnswered(7);
		assert.deepEqual(
			[incomingText.kind, incomingText.status, incomingText.answer.started],
			['incoming text', 200, 1],
		);
		assert.deepEqual(
			statuses.map((callback) => callback.kind).sort(),
			['delivered', 'delivered', 'read', 'read', 'sent', 'sent'].map(
				(status) => `status ${status}`,
			),
		);
		for (const callback of statuses) {
			assert.deepEqual(
				[callback.status, callback.answer],
				[200, { received: 1, started: 0, notChosen: 1, duplicates: 0 }],
				callback.kind,
			);
		}
		assert.equal(
			(await executions(workflow)).length,
			before + 1,
			'one customer message, one execution',
		);
	});

	it('with sent, delivered and read chosen, each status of a send is one execution with its item', async () => {
		state.sandbox.reset();
		state.sandbox.configureCallbacks({
			...profileOf(STATUS_WORKFLOW),
			statuses: true,
			delayMs: 50,
		});
		const response = await request(
			`${state.sandbox.url}/v2/${harness.SANDBOX_ACCOUNT.sid}/whatsapp/${harness.SANDBOX_ACCOUNT.numbers[0]}/messages`,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json', 'api-key': state.apiKey },
				body: JSON.stringify({
					messaging_object: {
						messaging_product: 'whatsapp',
						recipient_type: 'individual',
						to: ASHA,
						type: 'text',
						text: { body: 'Your order has shipped.' },
					},
					extra_info: { ref: 'A-1001' },
				}),
			},
		);
		const { data } = await response.body.json();
		await callbacksAnswered(3);
		const list = await finishedExecutions(STATUS_WORKFLOW, 3);
		const items = [];
		for (const execution of list)
			items.push(
				...runtime.nodeOutput(await executionRun(execution.id), 'Kaleyra WhatsApp Trigger'),
			);
		assert.deepEqual(
			items.map((item) => pick(item, ['event', 'status', 'messageId', 'to', 'ref'])),
			['sent', 'delivered', 'read'].map((status) => ({
				event: 'status',
				status,
				messageId: data.message_id,
				to: ASHA,
				ref: 'A-1001',
			})),
		);
	});
});

describe('only your callback profile starts the workflow, once per message', () => {
	it('version 1.1: the secret is in the encrypted credential, not in the stored workflow; version 1 still reads its own fields', async () => {
		const current = workflowNamed('answer-incoming-message.json');
		const stored = await state.client.data('GET', `/rest/workflows/${current.id}`);
		const trigger = stored.nodes.find((node) => node.type === TRIGGER_TYPE);
		assert.equal(trigger.typeVersion, 1.1);
		assert.deepEqual(trigger.parameters.secret, undefined);
		assert.ok(
			!JSON.stringify(stored).includes(harness.CALLBACK_CREDENTIAL.data.secret),
			'the workflow holds no callback secret',
		);
		// The delivery-status workflow is version 1, saved by the first release: its secret is a node field, and it started above.
		const old = await state.client.data('GET', `/rest/workflows/${STATUS_WORKFLOW.id}`);
		assert.equal(old.nodes.find((node) => node.type === TRIGGER_TYPE).typeVersion, 1);
	});

	it('a wrong secret gets 401, the secret in no answer, and no execution', async () => {
		const workflow = workflowNamed('answer-incoming-message.json');
		const profile = profileOf(workflow);
		const secret = Object.values(profile.headers)[0];
		state.sandbox.reset();
		state.sandbox.configureCallbacks({
			url: profile.url,
			headers: { 'X-Kaleyra-Secret': 'not-the-secret-of-this-trigger' },
			statuses: false,
		});
		const before = (await executions(workflow)).length;
		const posted = await state.sandbox.customer({ kind: 'text', text: 'Let me in' });
		assert.equal(posted.status, 401);
		assert.deepEqual(posted.answer, {
			code: 401,
			message: 'Unauthorized: this callback is not from your Kaleyra callback profile',
		});
		assert.ok(!JSON.stringify(posted).includes(secret));
		await new Promise((resolve) => setTimeout(resolve, 1000));
		assert.equal(
			(await executions(workflow)).length,
			before,
			'no execution for a refused callback',
		);
		assert.deepEqual(state.sandbox.messages, [], 'nothing sent to the customer');
	});

	it('the same callback delivered twice gives one execution', async () => {
		const workflow = workflowNamed('answer-incoming-message.json');
		state.sandbox.reset();
		state.sandbox.configureCallbacks({ ...profileOf(workflow), statuses: false });
		const before = (await executions(workflow)).length;
		const message = {
			kind: 'text',
			text: 'Hello? (sent twice)',
			messageId: 'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAEhgUM0VCMERVUExJQ0FURTAwMDAwMQA=',
		};
		const first = await state.sandbox.customer(message);
		const second = await state.sandbox.customer(message);
		assert.equal(first.status, 200);
		assert.deepEqual(
			[second.status, second.answer],
			[200, { received: 1, started: 0, notChosen: 0, duplicates: 1 }],
		);
		await finishedExecutions(workflow, before + 1);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		assert.equal((await executions(workflow)).length, before + 1);
		assert.equal(
			state.sandbox.messages.filter((sent) => sent.type === 'text').length,
			1,
			'one reply, not two',
		);
	});
});

/** Posts a callback body to the workflow's production URL the way Kaleyra does, with the profile's header. */
async function postCallback(workflow, body, { method = 'POST', query = '' } = {}) {
	const profile = profileOf(workflow);
	const response = await request(`${profile.url}${query}`, {
		method,
		headers: {
			...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
			...profile.headers,
		},
		...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
	});
	const text = await response.body.text();
	return { status: response.statusCode, answer: text === '' ? undefined : JSON.parse(text) };
}

/** The trigger's items of each execution after the first `before`, oldest first. */
async function triggerItemsSince(workflow, before, count) {
	const list = (await finishedExecutions(workflow, before + count)).slice(before);
	assert.equal(
		list.length,
		count,
		`${workflow.file}: ${list.length} new executions, expected ${count}`,
	);
	const runs = [];
	for (const execution of list)
		runs.push(runtime.nodeOutput(await executionRun(execution.id), triggerName(workflow)));
	return runs;
}

const BUSINESS = '919845098450';
const ASHA_WA = '919812345678';
const envelope = (value) => ({
	meta_object: {
		field: 'messages',
		value: {
			messaging_product: 'whatsapp',
			metadata: { display_phone_number: BUSINESS, phone_number_id: '104735392345678' },
			...value,
		},
	},
	extra_info: { ref: '', ref1: '', ref2: '', waba_id: '112233445566778' },
});
const incomingOf = (messages) =>
	envelope({ contacts: [{ profile: { name: 'Asha' }, wa_id: ASHA_WA }], messages });
const statusOf = (id, status, extra = {}) => ({
	...envelope({
		statuses: [{ id, status, timestamp: '1735712400', recipient_id: ASHA_WA, ...extra }],
	}),
	status,
	message_id: id,
});

describe('the second hardening pass, in a real n8n: what the trigger lets slip (issue 23)', () => {
	const everyCallback = () => EVERY_CALLBACK_WORKFLOW;

	it('point 8: an incoming type named "constructor" starts the workflow as Other Incoming Message; a failed status with code "toString" has no hint', async () => {
		const before = (await executions(everyCallback())).length;
		const odd = await postCallback(
			everyCallback(),
			incomingOf([
				{
					from: ASHA_WA,
					id: 'wamid.point8.constructor',
					timestamp: '1735712400',
					type: 'constructor',
				},
			]),
		);
		assert.deepEqual(odd, {
			status: 200,
			answer: { received: 1, started: 1, notChosen: 0, duplicates: 0 },
		});
		const failed = await postCallback(
			everyCallback(),
			statusOf('wamid.point8.failed', 'failed', {
				errors: [{ code: 'toString', title: 'Odd', message: 'Odd' }],
			}),
		);
		assert.deepEqual(failed, {
			status: 200,
			answer: { received: 1, started: 1, notChosen: 0, duplicates: 0 },
		});
		const [[message], [status]] = await triggerItemsSince(everyCallback(), before, 2);
		assert.deepEqual(pick(message, ['event', 'type', 'from', 'messageId']), {
			event: 'message',
			type: 'constructor',
			from: ASHA,
			messageId: 'wamid.point8.constructor',
		});
		assert.deepEqual(pick(status, ['event', 'status', 'messageId', 'error']), {
			event: 'status',
			status: 'failed',
			messageId: 'wamid.point8.failed',
			error: { code: 'toString', title: 'Odd', details: 'Odd', hint: null },
		});
	});

	it('point 9: a "sent" for message ID `wamid.A not` and a "not sent" for `wamid.A` are two executions, not one dropped as a duplicate', async () => {
		const before = (await executions(everyCallback())).length;
		const sent = await postCallback(everyCallback(), statusOf('wamid.A not', 'sent'));
		const notSent = await postCallback(everyCallback(), {
			status: 'not sent',
			message_id: 'wamid.A',
			code: 'WAV2101',
			reason: 'Daily limit reached',
			extra_info: { ref: '' },
		});
		for (const answer of [sent, notSent])
			assert.deepEqual(answer, {
				status: 200,
				answer: { received: 1, started: 1, notChosen: 0, duplicates: 0 },
			});
		const items = (await triggerItemsSince(everyCallback(), before, 2)).flat();
		assert.deepEqual(
			items.map((item) => [item.messageId, item.status]),
			[
				['wamid.A not', 'sent'],
				['wamid.A', 'not sent'],
			],
		);
	});

	it('point 10: 100 messages in one callback are 100 items, each raw holding only its own message, their total a few times the callback', async () => {
		const messages = Array.from({ length: 100 }, (_, index) => ({
			from: ASHA_WA,
			id: `wamid.point10.${String(index).padStart(3, '0')}`,
			timestamp: '1735712400',
			type: 'text',
			text: {
				body: `Hello, this is message ${index}: could you tell me when order A-${1000 + index} ships, and whether the blue one is still in stock? Thanks!`,
			},
		}));
		const body = incomingOf(messages);
		const before = (await executions(everyCallback())).length;
		assert.deepEqual(await postCallback(everyCallback(), body), {
			status: 200,
			answer: { received: 100, started: 100, notChosen: 0, duplicates: 0 },
		});
		const [items] = await triggerItemsSince(everyCallback(), before, 1);
		assert.equal(items.length, 100);
		items.forEach((item, index) => {
			assert.deepEqual(
				item.raw.meta_object.value.messages,
				[messages[index]],
				`item ${index}'s raw`,
			);
			assert.equal(item.text, messages[index].text.body);
		});
		// Each item repeats the envelope and its fields beside its own message: about 5× here; was 100×.
		assert.ok(
			JSON.stringify(items).length <= 6 * JSON.stringify(body).length,
			`items ${JSON.stringify(items).length} bytes for a ${JSON.stringify(body).length}-byte callback`,
		);
	});

	it('point 13: a version-1 incoming POST without a message ID, delivered twice, starts one execution; another message from the customer starts its own', async () => {
		const v1Incoming = {
			from: ASHA_WA,
			wanumber: BUSINESS,
			name: 'Asha',
			type: 'text',
			body: 'Is my order shipped? (point 13)',
			created_at: '2021-11-19 08:47:16+00:00',
		};
		const before = (await executions(everyCallback())).length;
		assert.deepEqual(await postCallback(everyCallback(), v1Incoming), {
			status: 200,
			answer: { received: 1, started: 1, notChosen: 0, duplicates: 0 },
		});
		assert.deepEqual(await postCallback(everyCallback(), v1Incoming), {
			status: 200,
			answer: { received: 1, started: 0, notChosen: 0, duplicates: 1 },
		});
		const later = { ...v1Incoming, body: 'Thanks! (point 13)' };
		assert.deepEqual(await postCallback(everyCallback(), later), {
			status: 200,
			answer: { received: 1, started: 1, notChosen: 0, duplicates: 0 },
		});
		const items = (await triggerItemsSince(everyCallback(), before, 2)).flat();
		assert.deepEqual(
			items.map((item) => [item.messageId, item.text]),
			[
				[null, v1Incoming.body],
				[null, later.body],
			],
		);
		await new Promise((resolve) => setTimeout(resolve, 500));
		assert.equal(
			(await executions(everyCallback())).length,
			before + 2,
			'the repeat started nothing',
		);
	});

	it("point 13: a version-1 trigger's secret is in each execution's stored workflow, as the README says; version 1.1's is not", async () => {
		const [oldExecution] = await executions(STATUS_WORKFLOW);
		const [newExecution] = await executions(everyCallback());
		assert.ok(oldExecution && newExecution, 'both workflows have run above');
		const stored = async (execution) =>
			JSON.stringify((await executionRun(execution.id)).workflowData);
		assert.ok(
			(await stored(oldExecution)).includes(STATUS_WORKFLOW.workflow.nodes[0].parameters.secret),
			'version 1 keeps its secret in the workflow, so in each execution',
		);
		assert.ok(
			!(await stored(newExecution)).includes(harness.CALLBACK_CREDENTIAL.data.secret),
			"version 1.1's secret stays in its credential",
		);
	});

	it('point 14: publishing a trigger with a short secret: the publication status names the field, the URL answers 404; fixed, it publishes and answers', async () => {
		const id = SHORT_SECRET_WORKFLOW.id;
		const publish = async () => {
			const { versionId } = await state.client.data('GET', `/rest/workflows/${id}`);
			return await state.client.call('POST', `/rest/workflows/${id}/activate`, { versionId });
		};
		const settled = async () => {
			const deadline = Date.now() + 60000;
			for (;;) {
				const status = await state.client.data('GET', `/rest/workflows/${id}/publication-status`);
				if (status.status !== 'in_progress') return status;
				if (Date.now() > deadline) throw new Error(`still publishing: ${JSON.stringify(status)}`);
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
		};
		const response = await publish();
		// n8n 2.x publishes in the background: the answer is a success, the failure comes in the publication status.
		assert.equal(response.status, 200, JSON.stringify(response.body));
		const status = await settled();
		assert.equal(status.status, 'failed');
		const secretProblem =
			'Secret: enter at least 16 characters (a long random value), the same as in the Kaleyra callback profile';
		assert.deepEqual(
			status.triggers.map((trigger) => trigger.errorMessage),
			[secretProblem],
		);
		const url = profileOf(SHORT_SECRET_WORKFLOW).url;
		const refused = await request(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'X-Kaleyra-Secret': 'too-short' },
			body: '{}',
		});
		await refused.body.dump();
		assert.equal(refused.statusCode, 404, 'no webhook is registered until the setting is fixed');

		// Fixed: a long secret, published again, and the URL takes Kaleyra's callbacks.
		const fixedSecret = 'now-a-long-random-secret-0123456789';
		const current = await state.client.data('GET', `/rest/workflows/${id}`);
		await state.client.data('PATCH', `/rest/workflows/${id}`, {
			versionId: current.versionId,
			nodes: shortSecretWorkflow(fixedSecret).nodes,
			connections: {},
		});
		const republished = await publish();
		assert.equal(republished.status, 200, JSON.stringify(republished.body));
		const after = await settled();
		assert.deepEqual(
			[after.status, after.triggers.map((trigger) => [trigger.status, trigger.errorMessage])],
			['published', [['activated', null]]],
		);
		await callbacks.waitUntilListening(url);
		const accepted = await request(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'X-Kaleyra-Secret': fixedSecret },
			body: JSON.stringify(statusOf('wamid.point14', 'read')),
		});
		assert.deepEqual(
			[accepted.statusCode, await accepted.body.json()],
			[200, { received: 1, started: 0, notChosen: 1, duplicates: 0 }],
		);
	});
});

describe('receive everything (issue 22), in a real n8n', () => {
	it("point 2: a customer's invoice with Download Media on reaches the next node as a file with the sandbox's exact bytes, its name and type", async () => {
		const invoice = Buffer.from(
			'%PDF-1.7\n% the invoice for order A-1001, as the customer sent it\n',
			'latin1',
		);
		state.sandbox.reset();
		state.sandbox.configureCallbacks({ ...profileOf(MEDIA_WORKFLOW), statuses: false });
		const before = (await executions(MEDIA_WORKFLOW)).length;
		const posted = await state.sandbox.customer({
			kind: 'document',
			file: { data: invoice, mimeType: 'application/pdf', fileName: 'Invoice A-1001.pdf' },
		});
		assert.deepEqual(
			[posted.status, posted.answer],
			[200, { received: 1, started: 1, notChosen: 0, duplicates: 0 }],
		);
		const [execution] = (await finishedExecutions(MEDIA_WORKFLOW, before + 1)).slice(before);
		assert.equal(execution.status, 'success', JSON.stringify(execution));
		const run = await executionRun(execution.id);
		assert.deepEqual(runtime.nodeOutput(run, 'Read the file'), [
			{
				bytes: invoice.length,
				base64: invoice.toString('base64'),
				fileName: 'Invoice A-1001.pdf',
				mimeType: 'application/pdf',
			},
		]);
		const [item] = runtime.nodeOutput(run, triggerName(MEDIA_WORKFLOW));
		assert.equal(item.mediaError, null);
		// The sandbox serves the file only to the account's api-key: the trigger sent it to Kaleyra's own host.
		assert.ok(
			state.sandbox.requests.some(
				(r) => r.method === 'GET' && /\/media\/inbound\//.test(r.path) && r.status === 200,
			),
			JSON.stringify(state.sandbox.requests),
		);
		assert.ok(
			!JSON.stringify(run).includes(state.apiKey),
			'the API key appears in the execution data',
		);
	});

	it('point 1: Secret in URL: a message to the URL with ?token= starts the workflow; without it, 401 and nothing', async () => {
		const profile = profileOf(URL_TOKEN_WORKFLOW);
		const before = (await executions(URL_TOKEN_WORKFLOW)).length;
		state.sandbox.reset();
		state.sandbox.configureCallbacks({ ...profile, statuses: false });
		const accepted = await state.sandbox.customer({
			kind: 'text',
			text: 'Hello from the Incoming URL',
		});
		assert.deepEqual(
			[accepted.status, accepted.answer],
			[200, { received: 1, started: 1, notChosen: 0, duplicates: 0 }],
		);
		const bare = profile.url.split('?')[0];
		const refused = await state.sandbox.customer({ kind: 'text', text: 'No token', url: bare });
		assert.deepEqual(
			[refused.status, refused.answer],
			[
				401,
				{
					code: 401,
					message: 'Unauthorized: this callback is not from your Kaleyra callback profile',
				},
			],
		);
		const [item] = (await triggerItemsSince(URL_TOKEN_WORKFLOW, before, 1)).flat();
		assert.equal(item.text, 'Hello from the Incoming URL');
		await new Promise((resolve) => setTimeout(resolve, 500));
		assert.equal(
			(await executions(URL_TOKEN_WORKFLOW)).length,
			before + 1,
			'the refused message started nothing',
		);
		assert.ok(
			!JSON.stringify(item).includes(harness.CALLBACK_URL_CREDENTIAL.data.token),
			'no item carries the token',
		);
	});
});

describe("a template's review reaches the trigger (issue 17 point 5)", () => {
	it('Meta rejects a new template with a reason, then approves it: two executions, each item naming the template and its new status', async () => {
		const name = 'e2e_status_note';
		state.sandbox.reset();
		state.sandbox.addTemplates({
			name,
			language: 'en',
			category: 'UTILITY',
			status: 'PENDING',
			components: [{ type: 'BODY', text: 'Your order is packed.' }],
		});
		const [template] = state.sandbox.templates.filter((t) => t.name === name);
		state.sandbox.configureCallbacks({
			...profileOf(TEMPLATE_STATUS_WORKFLOW),
			statuses: false,
			templateStatuses: true,
		});
		const before = (await executions(TEMPLATE_STATUS_WORKFLOW)).length;
		try {
			const rejected = await state.sandbox.reviewTemplate({
				name,
				status: 'REJECTED',
				reason: 'INVALID_FORMAT',
			});
			const approved = await state.sandbox.reviewTemplate({ name, status: 'APPROVED' });
			assert.deepEqual(
				[...rejected.posted, ...approved.posted].map((posted) => [posted.status, posted.answer]),
				[
					[200, { received: 1, started: 1, notChosen: 0, duplicates: 0 }],
					[200, { received: 1, started: 1, notChosen: 0, duplicates: 0 }],
				],
			);
		} finally {
			state.sandbox.configureCallbacks({ templateStatuses: false });
		}
		const list = (await finishedExecutions(TEMPLATE_STATUS_WORKFLOW, before + 2)).slice(before);
		const items = [];
		for (const execution of list)
			items.push(
				...runtime.nodeOutput(
					await executionRun(execution.id),
					triggerName(TEMPLATE_STATUS_WORKFLOW),
				),
			);
		const about = { id: template.id, name, language: 'en', category: null };
		assert.deepEqual(
			items.map((item) => pick(item, ['event', 'status', 'template', 'sessionId'])),
			[
				{
					event: 'template',
					status: 'REJECTED',
					template: { ...about, reason: 'INVALID_FORMAT' },
					sessionId: null,
				},
				{
					event: 'template',
					status: 'APPROVED',
					template: { ...about, reason: null },
					sessionId: null,
				},
			],
		);
	});
});

describe('test mode: "Listen for test event" and the test URL', () => {
	it('what is refused or not chosen keeps it listening; the first chosen message runs the workflow once', async () => {
		const workflow = workflowNamed('answer-incoming-message.json');
		const profile = profileOf(workflow);
		const testUrl = profile.url.replace('/webhook/', '/webhook-test/');
		state.sandbox.reset();
		state.sandbox.configureCallbacks({ ...profile, url: testUrl, statuses: false });
		const listening = await state.client.data('POST', `/rest/workflows/${workflow.id}/run`, {
			triggerToStartFrom: { name: triggerName(workflow) },
		});
		assert.deepEqual(listening, { waitingForWebhook: true });
		const before = await executions(workflow);

		const refused = await request(testUrl, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'X-Kaleyra-Secret': 'not-the-secret-of-this-trigger',
			},
			body: '{}',
		});
		assert.equal(refused.statusCode, 401);
		await refused.body.dump();
		const status = await request(testUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...profile.headers },
			body: JSON.stringify({
				meta_object: {
					field: 'messages',
					value: { statuses: [{ id: 'wamid.x', status: 'read', recipient_id: '919812345678' }] },
				},
			}),
		});
		assert.deepEqual(
			[status.statusCode, await status.body.json()],
			[200, { received: 1, started: 0, notChosen: 1, duplicates: 0 }],
		);

		const posted = await state.sandbox.customer({ kind: 'text', text: 'Testing, testing' });
		assert.deepEqual([posted.status, posted.answer.started], [200, 1]);
		const [execution] = (await finishedExecutions(workflow, before.length + 1)).slice(
			before.length,
		);
		assert.deepEqual([execution.mode, execution.status], ['manual', 'success']);
		await new Promise((resolve) => setTimeout(resolve, 200));
		assert.deepEqual(
			state.sandbox.messages.map((message) => [
				message.type,
				message.payload.messaging_object.context?.message_id ??
					message.payload.messaging_object.reaction.message_id,
			]),
			[
				['text', posted.messageId],
				['reaction', posted.messageId],
			],
		);

		const afterwards = await state.sandbox.customer({ kind: 'text', text: 'Still there?' });
		assert.equal(afterwards.status, 404, 'the test URL listens for one event');
	});
});

describe("n8n's log", () => {
	it('shows no load error or deprecation warning about the trigger', async () => {
		await state.server.stop();
		state.logs.push({ what: 'n8n start', text: state.server.output() });
		assert.ok(state.logs.some(({ text }) => text.includes('Editor is now accessible')));
		const problems = packageLogProblems(state.logs, {
			packageName: runtime.PACKAGE_NAME,
			names: [runtime.PACKAGE_NAME, 'kaleyraWhatsAppTrigger', 'KaleyraWhatsAppTrigger'],
			notOurs: [runtime.CACHE_DIR],
		});
		assert.deepEqual(problems, []);
		const secrets = state.workflows.map(
			(workflow) => Object.values(profileOf(workflow).headers)[0],
		);
		for (const { what, text } of state.logs)
			for (const secret of secrets)
				assert.ok(!text.includes(secret), `${what} logs a trigger's secret`);
	});
});
