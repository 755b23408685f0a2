'use strict';
/**
 * Queue mode end to end: Redis, PostgreSQL, an n8n main and two workers (scripts/queue-mode.js),
 * this package installed in each; campaigns started by webhook run on the workers against the
 * Kaleyra sandbox. Every message is accepted exactly once and every execution's output is
 * complete: one item per recipient, in order, paired, with the message ID the sandbox gave.
 *
 *   npm run test:queue
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const harness = require('../../scripts/harness');
const queue = require('../../scripts/queue-mode');

const { step, timings } = harness.createStepper((line) => process.stderr.write(`${line}\n`));
let stack;

before(async () => {
	stack = await queue.startQueueStack({ step });
});

after(async () => {
	await stack?.stop();
	process.stderr.write(
		`queue-mode timings: ${timings.map((t) => `${t.label} ${(t.ms / 1000).toFixed(1)} s`).join('; ')}\n`,
	);
});

/** Messages the sandbox accepted for one campaign, by the `n` each carries in ref1. */
function acceptedFor(campaign) {
	return stack.sandbox.messages.filter((m) => m.payload.extra_info?.ref === campaign);
}

function assertCampaignComplete(execution, campaign, count) {
	assert.equal(execution.status, 'success', `execution ${execution.id}: ${execution.error ?? ''}`);
	const expected = queue.recipients(campaign, count);
	const accepted = acceptedFor(campaign);
	assert.equal(
		accepted.length,
		count,
		`the sandbox accepted ${accepted.length} messages of campaign ${campaign}, not ${count}`,
	);
	assert.equal(
		new Set(accepted.map((m) => m.payload.extra_info.ref1)).size,
		count,
		`a message of campaign ${campaign} was accepted twice`,
	);
	const idOf = new Map(accepted.map((m) => [m.payload.extra_info.ref1, m.messageId]));
	assert.equal(execution.items.length, count);
	execution.items.forEach((item, i) => {
		assert.deepEqual(item.pairedItem, { item: i });
		assert.equal(item.json.status, 'accepted');
		assert.equal(item.json.to, expected[i].phone);
		assert.equal(item.json.ref1, String(i));
		assert.equal(item.json.messageId, idOf.get(String(i)));
	});
	// A customer with two messages got them in input order.
	const byPhone = new Map();
	for (const m of accepted)
		byPhone.set(m.to, [...(byPhone.get(m.to) ?? []), Number(m.payload.extra_info.ref1)]);
	for (const ns of byPhone.values())
		assert.deepEqual(
			ns,
			[...ns].sort((a, b) => a - b),
		);
}

describe('n8n in queue mode: Redis, PostgreSQL, a main and two workers', () => {
	it('runs a 1,000-message campaign on a worker: every message accepted once, the output complete', async () => {
		await queue.startCampaign(stack, 'solo', 1000);
		const [execution] = await queue.finishedExecutions(stack, 1);
		const worker = queue.workerOf(stack).get(execution.id);
		assert.match(worker ?? '', /^worker-/, `execution ${execution.id} did not run on a worker`);
		assertCampaignComplete(execution, 'solo', 1000);
	});

	it('runs 4 campaigns at once across both workers: every message accepted once, every output complete', async () => {
		const campaigns = ['c1', 'c2', 'c3', 'c4'];
		await Promise.all(campaigns.map((c) => queue.startCampaign(stack, c, 250)));
		const executions = (await queue.finishedExecutions(stack, 5)).filter(
			(e) => e.items[0]?.json.ref !== 'solo',
		);
		assert.equal(executions.length, 4);
		const ran = queue.workerOf(stack);
		const workers = new Set(executions.map((e) => ran.get(e.id)));
		assert.deepEqual(
			[...workers].sort(),
			['worker-1', 'worker-2'],
			`executions ran on ${[...workers].join(', ')}`,
		);
		for (const campaign of campaigns) {
			const execution = executions.find((e) => e.items[0]?.json.ref === campaign);
			assert.ok(execution, `no execution output for campaign ${campaign}`);
			assertCampaignComplete(execution, campaign, 250);
		}
		assert.equal(stack.sandbox.messages.length, 2000);
	});
});
