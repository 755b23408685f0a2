'use strict';
/**
 * The Kaleyra WhatsApp Trigger in n8n's queue mode with separate webhook processes: Redis,
 * PostgreSQL, an n8n main that serves only the editor (production webhooks disabled there), two
 * `n8n webhook` processes that receive Kaleyra's callbacks and one worker that runs the executions
 * (scripts/queue-mode.js), this package installed in each.
 *
 * The trigger's own de-duplication lives in the memory of the process that received the callback,
 * so a repeat that reaches the other webhook process starts a second execution; n8n's Remove
 * Duplicates node (across executions, keyed on messageId and status, stored in the shared
 * database) drops it there, so the step after it runs once.
 *
 *   node --test e2e/queue/trigger-queue-mode.test.js
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { request } = require('undici');

const harness = require('../../scripts/harness');
const callbacks = require('../../scripts/callbacks');
const queue = require('../../scripts/queue-mode');
const { incomingCallback, statusCallback } = require('../../sandbox/customer');

const BUSINESS = harness.SANDBOX_ACCOUNT.numbers[0];
const ASHA = '+919812345678';
const TRIGGER = 'Kaleyra WhatsApp Trigger';

function triggerNode(webhookId, events) {
	return {
		id: `${webhookId}-trigger`,
		name: TRIGGER,
		type: callbacks.TRIGGER_TYPE,
		typeVersion: 1.1,
		position: [0, 0],
		webhookId,
		parameters: { events },
		credentials: {
			[harness.CALLBACK_CREDENTIAL.type]: {
				id: harness.CALLBACK_CREDENTIAL.id,
				name: harness.CALLBACK_CREDENTIAL.name,
			},
		},
	};
}

const noOp = (id, name, x) => ({
	id,
	name,
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [x, 0],
	parameters: {},
});

/** Trigger → No Operation. */
const RECEIVE = {
	id: 'kaleyraQueueTrig',
	name: 'queue: a customer writes',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		triggerNode('3d5f7a9b-1c2e-4f4a-8b6c-8d0e2f4a6c8e', ['text']),
		noOp('kaleyraQueueTrig-handle', 'Handle the message', 220),
	],
	connections: { [TRIGGER]: { main: [[{ node: 'Handle the message', type: 'main', index: 0 }]] } },
};

/** Trigger → Remove Duplicates (across executions, on messageId + status) → the step to run once. */
const ONCE = {
	id: 'kaleyraQueueOnce',
	name: 'queue: once across webhook processes',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		triggerNode('4e6a8b0c-2d3f-4a5b-9c7d-9e1f3a5b7d9f', ['text', 'delivered', 'read']),
		{
			id: 'kaleyraQueueOnce-dedupe',
			name: 'Remove Duplicates',
			type: 'n8n-nodes-base.removeDuplicates',
			typeVersion: 2,
			position: [220, 0],
			parameters: {
				operation: 'removeItemsSeenInPreviousExecutions',
				dedupeValue: '={{ $json.messageId }} {{ $json.status }}',
				options: {},
			},
		},
		noOp('kaleyraQueueOnce-handle', 'Handle once', 440),
	],
	connections: {
		[TRIGGER]: { main: [[{ node: 'Remove Duplicates', type: 'main', index: 0 }]] },
		'Remove Duplicates': { main: [[{ node: 'Handle once', type: 'main', index: 0 }]] },
	},
};

const { step, timings } = harness.createStepper((line) => process.stderr.write(`${line}\n`));
let stack;

before(async () => {
	stack = await queue.startQueueStack({
		step,
		workers: 1,
		webhookProcesses: 2,
		workflows: [RECEIVE, ONCE],
	});
});

after(async () => {
	await stack?.stop();
	process.stderr.write(
		`trigger queue-mode timings: ${timings.map((t) => `${t.label} ${(t.ms / 1000).toFixed(1)} s`).join('; ')}\n`,
	);
});

/**
 * Posts a callback as Kaleyra's callback service would, to one process's production URL. A 404
 * means that process has not loaded the published workflow's webhook yet: nothing ran, so it is
 * posted again, for up to a minute.
 */
async function deliver(workflow, processUrl, payload) {
	const deadline = Date.now() + 60000;
	for (;;) {
		const { status, text } = await post(workflow, processUrl, payload);
		if (status !== 404 || Date.now() > deadline) return { status, body: JSON.parse(text) };
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

async function post(workflow, processUrl, payload) {
	const { url, headers } = callbacks.callbackProfile(workflow, processUrl);
	const response = await request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(payload),
	});
	return { status: response.statusCode, text: await response.body.text() };
}

