'use strict';
/**
 * Issue 20, "The first hour in the editor", read in n8n 2.41.1's editor at 1280×800 (Debian's
 * chromium, playwright-core): the README's first-run steps 3–7 done as written (every button and
 * label they name in bold is clicked or read by those words), with a screenshot per step; the
 * credential dialog's SID and API Key in view without scrolling; the template's variables
 * labelled with its words and not cut; a new trigger given its callback credential although the
 * API credential was saved later; Send Media of a generated PDF in binary data sent as a document.
 *
 *   node --test e2e/browser/first-hour.test.js
 *
 * n8n listens on N8N_PORT (5850 here, so that it can run next to the other browser files) with its
 * broker on N8N_RUNNERS_BROKER_PORT (5851). Screenshots go to docs/screenshots/ (E2E_SCREENSHOTS=<dir>).
 */
process.env.N8N_PORT ||= '5850';
process.env.N8N_RUNNERS_BROKER_PORT ||= '5851';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const runtime = require('../../scripts/n8n-runtime');
const harness = require('../../scripts/harness');
const { N8nRestClient } = require('../../scripts/n8n-rest');
const { tearDown } = require('../teardown');
const { browserSteps, dismissModals, screenshot, startInstance } = require('./instance');

const VIEWPORT = { width: 1280, height: 800 };
const EXAMPLE = path.join(runtime.ROOT, 'examples', 'order-shipped-template.json');
const TEMPLATE_NODE = 'Send shipping template';
/** What the README's step 4 creates: n8n's default name for a new Kaleyra WhatsApp API credential. */
const NEW_CREDENTIAL = 'Kaleyra WhatsApp account';

function print(line) {
	process.stderr.write(`${line}\n`);
}
const startedAt = Date.now();
const state = {};
const { step, timings } = browserSteps(state, print);

/** Step `n` of the README's "First run" list, as one line of text. */
function readmeStep(n) {
	const readme = fs.readFileSync(path.join(runtime.ROOT, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('## First run'), readme.indexOf('## Install in n8n'));
	const found = new RegExp(`^${n}\\. ([\\s\\S]*?)(?=^\\d+\\. |^\\s*$)`, 'm').exec(section);
	assert.ok(found, `the README's first run has a step ${n}`);
	return found[1].replace(/\s+/g, ' ').trim();
}

/** What a step names in bold: the buttons and labels the builder is told to click or read. */
function boldIn(text) {
	return [...text.matchAll(/\*\*(.+?)\*\*/g)].map((match) => match[1]);
}

/** The step's bold words that `shown` (what the page showed during the step) does not contain. */
function notShown(n, shown) {
	return boldIn(readmeStep(n)).filter((words) => !shown.some((text) => text.includes(words)));
}

/** A label cut with "…" by the editor: its text is wider than the room it has. */
async function cutLabels(container) {
	return await container.evaluate((root) =>
		[...root.querySelectorAll('label span')]
			.filter(
				(span) =>
					getComputedStyle(span).textOverflow === 'ellipsis' && span.scrollWidth > span.clientWidth,
			)
			.map((span) => span.textContent.trim()),
	);
}

/** The bounding box of `locator` lies inside the viewport and inside the visible part of `area`. */
async function inView(locator, area) {
	const [box, visible] = await Promise.all([
		locator.boundingBox(),
		area.evaluate((root) => {
			// The dialog's scrolling part, where a field below the fold would be hidden.
			let scroller = root;
			for (const element of root.querySelectorAll('*')) {
				const style = getComputedStyle(element);
				if (
					/(auto|scroll)/.test(style.overflowY) &&
					element.scrollHeight > element.clientHeight &&
					element.querySelector('[data-test-id="parameter-input-sid"]')
				)
					scroller = element;
			}
			const rect = scroller.getBoundingClientRect();
			return { top: rect.top, bottom: rect.bottom };
		}),
	]);
	assert.ok(box, 'the field is drawn');
	return (
		box.y >= 0 &&
		box.y + box.height <= VIEWPORT.height &&
		box.y >= visible.top &&
		box.y + box.height <= visible.bottom
	);
}

/** The workflow's ⋯ menu → Import → From file; the menu's words go into `shown`. */
async function importFromFile(page, file, shown = []) {
	await page.getByTestId('workflow-menu').first().click();
	shown.push(await page.getByTestId('workflow-menu-item-import').innerText());
	await page.getByTestId('workflow-menu-item-import').hover();
	shown.push(await page.getByTestId('workflow-menu-item-import-from-file').innerText());
	const [chooser] = await Promise.all([
		page.waitForEvent('filechooser'),
		page.getByTestId('workflow-menu-item-import-from-file').click(),
	]);
	await chooser.setFiles(file);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		state.browser?.close().catch(() => {});
		runtime.stopAll().finally(() => process.exit(130));
	});
}

