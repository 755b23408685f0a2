'use strict';
/**
 * The node as an AI Agent's tool in n8n 2.41.1's editor (Debian's chromium, playwright-core): a
 * workflow whose AI Agent has the Kaleyra WhatsApp Tool attached, opened on the canvas and
 * photographed; the tool's panel shows its Tool Description, its fields defined by the model and
 * Simplify; and, as a new user would do it, a field set to "defined by the model" first and a
 * template picked after: its variables appear at once, defined by the model under readable names.
 * No LLM: the agent has no chat model, nothing is run.
 *
 *   node --test e2e/browser/ai-agent-tool.test.js
 *
 * n8n listens on N8N_PORT (5830 here, so that it can run next to editor.test.js) with its broker on
 * N8N_RUNNERS_BROKER_PORT (5831). Screenshots go to docs/screenshots/ (E2E_SCREENSHOTS=<dir>).
 */
process.env.N8N_PORT ||= '5830';
process.env.N8N_RUNNERS_BROKER_PORT ||= '5831';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const runtime = require('../../scripts/n8n-runtime');
const harness = require('../../scripts/harness');
const { N8nRestClient } = require('../../scripts/n8n-rest');
const { tearDown } = require('../teardown');
const { browserSteps, dismissModals, screenshot, startInstance } = require('./instance');

const TOOL_TYPE = `${runtime.PACKAGE_NAME}.kaleyraWhatsAppTool`;
const TOOL_NODE = 'Send WhatsApp text';
const NOT_UNDOABLE =
	"It acts at once on the customer's WhatsApp chat and cannot be undone, edited or recalled: call it only when this should really happen, and only once.";

function print(line) {
	process.stderr.write(`${line}\n`);
}
const startedAt = Date.now();
const state = {};
const { step, timings } = browserSteps(state, print);

const byModel = (key, description) =>
	`={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('${key}', ${JSON.stringify(description)}, 'string') }}`;

/** A chat-driven agent with the node as its tool; the chat model slot is left empty (no LLM here). */
const AGENT_WORKFLOW = {
	name: 'WhatsApp the customer from an AI Agent',
	nodes: [
		{
			parameters: { options: {} },
			id: '10000000-0000-4000-8000-000000000001',
			name: 'When chat message received',
			type: '@n8n/n8n-nodes-langchain.chatTrigger',
			typeVersion: 1.3,
			position: [0, 0],
			webhookId: '3a5c7e9b-1d2f-4a6b-8c0d-2e4f6a8b0c1d',
		},
		{
			parameters: { options: {} },
			id: '10000000-0000-4000-8000-000000000002',
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3.1,
			position: [260, 0],
		},
		{
			parameters: {
				resource: 'message',
				operation: 'sendText',
				businessNumber: harness.SANDBOX_ACCOUNT.numbers[0],
				recipient: byModel(
					'Recipient',
					"The customer's WhatsApp number in international format, e.g. +919811111111",
				),
				body: byModel('Message', 'The text to send, at most 4096 characters'),
			},
			id: '10000000-0000-4000-8000-000000000003',
			name: TOOL_NODE,
			type: TOOL_TYPE,
			typeVersion: 1.2,
			position: [420, 220],
			credentials: {
				kaleyraWhatsAppApi: { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name },
			},
		},
	],
	connections: {
		'When chat message received': {
			main: [[{ node: 'AI Agent', type: 'main', index: 0 }]],
		},
		[TOOL_NODE]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
};

/** Picks an option by its name in an options field (Operation, …). */
async function pickOption(page, field, name) {
	await page.getByTestId(`parameter-input-${field}`).click();
	const option = page
		.locator('[data-test-id="parameter-input-item"]:visible')
		.filter({ hasText: new RegExp(`^${name}`) })
		.first();
	await option.click();
	await page.waitForFunction(
		([testId, expected]) =>
			document.querySelector(`[data-test-id="${testId}"] input`)?.value === expected,
		[`parameter-input-${field}`, name],
	);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		state.browser?.close().catch(() => {});
		runtime.stopAll().finally(() => process.exit(130));
	});
}