const answer = (started, duplicates = 0) => ({
	status: 200,
	body: { received: 1, started, notChosen: 0, duplicates },
});

describe('the Kaleyra WhatsApp Trigger in queue mode: two webhook processes, a worker', () => {
	it("takes a customer's message on a webhook process and runs the workflow on the worker", async () => {
		const messageId = 'wamid.QUEUE0000000000000000000000000001';
		const callback = incomingCallback({
			kind: 'text',
			businessNumber: BUSINESS,
			from: ASHA,
			name: 'Asha',
			text: 'Is my order on its way?',
			messageId,
		});
		assert.deepEqual(await deliver(RECEIVE, stack.webhooks[0].url, callback), answer(1));
		// The main serves the editor only: its production URL knows no webhook, nothing starts there.
		assert.equal((await post(RECEIVE, stack.main.url, callback)).status, 404);
		const [execution] = await queue.executionsOf(stack, RECEIVE.id, 1);
		assert.equal(execution.status, 'success', execution.error);
		assert.equal(execution.mode, 'webhook');
		assert.equal(execution.worker, 'worker-1');
		const [item] = execution.ran[TRIGGER];
		assert.deepEqual(
			{
				event: item.event,
				type: item.type,
				from: item.from,
				to: item.to,
				name: item.name,
				messageId: item.messageId,
				text: item.text,
				sessionId: item.sessionId,
				chatInput: item.chatInput,
			},
			{
				event: 'message',
				type: 'text',
				from: ASHA,
				to: BUSINESS,
				name: 'Asha',
				messageId,
				text: 'Is my order on its way?',
				sessionId: ASHA,
				chatInput: 'Is my order on its way?',
			},
		);
		assert.deepEqual(
			execution.ran['Handle the message'].map((json) => json.messageId),
			[messageId],
		);
	});

	it('runs the step after Remove Duplicates once when the same callback reaches each webhook process', async () => {
		const messageId = 'wamid.QUEUE0000000000000000000000000002';
		const text = incomingCallback({
			kind: 'text',
			businessNumber: BUSINESS,
			from: ASHA,
			text: 'Please cancel order A-1002',
			messageId,
		});
		const [first, second] = stack.webhooks.map((w) => w.url);

		// Kaleyra delivers it to the first process; a re-delivery, seconds later, reaches the other.
		assert.deepEqual(await deliver(ONCE, first, text), answer(1));
		await queue.executionsOf(stack, ONCE.id, 1);
		// The second process never saw it, so its trigger starts a run ...
		assert.deepEqual(await deliver(ONCE, second, text), answer(1));
		// ... and the first still remembers it: nothing starts there.
		assert.deepEqual(await deliver(ONCE, first, text), answer(0, 1));

		// A message you sent: delivered, then read, then read again at the other process.
		const sent = {
			api: 'v2',
			messageId: 'wamid.QUEUE0000000000000000000000000003',
			to: ASHA,
			businessNumber: BUSINESS,
			payload: { extra_info: { ref: 'order-A-1002' } },
		};
		await queue.executionsOf(stack, ONCE.id, 2);
		assert.deepEqual(await deliver(ONCE, second, statusCallback(sent, 'delivered')), answer(1));
		await queue.executionsOf(stack, ONCE.id, 3);
		assert.deepEqual(await deliver(ONCE, first, statusCallback(sent, 'read')), answer(1));
		await queue.executionsOf(stack, ONCE.id, 4);
		assert.deepEqual(await deliver(ONCE, second, statusCallback(sent, 'read')), answer(1));

		const executions = await queue.executionsOf(stack, ONCE.id, 5);
		assert.equal(executions.length, 5);
		for (const execution of executions) {
			assert.equal(execution.status, 'success', execution.error);
			assert.equal(execution.worker, 'worker-1');
			assert.equal(execution.ran[TRIGGER].length, 1);
		}
		// Every execution started, but the step after Remove Duplicates saw each (ID, status) once.
		assert.deepEqual(
			executions.map((e) =>
				(e.ran['Handle once'] ?? []).map((json) => [json.messageId, json.status]),
			),
			[[[messageId, null]], [], [[sent.messageId, 'delivered']], [[sent.messageId, 'read']], []],
		);
	});
});