before(async () => {
	print(`browser e2e: the first hour in n8n ${runtime.N8N_VERSION}'s editor at 1280×800`);
	await startInstance(state, { step, print });
	const context = await state.browser.newContext({ viewport: VIEWPORT });
	context.setDefaultTimeout(30000);
	state.page = await context.newPage();
	require('playwright-core').selectors.setTestIdAttribute('data-test-id');
	state.pageErrors = [];
	state.page.on('pageerror', (error) => state.pageErrors.push(String(error)));
});

after(async () => {
	await state.browser?.close().catch(() => {});
	await tearDown(state, { timings, print, startedAt });
});

describe("the README's first run, step by step in the editor as written", () => {
	it('3: signs in with the owner login', async () => {
		const { page } = state;
		await step('browser: step 3, sign in', async () => {
			await page.goto(`${state.server.url}/signin`);
			await page
				.locator('input[type="email"], input[name="emailOrLdapLoginId"]')
				.first()
				.fill(state.owner.email);
			await page.locator('input[type="password"]').fill(state.owner.password);
			await screenshot('first-run-3-sign-in', state.page);
			await page.getByTestId('form-submit-button').click();
			await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60000 });
		});
		assert.match(readmeStep(3), /sign in with the banner's owner login/);
		assert.doesNotMatch(new URL(page.url()).pathname, /signin|setup/);
	});

	it('4: creates the Kaleyra WhatsApp API credential from Overview; SID and API Key are in view without scrolling; Save tests it', async () => {
		const { page } = state;
		const shown = [];
		const dialog = page.getByTestId('editCredential-modal');
		await step('browser: step 4, Overview → Create credential → Kaleyra WhatsApp API', async () => {
			await page.goto(`${state.server.url}/home/workflows`);
			await page.getByTestId('add-resource').waitFor({ timeout: 60000 });
			await dismissModals(page);
			shown.push(await page.getByTestId('project-name').innerText());
			shown.push(await page.getByTestId('add-resource-workflow').innerText());
			await page.getByTestId('add-resource').click();
			shown.push(await page.getByTestId('action-credential').innerText());
			await page.getByTestId('action-credential').click();
			const select = page.getByTestId('selectCredential-modal');
			await select.getByTestId('new-credential-type-select').locator('input').fill('Kaleyra');
			await page.getByRole('option', { name: 'Kaleyra WhatsApp API', exact: true }).click();
			shown.push('Kaleyra WhatsApp API');
			await select.getByRole('button', { name: 'Continue' }).click();
			shown.push('Continue');
			await dialog.getByTestId('parameter-input-sid').waitFor();
		});
		// Issue 20 point 3: the form opens as a form, SID and API Key above the fold at 1280×800.
		for (const field of ['sid', 'apiKey'])
			assert.ok(
				await inView(dialog.getByTestId(`parameter-input-${field}`), dialog),
				`${field} is visible without scrolling`,
			);
		await step('browser: step 4, fill in the banner and Save', async () => {
			await dialog.getByTestId('parameter-input-pod').click();
			await page.getByRole('option', { name: 'Custom Base URL', exact: true }).click();
			shown.push('Custom Base URL');
			await dialog.getByTestId('parameter-input-baseUrl').locator('input').fill(state.sandbox.url);
			await dialog
				.getByTestId('parameter-input-sid')
				.locator('input')
				.fill(harness.SANDBOX_ACCOUNT.sid);
			await dialog.getByTestId('parameter-input-apiKey').locator('input').fill(state.apiKey);
			await dialog
				.getByTestId('parameter-input-wabaId')
				.locator('input')
				.fill(harness.SANDBOX_ACCOUNT.wabaId);
			shown.push(await dialog.innerText());
			// With Custom Base URL's extra field, SID and API Key are still in view.
			for (const field of ['sid', 'apiKey'])
				assert.ok(
					await inView(dialog.getByTestId(`parameter-input-${field}`), dialog),
					`${field} is visible without scrolling, with Base URL shown`,
				);
			await dialog.getByTestId('credential-save-button').click();
			await dialog.getByText('Connection tested successfully').waitFor({ timeout: 60000 });
		});
		await screenshot('first-run-4-credential', state.page);
		shown.push(await dialog.innerText());
		assert.match(readmeStep(4), /\*Connection tested successfully\*/);
		assert.deepEqual(notShown(4, shown), [], readmeStep(4));
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' }).catch(() => {});
	});

	it('5: imports the example from a file into a new workflow', async () => {
		const { page } = state;
		const shown = [];
		await step('browser: step 5, Create workflow → ⋯ → Import → From file', async () => {
			await page.goto(`${state.server.url}/home/workflows`);
			await dismissModals(page);
			shown.push(await page.getByTestId('add-resource-workflow').innerText());
			await page.getByTestId('add-resource-workflow').click();
			await page.getByTestId('canvas-plus-button').waitFor({ timeout: 90000 });
			await dismissModals(page);
			await importFromFile(page, EXAMPLE, shown);
			await page.getByTestId('canvas-node').filter({ hasText: TEMPLATE_NODE }).waitFor();
		});
		assert.match(readmeStep(5), /examples\/order-shipped-template\.json/);
		assert.deepEqual(notShown(5, shown), [], readmeStep(5));
		await screenshot('first-run-5-import', state.page);
	});

	it("6: the template step: the new credential is picked under Credential, order_shipped shows, and Values to Send shows its variables in the template's words, none cut", async () => {
		const { page } = state;
		const ndv = page.getByTestId('ndv');
		const shown = [TEMPLATE_NODE];
		await step('browser: step 6, open the template step and pick the credential', async () => {
			await page.getByTestId('canvas-node').filter({ hasText: TEMPLATE_NODE }).dblclick();
			await ndv.waitFor();
			shown.push(await ndv.getByTestId('credentials-label').innerText());
			await ndv.getByTestId('node-credentials-select').click();
			await page.getByRole('option', { name: NEW_CREDENTIAL }).first().click();
			await page.waitForFunction(
				(name) =>
					document.querySelector('[data-test-id="node-credentials-select"] input')?.value === name,
				NEW_CREDENTIAL,
			);
			await ndv
				.getByTestId('resource-mapper-container')
				.getByText(/Body \{\{3\}\}/)
				.waitFor({ timeout: 60000 });
		});
		const parameters = await ndv.getByTestId('node-parameters').innerText();
		shown.push(parameters);
		assert.match(readmeStep(6), /\*order_shipped \(en, utility\)\*/);
		assert.equal(
			await ndv
				.getByTestId('resource-locator-template')
				.evaluate((root) => [...root.querySelectorAll('input')].map((input) => input.value).pop()),
			'order_shipped (en, utility)',
		);
		const mapper = ndv.getByTestId('resource-mapper-container');
		const labels = await mapper.evaluate((root) =>
			[
				...root.querySelectorAll(
					'[data-test-id^="value["][data-test-id$="-parameter-input-options-container"]',
				),
			].map((options) => options.closest('label')?.innerText.split('\n')[0].trim()),
		);
		// Issue 20 point 5: the template's own words around the blank, as the README shows one.
		assert.deepEqual(labels, [
			'Header {{1}}: Order ___…',
			'Body {{1}}: Hi ___, your…',
			'Body {{2}}: …order ___…',
			'Body {{3}}: …by ___.',
			'"Track order" URL suffix',
		]);
		assert.ok(readmeStep(6).includes('`Body {{2}}: …order ___…`'), readmeStep(6));
		assert.deepEqual(await cutLabels(mapper), [], 'no variable label is cut');
		// The fields are mapped from the sample shipments (expressions on $json).
		for (const expression of ['$json.orderId', '$json.customer', '$json.arrives'])
			assert.ok(parameters.includes(expression), `${expression} is mapped`);
		assert.deepEqual(notShown(6, shown), [], readmeStep(6));
		await mapper.scrollIntoViewIfNeeded();
		await screenshot('first-run-6-template', state.page);
	});

	it('7: closes the step, executes the workflow: one accepted item per shipment, read in the output panel', async () => {
		const { page } = state;
		const ndv = page.getByTestId('ndv');
		const shown = [];
		state.sandbox.reset();
		await step('browser: step 7, close the step and Execute workflow', async () => {
			await ndv.getByTestId('ndv-close-button').click();
			shown.push(await page.getByTestId('execute-workflow-button').innerText());
			await page.getByTestId('execute-workflow-button').click();
			const deadline = Date.now() + 60000;
			while (state.sandbox.messages.length < 2 && Date.now() < deadline)
				await new Promise((resolve) => setTimeout(resolve, 250));
			assert.equal(state.sandbox.messages.length, 2, 'the sandbox got both shipments');
			await page.getByTestId('canvas-node').filter({ hasText: TEMPLATE_NODE }).dblclick();
			await ndv
				.getByTestId('output-panel')
				.getByText(/2 items/)
				.waitFor({ timeout: 60000 });
			await ndv
				.getByTestId('output-panel')
				.getByText(state.sandbox.messages[0].messageId)
				.waitFor({ timeout: 30000 });
		});
		const output = await ndv.getByTestId('output-panel').innerText();
		for (const message of state.sandbox.messages) assert.ok(output.includes(message.messageId));
		assert.equal(output.match(/\baccepted\b/g)?.length, 2, output);
		assert.match(readmeStep(7), /one item per shipment with status \*accepted\* and a message ID/);
		assert.deepEqual(notShown(7, shown), [], readmeStep(7));
		// The JSON view shows each item's status in the picture (the table is wider than the panel).
		await ndv.getByTestId('output-panel').getByTestId('radio-button-json').click();
		await ndv.getByTestId('output-panel').getByText('"accepted"').first().waitFor();
		await screenshot('first-run-7-output', state.page);
		await ndv.getByTestId('ndv-close-button').click();
	});
});

