'use strict';
/**
 * Message → Send and Wait for Reply as a builder sees it in n8n 2.41.1's editor (Debian's
 * chromium, playwright-core, 1280×800): the node's fields for an approval with a time limit; then,
 * with the trigger example (send-and-wait-answers.json) and an asking workflow published, a run
 * through the asking workflow's production URL shows its execution waiting in the editor, the
 * sandbox's customer taps Approve, and the same execution is shown finished, its next node holding
 * `approved: true`.
 *
 *   node --test e2e/browser/send-and-wait.test.js
 *
 * n8n listens on N8N_PORT (5840 here, so that it can run next to the other browser suites) with its
 * broker on N8N_RUNNERS_BROKER_PORT (5841). Screenshots go to docs/screenshots/ (E2E_SCREENSHOTS=<dir>).
 */
process.env.N8N_PORT ||= '5840';
process.env.N8N_RUNNERS_BROKER_PORT ||= '5841';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { request } = require('undici');

const runtime = require('../../scripts/n8n-runtime');
const harness = require('../../scripts/harness');
const callbacks = require('../../scripts/callbacks');
const { N8nRestClient } = require('../../scripts/n8n-rest');
const { tearDown } = require('../teardown');
const {
	browserSteps,
	dismissModals,
	screenshot,
	shownFieldNames,
	startInstance,
} = require('./instance');

const ASHA = '+919812345678';
const ANSWERS_EXAMPLE = 'send-and-wait-answers.json';
const ASK_NODE = 'Ask to approve the delivery';
const NEXT_NODE = 'Book the delivery';

