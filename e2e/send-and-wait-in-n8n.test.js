'use strict';
/**
 * End to end for Message → Send and Wait for Reply (issue 18): the packed package in a real n8n
 * (`n8n start`; N8N_LINE=1 for 1.x), the asking workflows and the Kaleyra WhatsApp Trigger
 * published, the Kaleyra sandbox playing the customer. A workflow asks, its execution waits, the
 * customer taps (the trigger hands the tap to the execution through n8n's signed resume URL) or
 * answers the link form, and the next node gets the answer.
 *
 *   node --test e2e/send-and-wait-in-n8n.test.js
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { request } = require('undici');

const runtime = require('../scripts/n8n-runtime');
const harness = require('../scripts/harness');
const { tearDown } = require('./teardown');
const {
	ASHA,
	TRIGGER_WORKFLOW,
	APPROVAL,
	askingWorkflow,
	waitInstance,
	waitHelpers,
} = require('./send-and-wait-workflows');

const CHOICE = askingWorkflow('e2eAskChoice', 'ask-choice', {
	responseType: 'choice',
	choices: {
		choice: [
			{ label: 'Tomorrow 10-12', value: 'slot-1' },
			{ label: 'Tomorrow 14-16', value: 'slot-2' },
		],
	},
});
const FREE_TEXT = askingWorkflow('e2eAskFreeText', 'ask-free-text', {
	responseType: 'freeText',
	linkLabel: 'Reply',
});
const TIMEOUT = askingWorkflow('e2eAskTimeout', 'ask-with-limit', {
	responseType: 'approval',
	limitWaitTime: true,
	limitType: 'afterTimeInterval',
	resumeAmount: 2,
	resumeUnit: 'seconds',
});
const WORKFLOWS = [TRIGGER_WORKFLOW, APPROVAL, CHOICE, FREE_TEXT, TIMEOUT];

function print(line) {
	process.stderr.write(`${line}\n`);
}
const { step, timings } = harness.createStepper(print);
const startedAt = Date.now();
const state = {
	tmp: undefined,
	userFolder: undefined,
	sandbox: undefined,
	server: undefined,
	client: undefined,
};
const { lastExecution, nextInput, ask } = waitHelpers(state);

const { prepare, startN8n } = waitInstance(state, step);

before(async () => {
	print(`e2e: Send and Wait for Reply in n8n ${runtime.N8N_VERSION}`);
	await prepare('kaleyra-wait-e2e-', WORKFLOWS);
	await startN8n('n8n start');
});

after(() => tearDown(state, { timings, print, startedAt }));

describe('Send and Wait for Reply in a real n8n', () => {
	it('Approval: the execution waits; a forged tap resumes nothing; the customer taps Approve, the trigger resumes it, Next gets approved: true', async () => {
		const { execution, question } = await ask(APPROVAL);
		const buttons = question.payload.messaging_object.interactive.action.buttons;
		assert.deepEqual(
			buttons.map((button) => button.reply.title),
			['Approve', 'Decline'],
		);
		const forgedId = buttons[0].reply.id.replace(
			/signature=[0-9a-f]+/,
			`signature=${'0'.repeat(64)}`,
		);
		const forged = await state.sandbox.customer({
			kind: 'button',
			from: ASHA,
			buttonId: forgedId,
			buttonTitle: 'Approve',
		});
		assert.equal(forged.status, 200);
		assert.equal(forged.answer.answered, undefined, 'the forged tap was not handed over');
		await new Promise((resolve) => setTimeout(resolve, 1000));
		assert.equal((await lastExecution(APPROVAL, 'waiting')).id, execution.id, 'still waiting');

		const tapped = await state.sandbox.tap({ button: 'Approve' });
		assert.deepEqual(tapped.answer, {
			received: 1,
			started: 0,
			notChosen: 0,
			duplicates: 0,
			answered: 1,
		});
		const done = await lastExecution(APPROVAL, 'success');
		assert.equal(done.id, execution.id);
		const [item] = await nextInput(done.id);
		assert.deepEqual(
			{ ...item, answeredAt: typeof item.answeredAt },
			{
				answered: true,
				approved: true,
				from: ASHA,
				answeredAt: 'string',
				messageId: question.messageId,
				timedOut: false,
			},
		);
	});

	it('Choice: the tapped choice reaches Next as value and label', async () => {
		await ask(CHOICE);
		await state.sandbox.tap({ button: 'Tomorrow 14-16' });
		const done = await lastExecution(CHOICE, 'success');
		const [item] = await nextInput(done.id);
		assert.equal(item.value, 'slot-2');
		assert.equal(item.label, 'Tomorrow 14-16');
		assert.equal(item.from, ASHA);
	});

	it('Free Text: a GET of the link shows the form and answers nothing; the POST answers', async () => {
		const { execution, question } = await ask(FREE_TEXT);
		const { url } = question.payload.messaging_object.interactive.action.parameters;
		assert.ok(new URL(url).pathname.startsWith(`/webhook-waiting/${execution.id}/`), url);
		const page = await request(url);
		const html = await page.body.text();
		assert.equal(page.statusCode, 200);
		assert.match(html, /<textarea name="text"/);
		assert.equal((await lastExecution(FREE_TEXT, 'waiting')).id, execution.id);
		const posted = await request(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'text=Please+leave+it+at+the+door',
		});
		assert.match(await posted.body.text(), /your answer was recorded/);
		const done = await lastExecution(FREE_TEXT, 'success');
		const [item] = await nextInput(done.id);
		assert.equal(item.text, 'Please leave it at the door');
		assert.equal(item.answered, true);
	});

	it('Limit Wait Time: without an answer the execution continues with timedOut: true; a later tap resumes nothing', async () => {
		await ask(TIMEOUT);
		// n8n's wait tracker looks for due executions about once a minute.
		const done = await lastExecution(TIMEOUT, 'success', 100000);
		const [item] = await nextInput(done.id);
		assert.equal(item.timedOut, true);
		assert.equal(item.answered, false);
		const late = await state.sandbox.tap({ button: 'Approve' });
		assert.equal(late.answer.answered, undefined);
		assert.equal(
			late.answer.started,
			1,
			'the late tap starts the trigger workflow as an ordinary button reply',
		);
	});
});