describe('what a new builder met next (issue 20 points 2 and 4)', () => {
	it('a new trigger opens with the callback credential picked although the API credential was saved after it, and Test this trigger listens', async () => {
		const { page } = state;
		const ndv = page.getByTestId('ndv');
		await step('browser: add a Kaleyra WhatsApp Trigger (On text)', async () => {
			await page.goto(`${state.server.url}/workflow/new`);
			await page.getByTestId('canvas-plus-button').waitFor({ timeout: 90000 });
			await dismissModals(page);
			await page.getByTestId('canvas-plus-button').click();
			await page.getByTestId('node-creator-search-bar').fill('Kaleyra');
			await page
				.getByTestId('node-creator-item-name')
				.filter({ hasText: /^Kaleyra WhatsApp$/ })
				.first()
				.click();
			await page.getByTestId('node-creator').getByText('On text', { exact: true }).click();
			await ndv.getByTestId('node-credentials-select').first().waitFor();
		});
		// Step 4 saved the API credential last; n8n fills a new node with the newest credential it shows.
		const slots = ndv.getByTestId('node-credentials-select');
		assert.equal(await slots.count(), 1, 'one credential slot: the callback credential');
		assert.match(
			await ndv.getByTestId('credentials-label').first().innerText(),
			/Kaleyra WhatsApp Callback API/,
		);
		const callbackCredentials = [harness.CALLBACK_CREDENTIAL, harness.CALLBACK_URL_CREDENTIAL];
		const picked = await slots.first().locator('input').inputValue();
		assert.ok(
			callbackCredentials.some(({ name }) => name === picked),
			`"${picked}" is a callback credential`,
		);
		const parameters = await ndv.getByTestId('node-parameters').innerText();
		assert.match(parameters, /While you test with "Test this trigger"/);
		const test = ndv.getByRole('button', { name: 'Test this trigger' });
		assert.ok(await test.isEnabled(), 'Test this trigger can be clicked');
		await step('browser: Test this trigger', async () => {
			await test.click();
			await ndv
				.getByText(/Listening|Waiting for/i)
				.first()
				.waitFor({ timeout: 60000 });
		});
		await page.keyboard.press('Escape');
	});

	it('Send Media of a PDF the workflow generated, from binary data, goes as a document: Media Type From the File\'s MIME Type, no "Convert it"', async () => {
		const { page } = state;
		const ndv = page.getByTestId('ndv');
		const generator = JSON.parse(
			fs.readFileSync(
				path.join(runtime.ROOT, 'examples', 'send-generated-invoice-pdf.json'),
				'utf8',
			),
		).nodes.find((node) => node.type === 'n8n-nodes-base.code');
		const client = new N8nRestClient(state.server.url);
		await client.login(state.owner);
		const workflow = await client.data('POST', '/rest/workflows', {
			name: 'Send a generated PDF (first hour)',
			nodes: [
				{
					parameters: {},
					id: '20000000-0000-4000-8000-000000000001',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
				},
				{ ...generator, id: '20000000-0000-4000-8000-000000000002', position: [220, 0] },
				{
					// As a step added today leaves it: Media Source Binary Data, Media Type untouched.
					parameters: {
						resource: 'message',
						operation: 'sendMedia',
						businessNumber: harness.SANDBOX_ACCOUNT.numbers[0],
						recipient: '={{ $json.phone }}',
						mediaSource: 'binary',
					},
					id: '20000000-0000-4000-8000-000000000003',
					name: 'Send the PDF',
					type: `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`,
					typeVersion: 1.2,
					position: [440, 0],
					credentials: {
						kaleyraWhatsAppApi: { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name },
					},
				},
			],
			connections: {
				Start: { main: [[{ node: generator.name, type: 'main', index: 0 }]] },
				[generator.name]: { main: [[{ node: 'Send the PDF', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		state.sandbox.reset();
		await step('browser: open the workflow, read Media Type', async () => {
			await page.goto(`${state.server.url}/workflow/${workflow.id}`);
			await page.getByTestId('execute-workflow-button').waitFor({ timeout: 90000 });
			await dismissModals(page);
			await page.getByTestId('canvas-node').filter({ hasText: 'Send the PDF' }).dblclick();
			await ndv.getByTestId('parameter-input-mediaType').waitFor();
		});
		assert.equal(
			await ndv.getByTestId('parameter-input-mediaType').locator('input').inputValue(),
			"From the File's MIME Type",
		);
		await step('browser: execute the workflow, read the output', async () => {
			await ndv.getByTestId('node-execute-button').click();
			// The item (as a table or JSON, as last chosen), or the refusal in the error view.
			await page.waitForFunction(
				() =>
					/\bdocument\b|Convert it/.test(
						document.querySelector('[data-test-id="ndv"] [data-test-id="output-panel"]')
							?.innerText ?? '',
					),
				null,
				{ timeout: 60000 },
			);
		});
		const output = await ndv.getByTestId('output-panel').innerText();
		assert.doesNotMatch(output, /Convert it|convert the file/);
		assert.match(output, /1 item/);
		assert.match(output, /\bdocument\b/);
		const sent = state.sandbox.messages.filter((message) => message.type !== 'upload');
		assert.deepEqual(
			sent.map((message) => message.type),
			['document'],
		);
		assert.ok(output.includes(sent[0].messageId), output);
	});

	it('the editor raised no page error', () => {
		assert.deepEqual(state.pageErrors, []);
	});
});
