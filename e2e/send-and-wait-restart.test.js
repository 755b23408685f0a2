'use strict';
/**
 * Send and Wait for Reply across an n8n restart (issue 18): the question is asked and the
 * execution waits; n8n is stopped cleanly (SIGTERM, waited for) and started again on the same
 * user folder (its SQLite database), on the same port, as after an upgrade or a reboot; then the
 * customer taps Approve. The waiting execution lives in n8n's database, the button ID carries its
 * signed resume path, so the restarted n8n's trigger hands the tap over and the execution ends
 * with the answer. n8n 2.x.
 *
 *   node --test e2e/send-and-wait-restart.test.js
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const runtime = require('../scripts/n8n-runtime');
const harness = require('../scripts/harness');
const { tearDown } = require('./teardown');
const {
	ASHA,
	TRIGGER_WORKFLOW,
	APPROVAL,
	waitInstance,
	waitHelpers,
} = require('./send-and-wait-workflows');

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
const { executions, lastExecution, nextInput, ask } = waitHelpers(state);

const { prepare, startN8n } = waitInstance(state, step);

before(async () => {
	print(`e2e: Send and Wait for Reply across a restart of n8n ${runtime.N8N_VERSION}`);
	await prepare('kaleyra-wait-restart-', [TRIGGER_WORKFLOW, APPROVAL]);
	await startN8n('n8n start');
});

after(() => tearDown(state, { timings, print, startedAt }));

describe('Send and Wait for Reply across an n8n restart', () => {
	it('Approval: asked, waiting; n8n stopped with SIGTERM and started again on the same database; the tap on Approve resumes the execution and Next gets approved: true', async () => {
		const { execution, question } = await ask(APPROVAL);

		const first = state.server;
		await step('stop n8n (SIGTERM) while the execution waits', async () => {
			await first.stop(60000);
			// Exited by itself on SIGTERM, not killed after the grace period.
			assert.deepEqual(await first.exited, { code: 0, signal: null });
		});
		await startN8n('n8n start again (same user folder and port)', first.port);
		assert.notEqual(state.server.child.pid, first.child.pid);
		assert.deepEqual(
			(await executions(APPROVAL)).map(({ id, status }) => ({ id, status })),
			[{ id: execution.id, status: 'waiting' }],
			'the execution still waits after the restart',
		);

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
		assert.match(item.answeredAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		assert.deepEqual(item, {
			answered: true,
			approved: true,
			from: ASHA,
			answeredAt: item.answeredAt,
			messageId: question.messageId,
			timedOut: false,
		});
		assert.equal(state.sandbox.messages.length, 1, 'one question, asked once, before the restart');
	});
});
