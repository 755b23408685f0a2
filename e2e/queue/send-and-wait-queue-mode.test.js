'use strict';
/**
 * Message → Send and Wait for Reply in n8n's queue mode (issue 18): Redis, PostgreSQL, a main that
 * serves only the editor and the REST API, one `n8n webhook` process that receives the production
 * webhooks (the asking workflow's Webhook, Kaleyra's callbacks to the trigger, the trigger's
 * hand-over to /webhook-waiting/) and one worker that runs every execution (scripts/queue-mode.js).
 *
 * The question goes out from the worker and the execution waits in PostgreSQL; the customer's tap
 * reaches the trigger on the webhook process, which posts it to its own n8n's signed resume URL;
 * n8n queues the resumed execution, and the worker finishes it.
 *
 *   node --test e2e/queue/send-and-wait-queue-mode.test.js
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { request } = require('undici');

const harness = require('../../scripts/harness');
const callbacks = require('../../scripts/callbacks');
const queue = require('../../scripts/queue-mode');
const runtime = require('../../scripts/n8n-runtime');

const BUSINESS = harness.SANDBOX_ACCOUNT.numbers[0];
const ASHA = '+919812345678';
const TRIGGER = 'Kaleyra WhatsApp Trigger';
const ASK_PATH = 'queue-ask-approval';

/** The number's callback URL; Send and Wait taps are handed over, text starts it (taps do not). */
const ANSWERS = {
	id: 'kaleyraQueueAnsw',
	name: 'queue: answers trigger',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'kaleyraQueueAnsw-trigger',
			name: TRIGGER,
			type: callbacks.TRIGGER_TYPE,
			typeVersion: 1.1,
			position: [0, 0],
			webhookId: '5b2e8c1d-3f4a-4b6c-9d8e-0f1a2b3c4d5e',
			parameters: { events: ['text'] },
			credentials: {
				[harness.CALLBACK_CREDENTIAL.type]: {
					id: harness.CALLBACK_CREDENTIAL.id,
					name: harness.CALLBACK_CREDENTIAL.name,
				},
			},
		},
	],
	connections: {},
};

/** Webhook (production URL) → Ask (Send and Wait for Reply, Approval) → Next. */
const ASKING = {
	id: 'kaleyraQueueAsk1',
	name: 'queue: ask for approval',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'kaleyraQueueAsk1-webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '6c3f9d2e-4a5b-4c7d-8e9f-1a2b3c4d5e6f',
			parameters: { httpMethod: 'POST', path: ASK_PATH, responseMode: 'onReceived', options: {} },
		},
		{
			id: 'kaleyraQueueAsk1-ask',
			name: 'Ask',
			type: `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`,
			typeVersion: 1.2,
			position: [220, 0],
			parameters: {
				resource: 'message',
				operation: 'sendAndWait',
				businessNumber: BUSINESS,
				recipient: '={{ $json.body.phone }}',
				body: 'Can we deliver order A-1001 tomorrow between 10 and 12?',
				responseType: 'approval',
			},
			credentials: {
				kaleyraWhatsAppApi: { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name },
			},
		},
		{
			id: 'kaleyraQueueAsk1-next',
			name: 'Next',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [440, 0],
			parameters: {},
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] },
		Ask: { main: [[{ node: 'Next', type: 'main', index: 0 }]] },
	},
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const { step, timings } = harness.createStepper((line) => process.stderr.write(`${line}\n`));
let stack;

before(async () => {
	stack = await queue.startQueueStack({
		step,
		workers: 1,
		webhookProcesses: 1,
		workflows: [ANSWERS, ASKING],
	});
	const profile = callbacks.callbackProfile(ANSWERS, stack.webhooks[0].url);
	await callbacks.waitUntilListening(profile.url);
	stack.sandbox.configureCallbacks({ ...profile, statuses: false });
});

after(async () => {
	await stack?.stop();
	process.stderr.write(
		`send-and-wait queue-mode timings: ${timings.map((t) => `${t.label} ${(t.ms / 1000).toFixed(1)} s`).join('; ')}\n`,
	);
});

async function executionList(workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const page = await stack.rest.data('GET', `/rest/executions?filter=${filter}&limit=100`);
	return (page.results ?? []).sort((a, b) => Number(a.id) - Number(b.id));
}

