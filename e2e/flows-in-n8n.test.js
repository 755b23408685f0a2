'use strict';
/**
 * End to end (issue 22 points 3 and 4): WhatsApp Flows and Media → Download in a real n8n 2.41.1,
 * the packed package installed, against the local Kaleyra sandbox.
 *
 * A Flow is created and published with the Flow operations and sent with Send Flow (`n8n execute`);
 * then, in `n8n start`, the sandbox's customer answers that very message (nfm_reply) and the example
 * "book an appointment with a Flow" routes the answer (Flow Reply) to its confirmation, read from
 * flowResponse; and a customer's photo goes trigger → Media → Download → a Code node that reads the
 * sandbox's exact bytes.
 *
 *   node --test e2e/flows-in-n8n.test.js
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runtime = require('../scripts/n8n-runtime');
const harness = require('../scripts/harness');
const { N8nRestClient, ownerPassword } = require('../scripts/n8n-rest');
const callbacks = require('../scripts/callbacks');
const { tearDown } = require('./teardown');

const { TRIGGER_TYPE, callbackProfile, publishWorkflows } = callbacks;
const NODE_TYPE = `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`;
const ENV = { NODE_OPTIONS: '--trace-deprecation' };
const NUMBER = harness.SANDBOX_ACCOUNT.numbers[0];
const ASHA = '+919812345678';
const BOOKING_EXAMPLE = 'book-appointment-with-flow.json';
const FLOW_JSON = JSON.stringify({
	version: '6.0',
	screens: [
		{
			id: 'APPOINTMENT',
			title: 'Book an appointment',
			terminal: true,
			data: { customer_name: { type: 'string', __example__: 'Asha' } },
			layout: { type: 'SingleColumnLayout', children: [] },
		},
	],
});
const KALEYRA_CREDENTIAL = {
	kaleyraWhatsAppApi: { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name },
};

/** Create a Flow, publish it, send it to Asha: the Flow operations and Send Flow in one run. */
const SEND_FLOW_WORKFLOW = {
	file: 'e2e: create, publish and send a Flow',
	id: 'e2eFlowSend',
	workflow: {
		name: 'e2e: create, publish and send a Flow',
		nodes: [
			{
				id: 'f0',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			...[
				[
					'Create flow',
					{
						resource: 'flow',
						operation: 'create',
						name: 'Book an appointment',
						categories: ['APPOINTMENT_BOOKING'],
						flowJson: FLOW_JSON,
					},
				],
				['Publish flow', { resource: 'flow', operation: 'publish', flowId: '={{ $json.id }}' }],
				[
					'Send the booking Flow',
					{
						resource: 'message',
						operation: 'sendFlow',
						businessNumber: NUMBER,
						recipient: ASHA,
						flowId: "={{ $('Create flow').item.json.id }}",
						body: 'Hi Asha! Pick a day and a time for your appointment.',
						buttonText: 'Book now',
						screen: 'APPOINTMENT',
						initialData: '{ "customer_name": "Asha" }',
						flowReference: 'booking-e2e-1001',
						headerType: 'text',
						headerText: 'Book an appointment',
					},
				],
			].map(([name, parameters], index) => ({
				id: `f${index + 1}`,
				name,
				type: NODE_TYPE,
				typeVersion: 1.1,
				position: [220 * (index + 1), 0],
				parameters,
				credentials: KALEYRA_CREDENTIAL,
			})),
		],
		connections: {
			Start: { main: [[{ node: 'Create flow', type: 'main', index: 0 }]] },
			'Create flow': { main: [[{ node: 'Publish flow', type: 'main', index: 0 }]] },
			'Publish flow': { main: [[{ node: 'Send the booking Flow', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	},
};

/** A customer's photo, its file fetched later in the workflow with Media → Download, read by a Code node. */
const DOWNLOAD_WORKFLOW = {
	file: 'e2e: media download',
	id: 'e2eMediaDownload',
	workflow: {
		name: 'e2e: media download',
		nodes: [
			{
				parameters: { events: ['media'] },
				id: 'd0',
				name: 'Kaleyra WhatsApp Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1.1,
				position: [0, 0],
				webhookId: '4d6f8a0c-2e4b-4d6f-8a0c-2e4b6d8f0a19',
				credentials: {
					kaleyraWhatsAppCallbackApi: {
						id: harness.CALLBACK_CREDENTIAL.id,
						name: harness.CALLBACK_CREDENTIAL.name,
					},
				},
			},
			{
				parameters: {
					resource: 'media',
					operation: 'download',
					mediaUrl: '={{ $json.mediaUrl }}',
					binaryPropertyName: 'photo',
				},
				id: 'd1',
				name: 'Download the photo',
				type: NODE_TYPE,
				typeVersion: 1.1,
				position: [220, 0],
				credentials: KALEYRA_CREDENTIAL,
			},
			{
				parameters: {
					jsCode:
						"const out = [];\nfor (let i = 0; i < $input.all().length; i++) {\n  const file = $input.all()[i].binary.photo;\n  const buffer = await this.helpers.getBinaryDataBuffer(i, 'photo');\n  out.push({ json: { messageId: $input.all()[i].json.messageId, bytes: buffer.length, base64: buffer.toString('base64'), fileName: file.fileName, mimeType: file.mimeType } });\n}\nreturn out;",
				},
				id: 'd2',
				name: 'Read the file',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [440, 0],
			},
		],
		connections: {
			'Kaleyra WhatsApp Trigger': {
				main: [[{ node: 'Download the photo', type: 'main', index: 0 }]],
			},
			'Download the photo': { main: [[{ node: 'Read the file', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	},
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
	booking: undefined,
	sentFlow: undefined,
};

const flatted = () => require(path.join(runtime.runtimePaths().n8nDir, 'node_modules', 'flatted'));

async function executions(workflow) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId: workflow.id }));
	const { results } = await state.client.data('GET', `/rest/executions?filter=${filter}&limit=100`);
	return results.sort((a, b) => Number(a.id) - Number(b.id));
}

/** The workflow's one new execution once it finished, with its run data (n8n stores it flatted). */
async function nextRun(workflow, before) {
	const deadline = Date.now() + 30000;
	for (;;) {
		const list = (await executions(workflow)).slice(before);
		if (list.length > 0 && !['new', 'running'].includes(list[0].status)) {
			assert.equal(list[0].status, 'success', JSON.stringify(list[0]));
			const execution = await state.client.data('GET', `/rest/executions/${list[0].id}`);
			return { ...execution, data: flatted().parse(execution.data) };
		}
		if (Date.now() > deadline)
			throw new Error(`${workflow.file}: no finished execution: ${JSON.stringify(list)}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** `n8n start` once the headless run is done (one process on the database at a time), the owner logged in. */
async function startN8n() {
	if (state.server !== undefined) return;
	state.server = await step('n8n start', () =>
		runtime.startN8n({ userFolder: state.userFolder, env: ENV }),
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
	for (const workflow of [state.booking, DOWNLOAD_WORKFLOW])
		await callbacks.waitUntilListening(callbackProfile(workflow.workflow, state.server.url).url);
}

before(async () => {
	await step('ensure n8n', () => runtime.ensureN8n());
	state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-flows-e2e-'));
	state.userFolder = path.join(state.tmp, 'n8n-user');
	const tgz = await step('npm run build && npm pack', () =>
		harness.buildAndPack(path.join(state.tmp, 'pack')),
	);
	({ sandbox: state.sandbox, apiKey: state.apiKey } = await step('start the Kaleyra sandbox', () =>
		harness.startKaleyraSandbox(),
	));
	const { examples } = await harness.prepareInstance({
		userFolder: state.userFolder,
		tgz,
		sandboxUrl: state.sandbox.url,
		apiKey: state.apiKey,
		env: ENV,
		step,
	});
	state.booking = examples.find((example) => example.file === BOOKING_EXAMPLE);
	assert.ok(state.booking, `${BOOKING_EXAMPLE} is not among the examples`);
	const file = path.join(state.tmp, 'flow-workflows.json');
	fs.writeFileSync(
		file,
		JSON.stringify(
			[SEND_FLOW_WORKFLOW, DOWNLOAD_WORKFLOW].map((workflow) => ({
				...workflow.workflow,
				id: workflow.id,
			})),
		),
	);
	await step('n8n import:workflow (Flow send, media download)', async () =>
		harness.assertRan(
			await runtime.runN8n(['import:workflow', `--input=${file}`], {
				userFolder: state.userFolder,
				env: ENV,
			}),
		),
	);
	await publishWorkflows(state.userFolder, [state.booking, DOWNLOAD_WORKFLOW], { env: ENV, step });
});

after(() => tearDown(state, { timings, print, startedAt }));

describe('WhatsApp Flows in a real n8n', () => {
	it('point 4: Flow → Create and Publish, then Send Flow: the sandbox accepts the published Flow at its first screen', async () => {
		const result = await step('n8n execute (create, publish, send a Flow)', () =>
			runtime.runN8n(['execute', `--id=${SEND_FLOW_WORKFLOW.id}`, '--rawOutput'], {
				userFolder: state.userFolder,
				env: ENV,
			}),
		);
		const detail = `n8n output:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`;
		assert.equal(result.code, 0, detail);
		const run = runtime.parseExecuteOutput(result.stdout);
		assert.equal(run.data.resultData.error, undefined, detail);
		const [flow] = runtime.nodeOutput(run, 'Create flow');
		assert.deepEqual(runtime.nodeOutput(run, 'Publish flow'), [
			{ flowId: flow.id, status: 'PUBLISHED', success: true },
		]);
		const [sent] = runtime.nodeOutput(run, 'Send the booking Flow');
		assert.equal(sent.status, 'accepted');
		assert.deepEqual(
			state.sandbox.messages.map((message) => [
				message.messageId,
				message.to,
				message.payload.messaging_object.interactive,
			]),
			[
				[
					sent.messageId,
					ASHA,
					{
						type: 'flow',
						header: { type: 'text', text: 'Book an appointment' },
						body: { text: 'Hi Asha! Pick a day and a time for your appointment.' },
						action: {
							name: 'flow',
							parameters: {
								flow_message_version: '3',
								flow_id: flow.id,
								flow_cta: 'Book now',
								flow_token: 'booking-e2e-1001',
								flow_action: 'navigate',
								flow_action_payload: {
									screen: 'APPOINTMENT',
									data: { customer_name: 'Asha' },
								},
							},
						},
					},
				],
			],
		);
		state.sentFlow = sent.messageId;
	});

	it('point 4: the customer answers that Flow; the trigger routes the answer (Flow Reply) to the confirmation, with flowResponse and flowToken', async () => {
		assert.ok(state.sentFlow, 'the Flow was not sent (the test before failed)');
		await startN8n();
		// No reset: the answer is to the Flow message the sandbox accepted (it carries its token).
		const sentBefore = state.sandbox.messages.length;
		state.sandbox.configureCallbacks({
			...callbackProfile(state.booking.workflow, state.server.url),
			statuses: false,
		});
		const before = (await executions(state.booking)).length;
		const posted = await state.sandbox.customer({
			kind: 'flow',
			question: state.sentFlow,
			response: { date: '2026-12-10', time: '16:00' },
		});
		assert.deepEqual(
			[posted.status, posted.answer],
			[200, { received: 1, started: 1, notChosen: 0, duplicates: 0 }],
		);
		const run = await nextRun(state.booking, before);
		const [answer] = runtime.nodeOutput(run, 'Kaleyra WhatsApp Trigger');
		assert.deepEqual(
			[answer.type, answer.from, answer.replyTo, answer.flowName, answer.flowToken],
			['nfm_reply', ASHA, state.sentFlow, 'flow', 'booking-e2e-1001'],
		);
		assert.deepEqual(answer.flowResponse, {
			flow_token: 'booking-e2e-1001',
			date: '2026-12-10',
			time: '16:00',
		});
		assert.equal(runtime.nodeOutput(run, 'Send the booking Flow'), undefined);
		assert.deepEqual(
			state.sandbox.messages
				.slice(sentBefore)
				.map((message) => [message.to, message.type, message.payload.messaging_object.text.body]),
			[
				[
					ASHA,
					'text',
					'Thank you, Asha! Your appointment is booked for 2026-12-10 at 16:00. Your reference: booking-e2e-1001.',
				],
			],
		);
		assert.ok(!JSON.stringify(run).includes(state.apiKey), 'the API key is in the execution data');
	});
});

describe('Media → Download in a real n8n', () => {
	it("point 3: a customer's photo: trigger → Media → Download → a Code node reads the sandbox's exact bytes, name and type", async () => {
		await startN8n();
		const photo = Buffer.from('\xff\xd8\xff\xe0 the parcel as it arrived, order A-1001', 'latin1');
		state.sandbox.reset();
		state.sandbox.configureCallbacks({
			...callbackProfile(DOWNLOAD_WORKFLOW.workflow, state.server.url),
			statuses: false,
		});
		const before = (await executions(DOWNLOAD_WORKFLOW)).length;
		const posted = await state.sandbox.customer({
			kind: 'image',
			file: { data: photo, mimeType: 'image/jpeg' },
		});
		assert.deepEqual(
			[posted.status, posted.answer],
			[200, { received: 1, started: 1, notChosen: 0, duplicates: 0 }],
		);
		const run = await nextRun(DOWNLOAD_WORKFLOW, before);
		const mediaId = /\/media\/inbound\/(\d+)$/.exec(
			runtime.nodeOutput(run, 'Kaleyra WhatsApp Trigger')[0].mediaUrl,
		)[1];
		assert.deepEqual(runtime.nodeOutput(run, 'Read the file'), [
			{
				messageId: posted.messageId,
				bytes: photo.length,
				base64: photo.toString('base64'),
				fileName: `${mediaId}.jpg`,
				mimeType: 'image/jpeg',
			},
		]);
		// The sandbox serves the file only to the account's api-key: the node sent it to Kaleyra's own host.
		assert.deepEqual(
			state.sandbox.requests
				.filter((r) => r.method === 'GET')
				.map((r) => [r.path, r.headers['api-key'], r.status]),
			[[`/v2/${harness.SANDBOX_ACCOUNT.sid}/media/inbound/${mediaId}`, 'REDACTED', 200]],
		);
		assert.ok(!JSON.stringify(run).includes(state.apiKey), 'the API key is in the execution data');
	});
});
