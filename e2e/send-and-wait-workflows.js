'use strict';
/**
 * What the Send and Wait e2e files share (issue 18): the trigger workflow that receives the taps,
 * the asking workflows (Webhook → Ask → Next), their import and publishing, the owner's sign-in,
 * and the REST look-ups that find an execution waiting or done and what Next received.
 * Used by send-and-wait-in-n8n.test.js and send-and-wait-restart.test.js.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { request } = require('undici');

const runtime = require('../scripts/n8n-runtime');
const harness = require('../scripts/harness');
const { N8nRestClient, ownerPassword } = require('../scripts/n8n-rest');
const callbacks = require('../scripts/callbacks');

const NODE_TYPE = `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`;
const ASHA = '+919812345678';
const ASK_NODE_ID = '5a1d0000-0000-4000-8000-00000000a5c1';

const TRIGGER_WORKFLOW = {
	file: 'e2e: answers trigger',
	id: 'e2eAnswersTrigger',
	workflow: {
		name: 'e2e: answers trigger',
		nodes: [
			{
				parameters: { secret: 'e2e-answers-secret-0123456789', events: ['buttonReply'] },
				id: '5a1d0000-0000-4000-8000-0000000000f1',
				name: 'Kaleyra WhatsApp Trigger',
				type: callbacks.TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: '5a1d0000-0000-4000-8000-0000000000f2',
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	},
};

/** Webhook → Ask (Send and Wait for Reply) → Next. */
function askingWorkflow(id, pathName, parameters) {
	return {
		file: `e2e: ${pathName}`,
		id,
		workflow: {
			name: `e2e: ${pathName}`,
			nodes: [
				{
					parameters: {
						httpMethod: 'POST',
						path: pathName,
						responseMode: 'onReceived',
						options: {},
					},
					id: `${ASK_NODE_ID.slice(0, -4)}${id.length}0a1`,
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: `5a1d0000-0000-4000-8000-${String(id.length).padStart(4, '0')}${pathName.length.toString().padStart(8, '0')}`,
				},
				{
					parameters: {
						resource: 'message',
						operation: 'sendAndWait',
						businessNumber: '+919845098450',
						recipient: '={{ $json.body.phone }}',
						body: 'Can we deliver order A-1001 tomorrow between 10 and 12?',
						...parameters,
					},
					id: `${ASK_NODE_ID.slice(0, -3)}${pathName.length.toString().padStart(3, '0')}`,
					name: 'Ask',
					type: NODE_TYPE,
					typeVersion: 1.2,
					position: [220, 0],
					credentials: {
						kaleyraWhatsAppApi: { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name },
					},
				},
				{
					parameters: {},
					id: `5a1d0000-0000-4000-8000-${pathName.length.toString().padStart(4, '0')}0000aaaa`,
					name: 'Next',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [440, 0],
				},
			],
			connections: {
				Webhook: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] },
				Ask: { main: [[{ node: 'Next', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		},
	};
}

const APPROVAL = askingWorkflow('e2eAskApproval', 'ask-approval', { responseType: 'approval' });

/** Imports the workflows into the instance and publishes them (n8n 1.x: activates them). */
async function importAndPublish(userFolder, workflows, file, step) {
	fs.writeFileSync(
		file,
		JSON.stringify(workflows.map(({ id, workflow }) => ({ ...workflow, id }))),
	);
	await step(`n8n import:workflow (${workflows.map((w) => w.file).join(', ')})`, async () =>
		harness.assertRan(await runtime.runN8n(['import:workflow', `--input=${file}`], { userFolder })),
	);
	if (runtime.N8N_LINE === '2') await callbacks.publishWorkflows(userFolder, workflows, { step });
	// n8n 1.x has no publish:workflow: a workflow is activated instead.
	else
		for (const { id, file: name } of workflows)
			await step(`n8n update:workflow --active=true ${name}`, async () =>
				harness.assertRan(
					await runtime.runN8n(['update:workflow', `--id=${id}`, '--active=true'], {
						userFolder,
					}),
				),
			);
}

/** The instance's owner, one password per test process (a restarted n8n keeps the owner). */
const OWNER = {
	email: 'owner@example.com',
	firstName: 'Kaleyra',
	lastName: 'Tester',
	password: ownerPassword(),
};

/** A REST client signed in as the owner (set up on the first start, signed in again after a restart). */
async function signIn(url) {
	const client = new N8nRestClient(url);
	if (await client.needsOwnerSetup()) await client.setupOwner(OWNER);
	await client.login(OWNER);
	return client;
}

/**
 * A Send and Wait e2e file's n8n, on `state` ({ tmp, userFolder, sandbox, server, client }):
 * `prepare` installs the packed package in a new user folder with the sandbox's credential and
 * imports and publishes `workflows`; `startN8n` starts n8n on that folder (again after a stop),
 * signs in, and points the sandbox's callbacks at the trigger once it listens.
 */
function waitInstance(state, step) {
	async function prepare(tmpPrefix, workflows) {
		await step('ensure n8n', () => runtime.ensureN8n());
		state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
		state.userFolder = path.join(state.tmp, 'n8n-user');
		const tgz = await step('npm run build && npm pack', () =>
			harness.buildAndPack(path.join(state.tmp, 'pack')),
		);
		let apiKey;
		({ sandbox: state.sandbox, apiKey } = await step('start the Kaleyra sandbox', () =>
			harness.startKaleyraSandbox(),
		));
		await harness.prepareInstance({
			userFolder: state.userFolder,
			tgz,
			sandboxUrl: state.sandbox.url,
			apiKey,
			step,
		});
		await importAndPublish(
			state.userFolder,
			workflows,
			path.join(state.tmp, 'send-and-wait-workflows.json'),
			step,
		);
	}

	async function startN8n(label, port) {
		state.server = await step(label, () =>
			runtime.startN8n({ userFolder: state.userFolder, port }),
		);
		state.client = await signIn(state.server.url);
		const profile = callbacks.callbackProfile(TRIGGER_WORKFLOW.workflow, state.server.url);
		await callbacks.waitUntilListening(profile.url);
		state.sandbox.configureCallbacks({ ...profile, statuses: false });
	}

	return { prepare, startN8n };
}

/**
 * The REST look-ups, on `state` ({ client, server, sandbox }, read at each call so a restarted
 * n8n's client and URL are used).
 */
function waitHelpers(state) {
	const executions = async (workflow) => await callbacks.executionsOf(state.client, workflow.id);

	/** Polls the workflow's last execution until it has `status`. */
	const lastExecution = async (workflow, status, timeoutMs = 30000) =>
		await callbacks.lastExecution(state.client, workflow.id, status, timeoutMs);

	/** What the Next node received. */
	async function nextInput(id) {
		const { runData } = (await callbacks.executionRun(state.client, id)).data.resultData;
		return runData.Next[0].data.main[0].map((item) => item.json);
	}

	/** Starts the asking workflow for Asha; resolves when its execution waits. */
	async function ask(workflow) {
		const before = state.sandbox.messages.length;
		const started = await request(
			`${state.server.url}/webhook/${workflow.workflow.nodes[0].parameters.path}`,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ phone: ASHA }),
			},
		);
		await started.body.text();
		assert.equal(started.statusCode, 200);
		const execution = await lastExecution(workflow, 'waiting');
		assert.equal(state.sandbox.messages.length, before + 1, 'one question sent');
		return { execution, question: state.sandbox.messages[state.sandbox.messages.length - 1] };
	}

	return { executions, lastExecution, nextInput, ask };
}

module.exports = {
	ASHA,
	TRIGGER_WORKFLOW,
	APPROVAL,
	askingWorkflow,
	waitInstance,
	waitHelpers,
};