/** Polls until the workflow's only execution has `status`. */
async function onlyExecution(workflowId, status, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const list = await executionList(workflowId);
		if (list.length === 1 && list[0].status === status) return list[0];
		if (Date.now() > deadline)
			throw new Error(
				`${workflowId}: executions ${JSON.stringify(list.map((e) => [e.id, e.status]))}, not one ${status}\n${stack.workers.map((w) => `${w.name}: ${w.handle.output().slice(-3000)}`).join('\n')}`,
			);
		await sleep(300);
	}
}

/** The jobs a process's log says it started and finished for the execution. */
function jobsIn(output, executionId) {
	const jobs = (verb) =>
		[
			...output.matchAll(
				new RegExp(`Worker ${verb} execution ${executionId} \\(job (\\d+)\\)`, 'g'),
			),
		].map((match) => match[1]);
	return { started: jobs('started'), finished: jobs('finished') };
}

/** The Webhook's production URL on the webhook process; a 404 (not registered yet) is retried. */
async function startAsking() {
	const deadline = Date.now() + 60000;
	for (;;) {
		const response = await request(`${stack.webhooks[0].url}/webhook/${ASK_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ phone: ASHA }),
		});
		await response.body.text();
		if (response.statusCode !== 404 || Date.now() > deadline) return response.statusCode;
		await sleep(500);
	}
}

describe('Send and Wait for Reply in queue mode: a webhook process, a worker, PostgreSQL', () => {
	it('waits in the database; a forged tap resumes nothing; the tap on Approve is handed over and the worker finishes the execution with the answer', async () => {
		assert.equal(await startAsking(), 200);
		const waiting = await onlyExecution(ASKING.id, 'waiting');
		const [worker] = stack.workers;
		assert.deepEqual(jobsIn(worker.handle.output(), waiting.id).started.length, 1);
		assert.equal(stack.sandbox.messages.length, 1, 'one question sent');
		const [question] = stack.sandbox.messages;
		assert.equal(question.to.replace(/^\+/, ''), ASHA.slice(1));
		const buttons = question.payload.messaging_object.interactive.action.buttons;
		assert.deepEqual(
			buttons.map((button) => button.reply.title),
			['Approve', 'Decline'],
		);

		// The Approve button's ID with another signature: n8n refuses it, the trigger passes it on
		// as an ordinary button reply, which this trigger's events do not include.
		const forged = await stack.sandbox.customer({
			kind: 'button',
			from: ASHA,
			buttonId: buttons[0].reply.id.replace(/signature=[0-9a-f]+/, `signature=${'0'.repeat(64)}`),
			buttonTitle: 'Approve',
		});
		assert.equal(forged.status, 200);
		assert.deepEqual(forged.answer, { received: 1, started: 0, notChosen: 1, duplicates: 0 });
		await sleep(1000);
		assert.equal((await onlyExecution(ASKING.id, 'waiting')).id, waiting.id, 'still waiting');
		assert.equal(jobsIn(worker.handle.output(), waiting.id).started.length, 1, 'not queued again');

		const tappedAfter = Date.now();
		const tapped = await stack.sandbox.tap({ button: 'Approve' });
		assert.deepEqual(tapped.answer, {
			received: 1,
			started: 0,
			notChosen: 0,
			duplicates: 0,
			answered: 1,
		});
		const [done] = await queue.executionsOf(stack, ASKING.id, 1);
		assert.equal(done.id, waiting.id);
		assert.equal(done.status, 'success', done.error);
		// The worker ran it twice, each a job of its own: the question, then the resumed run.
		const jobs = jobsIn(worker.handle.output(), waiting.id);
		assert.equal(jobs.started.length, 2, worker.handle.output().slice(-3000));
		assert.notEqual(jobs.started[0], jobs.started[1]);
		assert.ok(jobs.finished.includes(jobs.started[1]), 'the worker finished the resumed job');
		assert.equal(done.worker, 'worker-1');
		assert.deepEqual(jobsIn(stack.webhooks[0].handle.output(), waiting.id).started, []);

		const [item] = done.ran.Next;
		assert.match(item.answeredAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		const answeredAt = Date.parse(item.answeredAt);
		assert.ok(answeredAt >= tappedAfter - 1000 && answeredAt <= Date.now(), item.answeredAt);
		assert.deepEqual(done.ran.Next, [
			{
				answered: true,
				approved: true,
				from: ASHA,
				answeredAt: item.answeredAt,
				messageId: question.messageId,
				timedOut: false,
			},
		]);
		assert.equal(stack.sandbox.messages.length, 1, 'exactly one question, nothing else sent');
		assert.deepEqual(await executionList(ANSWERS.id), [], 'no tap started the trigger workflow');
	});
});
