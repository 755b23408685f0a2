'use strict';
/**
 * End to end (issue 17): the account operations in a real n8n 2.41.1, against the local Kaleyra
 * sandbox: create a template and list it, send it once the sandbox's Meta review approves it, delete
 * it; read the business number's details; create a Flow and publish it.
 *
 *   node --test e2e/account-in-n8n.test.js
 *
 * n8n's ports: N8N_PORT 5791 and N8N_RUNNERS_BROKER_PORT 5801 unless E2E_N8N_PORT /
 * E2E_BROKER_PORT say otherwise.
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runtime = require('../scripts/n8n-runtime');
const harness = require('../scripts/harness');
const { tearDown } = require('./teardown');

const NODE_TYPE = `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`;
const ENV = {
	N8N_PORT: process.env.E2E_N8N_PORT ?? '5791',
	N8N_RUNNERS_BROKER_PORT: process.env.E2E_BROKER_PORT ?? '5801',
};
const NUMBER = harness.SANDBOX_ACCOUNT.numbers[0];
const TEMPLATE = 'e2e_order_note';
const FLOW_JSON = JSON.stringify({
	version: '6.0',
	screens: [{ id: 'BOOK', title: 'Book', layout: { type: 'SingleColumnLayout', children: [] } }],
});

function print(line) {
	process.stderr.write(`${line}\n`);
}

const { step, timings } = harness.createStepper(print);
const startedAt = Date.now();
const state = { tmp: undefined, userFolder: undefined, sandbox: undefined, server: undefined };

/** A workflow: a manual trigger, then the Kaleyra nodes in a row. */
function workflow(id, nodes) {
	const all = [
		{
			id: `${id}-0`,
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	].concat(
		nodes.map(([name, parameters], index) => ({
			id: `${id}-${index + 1}`,
			name,
			type: NODE_TYPE,
			typeVersion: 1.1,
			position: [220 * (index + 1), 0],
			parameters,
			credentials: {
				kaleyraWhatsAppApi: { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name },
			},
		})),
	);
	const connections = {};
	for (let i = 0; i + 1 < all.length; i++)
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return {
		id,
		name: id,
		nodes: all,
		connections,
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

const WORKFLOWS = [
	workflow('accountCreateAndList', [
		[
			'Create template',
			{
				resource: 'template',
				operation: 'create',
				name: TEMPLATE,
				language: 'en',
				category: 'UTILITY',
				components: JSON.stringify([
					{
						type: 'BODY',
						text: 'Hello {{1}}, your order {{2}} is packed.',
						example: { body_text: [['Asha', 'A-1001']] },
					},
				]),
			},
		],
		[
			'List templates',
			{ resource: 'template', operation: 'getMany', returnAll: true, filters: { name: 'e2e_' } },
		],
	]),
	workflow('accountSendAndDelete', [
		[
			'Send template',
			{
				resource: 'message',
				operation: 'sendTemplate',
				businessNumber: NUMBER,
				recipient: '+919812345678',
				template: { __rl: true, mode: 'name', value: TEMPLATE },
				language: 'en',
				variablesInput: 'map',
				variables: {
					mappingMode: 'defineBelow',
					value: { body_1: 'Asha', body_2: 'A-1001' },
					matchingColumns: [],
					schema: [],
				},
			},
		],
		[
			'Delete template',
			{ resource: 'template', operation: 'delete', deleteBy: 'name', name: TEMPLATE },
		],
	]),
	workflow('accountNumberAndFlow', [
		['Get details', { resource: 'phoneNumber', operation: 'getDetails', businessNumber: NUMBER }],
		[
			'Create flow',
			{
				resource: 'flow',
				operation: 'create',
				name: 'Test drive',
				categories: ['APPOINTMENT_BOOKING'],
				flowJson: FLOW_JSON,
			},
		],
		['Publish flow', { resource: 'flow', operation: 'publish', flowId: '={{ $json.id }}' }],
	]),
];

async function execute(id) {
	const result = await step(`n8n execute ${id}`, () =>
		runtime.runN8n(['execute', `--id=${id}`, '--rawOutput'], {
			userFolder: state.userFolder,
			env: ENV,
		}),
	);
	const detail = `n8n output:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`;
	assert.equal(result.code, 0, detail);
	const run = runtime.parseExecuteOutput(result.stdout);
	assert.equal(run.data.resultData.error, undefined, detail);
	return (name) => runtime.nodeOutput(run, name);
}

before(async () => {
	await step('ensure n8n', () => runtime.ensureN8n());
	state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-account-e2e-'));
	state.userFolder = path.join(state.tmp, 'n8n-user');
	const tgz = await step('npm run build && npm pack', () =>
		harness.buildAndPack(path.join(state.tmp, 'pack')),
	);
	const started = await step('start the Kaleyra sandbox', () => harness.startKaleyraSandbox());
	state.sandbox = started.sandbox;
	await harness.prepareInstance({
		userFolder: state.userFolder,
		tgz,
		sandboxUrl: state.sandbox.url,
		apiKey: started.apiKey,
		env: ENV,
		step,
	});
	const file = path.join(state.tmp, 'account-workflows.json');
	fs.writeFileSync(file, JSON.stringify(WORKFLOWS, null, 2));
	await step('n8n import:workflow (account workflows)', async () =>
		harness.assertRan(
			await runtime.runN8n(['import:workflow', `--input=${file}`], {
				userFolder: state.userFolder,
				env: ENV,
			}),
		),
	);
});

after(() => tearDown(state, { timings, print, startedAt }));

describe('the account operations in a real n8n', () => {
	it('Template → Create gives a PENDING template; Get Many lists it', async () => {
		const output = await execute('accountCreateAndList');
		const [created] = output('Create template');
		assert.deepEqual(
			{ ...created, id: typeof created.id },
			{ id: 'string', name: TEMPLATE, language: 'en', category: 'UTILITY', status: 'PENDING' },
		);
		assert.deepEqual(
			output('List templates').map((t) => [t.name, t.language, t.status]),
			[[TEMPLATE, 'en', 'PENDING']],
		);
	});

	it("after the (sandbox's) review approves it, Send Template sends it once; Template → Delete removes it", async () => {
		assert.equal(state.sandbox.templates.filter((t) => t.name === TEMPLATE).length, 1);
		for (const template of state.sandbox.templates)
			if (template.name === TEMPLATE) template.status = 'APPROVED';
		state.sandbox.reset();
		const output = await execute('accountSendAndDelete');
		assert.equal(output('Send template')[0].status, 'accepted');
		assert.deepEqual(
			state.sandbox.messages.map((m) => (m.payload?.messaging_object ?? m.payload).template),
			[
				{
					name: TEMPLATE,
					language: { code: 'en' },
					components: [
						{
							type: 'body',
							parameters: [
								{ type: 'text', text: 'Asha' },
								{ type: 'text', text: 'A-1001' },
							],
						},
					],
				},
			],
		);
		assert.deepEqual(output('Delete template'), [
			{ name: TEMPLATE, templateId: null, deleted: true },
		]);
		assert.equal(state.sandbox.templates.filter((t) => t.name === TEMPLATE).length, 0);
	});

	it('Phone Number → Get Details gives one item; Flow → Create then Publish publishes the new Flow', async () => {
		const output = await execute('accountNumberAndFlow');
		const [details] = output('Get details');
		assert.deepEqual(
			[
				details.businessNumber,
				details.qualityRating,
				details.messagingTier,
				details.throughput,
				details.nameStatus,
				details.canSendMessage,
			],
			[NUMBER, 'GREEN', 'TIER_1K', 'STANDARD', 'APPROVED', 'AVAILABLE'],
		);
		const [flow] = output('Create flow');
		assert.equal(flow.status, 'DRAFT');
		assert.deepEqual(output('Publish flow'), [
			{ flowId: flow.id, status: 'PUBLISHED', success: true },
		]);
	});
});