before(async () => {
	print(`browser e2e: ${TOOL_TYPE} on an AI Agent in n8n ${runtime.N8N_VERSION}'s editor`);
	await startInstance(state, { step, print });
	const client = new N8nRestClient(state.server.url);
	await client.login(state.owner);
	state.workflowId = (await client.data('POST', '/rest/workflows', AGENT_WORKFLOW)).id;
	const context = await state.browser.newContext({ viewport: { width: 1440, height: 900 } });
	context.setDefaultTimeout(30000);
	state.page = await context.newPage();
	require('playwright-core').selectors.setTestIdAttribute('data-test-id');
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

describe(`the Kaleyra WhatsApp node as an AI Agent's tool in n8n ${runtime.N8N_VERSION}'s editor`, () => {
	it('the canvas shows the node attached to the AI Agent as a tool', async () => {
		const { page } = state;
		await step('browser: open the agent workflow', async () => {
			await page.goto(`${state.server.url}/workflow/${state.workflowId}`);
			await page.getByTestId('canvas-node').filter({ hasText: TOOL_NODE }).waitFor({
				timeout: 90000,
			});
			await dismissModals(page);
		});
		const canvas = await page.getByTestId('canvas-node').allInnerTexts();
		assert.ok(
			canvas.some((text) => text.includes(TOOL_NODE)),
			canvas.join(' | '),
		);
		assert.ok(
			canvas.some((text) => text.includes('AI Agent')),
			canvas.join(' | '),
		);
		await page.keyboard.press('1').catch(() => {}); // zoom to fit
		await page.waitForTimeout(500);
		await screenshot('ai-agent-tool', state.page);
	});

	it("the tool's panel: its description says it cannot be undone, its fields are defined by the model, Simplify is on", async () => {
		const { page } = state;
		const ndv = page.getByTestId('ndv');
		await page.getByTestId('canvas-node').filter({ hasText: TOOL_NODE }).dblclick();
		await ndv.getByTestId('parameter-input-toolDescription').waitFor();
		assert.equal(
			await ndv.locator('[data-test-id="parameter-input-toolDescription"] textarea').inputValue(),
			`Kaleyra WhatsApp: Send a text message (inside the 24-hour customer service window). ${NOT_UNDOABLE}`,
		);
		const text = await ndv.innerText();
		assert.match(text, /Simplify/);
		assert.ok(
			(text.match(/Defined automatically by the model/g) ?? []).length >= 2,
			`Recipient and Body are defined by the model\n${text}`,
		);
		await screenshot('ai-agent-tool-panel', ndv);
	});

	it('a field set to the model first, a template picked after: its variables appear at once, defined by the model', async () => {
		const { page } = state;
		const ndv = page.getByTestId('ndv');
		await pickOption(page, 'operation', 'Send Template');
		await step('browser: pick order_shipped after Recipient was set to the model', async () => {
			await ndv.getByTestId('parameter-input-template').click();
			await page.getByText('order_shipped (en, utility)', { exact: true }).click();
			await ndv
				.getByTestId('resource-mapper-container')
				.getByText('Button 1 URL suffix')
				.waitFor({ timeout: 60000 });
		});
		const mapper = await ndv.getByTestId('resource-mapper-container').innerText();
		for (const label of ['Header 1', 'Body 1', 'Body 2', 'Body 3', 'Button 1 URL suffix'])
			assert.ok(mapper.includes(label), `variable "${label}"\n${mapper}`);
		assert.equal(
			(mapper.match(/Defined automatically by the model/g) ?? []).length,
			5,
			`every variable is defined by the model\n${mapper}`,
		);
		const descriptions = await ndv
			.getByTestId('resource-mapper-container')
			.locator('textarea')
			.evaluateAll((areas) => areas.map((area) => area.value));
		assert.equal(
			descriptions[2],
			'Body 2 of the WhatsApp template "order_shipped" (en), the blank in "Hi [1], your order ___ has shipped and arrives by [3].". Plain text, no newlines. Example: 1042.',
			'the description panel shows what the model reads',
		);
		assert.equal(
			await ndv.locator('[data-test-id="parameter-input-toolDescription"] textarea').inputValue(),
			`Kaleyra WhatsApp: Send an approved template, the only message WhatsApp delivers outside the 24-hour window. ${NOT_UNDOABLE}`,
			'the Tool Description follows the operation',
		);
		await ndv.getByTestId('resource-mapper-container').scrollIntoViewIfNeeded();
		await screenshot('ai-agent-tool-template', ndv);
	});
});