/** Webhook → Send and Wait for Reply (Approval, Limit Wait Time 1 hour) → a next node. */
const ASKING = {
	id: 'browserAskApproval',
	file: 'browser: ask for approval',
	workflow: {
		name: 'Ask Asha to approve the delivery',
		nodes: [
			{
				parameters: {
					httpMethod: 'POST',
					path: 'approve-delivery',
					responseMode: 'onReceived',
					options: {},
				},
				id: '5a1d0000-0000-4000-8000-00000000b001',
				name: 'Delivery to approve',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '5a1d0000-0000-4000-8000-00000000b002',
			},
			{
				parameters: {
					resource: 'message',
					operation: 'sendAndWait',
					businessNumber: harness.SANDBOX_ACCOUNT.numbers[0],
					recipient: '={{ $json.body.phone }}',
					body: 'Can we deliver order A-1001 tomorrow between 10 and 12?',
					responseType: 'approval',
					limitWaitTime: true,
					limitType: 'afterTimeInterval',
					resumeAmount: 1,
					resumeUnit: 'hours',
				},
				id: '5a1d0000-0000-4000-8000-00000000b003',
				name: ASK_NODE,
				type: `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`,
				typeVersion: 1.2,
				position: [260, 0],
				credentials: {
					kaleyraWhatsAppApi: { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name },
				},
			},
			{
				parameters: {},
				id: '5a1d0000-0000-4000-8000-00000000b004',
				name: NEXT_NODE,
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [520, 0],
			},
		],
		connections: {
			'Delivery to approve': { main: [[{ node: ASK_NODE, type: 'main', index: 0 }]] },
			[ASK_NODE]: { main: [[{ node: NEXT_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	},
};

function print(line) {
	process.stderr.write(`${line}\n`);
}
const startedAt = Date.now();
const state = {};
const { step, timings } = browserSteps(state, print);

/** Opens the asking workflow's execution `id` in the editor's Executions tab. */
async function openExecution(page, id) {
	await page.goto(`${state.server.url}/workflow/${ASKING.id}/executions/${id}`);
	await page.getByTestId(`execution-preview-details-${id}`).waitFor({ timeout: 90000 });
	await dismissModals(page);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		state.browser?.close().catch(() => {});
		runtime.stopAll().finally(() => process.exit(130));
	});
}

before(async () => {
	print(`browser e2e: Send and Wait for Reply in n8n ${runtime.N8N_VERSION}'s editor`);
	await startInstance(state, {
		step,
		print,
		beforeStart: async ({ userFolder, examples, tmp }) => {
			const file = path.join(tmp, 'asking-workflow.json');
			fs.writeFileSync(file, JSON.stringify([{ ...ASKING.workflow, id: ASKING.id }]));
			await step('n8n import:workflow (the asking workflow)', async () =>
				harness.assertRan(
					await runtime.runN8n(['import:workflow', `--input=${file}`], { userFolder }),
				),
			);
			state.answering = examples.find((example) => example.file === ANSWERS_EXAMPLE);
			assert.ok(state.answering, `${ANSWERS_EXAMPLE} was imported`);
			await callbacks.publishWorkflows(userFolder, [state.answering, ASKING], { step });
		},
	});
	state.client = new N8nRestClient(state.server.url);
	await state.client.login(state.owner);
	const profile = callbacks.callbackProfile(state.answering.workflow, state.server.url);
	await callbacks.waitUntilListening(profile.url);
	state.sandbox.configureCallbacks({ ...profile, statuses: false });
	const context = await state.browser.newContext({ viewport: { width: 1280, height: 800 } });
	context.setDefaultTimeout(30000);
	state.page = await context.newPage();
	require('playwright-core').selectors.setTestIdAttribute('data-test-id');
	state.pageErrors = [];
	state.page.on('pageerror', (error) => state.pageErrors.push(String(error)));
	const { page } = state;
	await step('browser: sign in', async () => {
		await page.goto(`${state.server.url}/signin`);
		await page
			.locator('input[type="email"], input[name="emailOrLdapLoginId"]')
			.first()
			.fill(state.owner.email);
		await page.locator('input[type="password"]').fill(state.owner.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60000 });
	});
});

after(async () => {
	await state.browser?.close().catch(() => {});
	await tearDown(state, { timings, print, startedAt });
});

describe(`Send and Wait for Reply in n8n ${runtime.N8N_VERSION}'s editor, in chromium`, () => {
	it('the node shows Response Type, Answer By, the Approve and Decline labels, and Limit Wait Time with its fields', async () => {
		const { page } = state;
		const ndv = page.getByTestId('ndv');
		await step('browser: open the asking node', async () => {
			await page.goto(`${state.server.url}/workflow/${ASKING.id}`);
			await page.getByTestId('canvas-node').filter({ hasText: ASK_NODE }).waitFor({
				timeout: 90000,
			});
			await dismissModals(page);
			await page.getByTestId('canvas-node').filter({ hasText: ASK_NODE }).dblclick();
			await ndv.getByTestId('parameter-input-responseType').waitFor();
		});
		const shown = await shownFieldNames(page);
		const names = [
			'responseType',
			'answerBy',
			'approveLabel',
			'offerDecline',
			'declineLabel',
			'limitWaitTime',
			'limitType',
			'resumeAmount',
			'resumeUnit',
		];
		assert.deepEqual(
			shown.filter((name) => names.includes(name)),
			names,
			`the fields shown: ${shown.join(', ')}`,
		);
		const value = (name, tag = 'input') =>
			ndv.locator(`[data-test-id="parameter-input-${name}"] ${tag}`).first().inputValue();
		assert.equal(await value('operation'), 'Send and Wait for Reply');
		assert.equal(await value('responseType'), 'Approval');
		assert.equal(await value('answerBy'), 'Reply Buttons');
		assert.equal(await value('approveLabel'), 'Approve');
		assert.equal(await value('declineLabel'), 'Decline');
		assert.equal(await value('limitType'), 'After Time Interval');
		// Amount allows two decimals (half an hour: 0.50 hours), so 1 is shown as 1.00.
		assert.equal(await value('resumeAmount'), '1.00');
		assert.equal(await value('resumeUnit'), 'Hours');
		const text = await ndv.getByTestId('node-parameters').innerText();
		for (const label of [
			'Response Type',
			'Answer By',
			'Approve Label',
			'Offer Decline',
			'Decline Label',
			'Limit Wait Time',
			'Limit Type',
			'Amount',
			'Unit',
		])
			assert.match(text, new RegExp(`^${label}$`, 'm'), `"${label}" shown\n${text}`);
		// At 1280×800 the parameters scroll; for the photo they are drawn at 70 % inside the panel,
		// from Response Type down, so that Response Type to Unit fit in one picture.
		await ndv.getByTestId('node-parameters').evaluate((root) => {
			root.style.zoom = '0.7';
		});
		await ndv
			.getByTestId('responseType-parameter-input-options-container')
			.evaluate((field) => field.scrollIntoView({ block: 'start' }));
		await page.waitForTimeout(300);
		await screenshot('send-and-wait-fields', ndv);
		await ndv.getByTestId('node-parameters').evaluate((root) => {
			root.style.zoom = '';
		});
		await page.keyboard.press('Escape');
		await ndv.waitFor({ state: 'hidden' }).catch(() => {});
	});

	it('a run through the production URL waits in the editor; the customer taps Approve; the same execution is shown finished with approved: true', async () => {
		const { page } = state;
		state.sandbox.reset();
		const started = await request(`${state.server.url}/webhook/approve-delivery`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ phone: ASHA }),
		});
		await started.body.dump();
		assert.equal(started.statusCode, 200);
		const waiting = await callbacks.lastExecution(state.client, ASKING.id, 'waiting');
		assert.equal(state.sandbox.messages.length, 1, 'one question sent');
		assert.deepEqual(
			state.sandbox.messages[0].payload.messaging_object.interactive.action.buttons.map(
				(button) => button.reply.title,
			),
			['Approve', 'Decline'],
		);

		const label = page.getByTestId('execution-preview-label');
		await step('browser: the waiting execution', async () => {
			await openExecution(page, waiting.id);
			await label.filter({ hasText: /^Waiting$/ }).waitFor({ timeout: 60000 });
		});
		assert.equal((await label.innerText()).trim(), 'Waiting');
		assert.match(
			await page.getByTestId(`execution-preview-details-${waiting.id}`).innerText(),
			new RegExp(`ID#${waiting.id}\\b`),
		);
		await screenshot('send-and-wait-waiting', state.page);

		const tapped = await state.sandbox.tap({ button: 'Approve' });
		assert.equal(tapped.answer.answered, 1, JSON.stringify(tapped.answer));
		const done = await callbacks.lastExecution(state.client, ASKING.id, 'success');
		assert.equal(done.id, waiting.id, 'the waiting execution itself finished');

		await step('browser: the same execution, finished', async () => {
			await openExecution(page, done.id);
			await label.filter({ hasText: /^Succeeded$/ }).waitFor({ timeout: 60000 });
		});
		assert.match(
			await page.getByTestId(`execution-preview-details-${waiting.id}`).innerText(),
			new RegExp(`ID#${waiting.id}\\b`),
		);
		const output = page.getByTestId('ndv').getByTestId('output-panel');
		await step(`browser: open "${NEXT_NODE}", its output as JSON`, async () => {
			await page.getByTestId('canvas-node').filter({ hasText: NEXT_NODE }).dblclick();
			await output.getByText(/1 item/).waitFor({ timeout: 60000 });
			await output.getByTestId('radio-button-json').click();
			await output
				.getByText(/"approved"/)
				.first()
				.waitFor();
		});
		const shown = await output.innerText();
		assert.match(shown, /"answered":\s*true/);
		assert.match(shown, /"approved":\s*true/);
		assert.match(shown, new RegExp(`"from":\\s*"\\${ASHA}"`));
		assert.match(shown, /"timedOut":\s*false/);
		assert.ok(
			shown.includes(state.sandbox.messages[0].messageId),
			'the answer names the question it answers',
		);
		await screenshot('send-and-wait-resumed', state.page);
	});

	it('the editor raised no page error', () => {
		assert.deepEqual(state.pageErrors, []);
	});
});
