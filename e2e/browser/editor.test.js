'use strict';
/**
 * The node as a builder meets it: n8n 2.41.1's editor in a real browser (Debian's chromium driven
 * by playwright-core), the package installed the way the Community Nodes panel installs it, sending
 * to the local Kaleyra sandbox.
 *
 *   node --test e2e/browser/        (npm run test:browser)
 *
 * Logs in; finds the node and its trigger in the node creator by "Kaleyra" and "WhatsApp"; adds
 * the node; switches through every operation of every resource and compares the fields shown with
 * the node's description; an empty step fails in the output panel; the credential dialog's
 * connection test (success, RBC001 with its message for a wrong key, an unknown host's code with
 * the one line pointing to the docs link); the Send Template picker
 * lists the sandbox's templates and shows the picked one's variables; an example workflow run from
 * the editor, read from the output panel. Screenshots go to docs/screenshots/ (E2E_SCREENSHOTS=<dir>
 * elsewhere). n8n listens on N8N_PORT (5820) with its task-runner broker on
 * N8N_RUNNERS_BROKER_PORT (5821).
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const runtime = require('../../scripts/n8n-runtime');
const harness = require('../../scripts/harness');
const { tearDown } = require('../teardown');
const {
	browserSteps,
	dismissModals,
	screenshot,
	shownFieldNames,
	startInstance,
} = require('./instance');

const EXAMPLE = 'order-confirmation.json';
/** The sandbox's approved templates, as the picker names them (flash_promo is rejected: not offered). */
const TEMPLATES = [
	'order_shipped (en, utility)',
	'appointment_reminder (en_US, utility)',
	'invoice_ready (en, utility)',
	'login_code (en, authentication)',
	'winter_sale (en, marketing)',
];
/** Operations whose node is photographed for the README. */
const PHOTOGRAPHED = new Set([
	'sendText',
	'sendTemplate',
	'sendReplyButtons',
	'sendList',
	'sendMedia',
	'upload',
]);
/** Field types drawn without a `<name>-parameter-input-options-container`: looked for by their label. */
const LABELLED_TYPES = new Set(['collection', 'fixedCollection', 'resourceMapper', 'notice']);

function print(line) {
	process.stderr.write(`${line}\n`);
}

const startedAt = Date.now();
const state = {};
const { step, timings } = browserSteps(state, print);

/** The node's description as the package ships it (dist/, built by the set-up). */
function nodeDescription() {
	const file = path.join(
		runtime.ROOT,
		'dist',
		'nodes',
		'KaleyraWhatsApp',
		'KaleyraWhatsApp.node.js',
	);
	delete require.cache[require.resolve(file)];
	const NodeClass = Object.values(require(file)).find((value) => typeof value === 'function');
	return new NodeClass().description;
}

/**
 * The top-level fields n8n shows for an operation with everything else at its default, by the
 * displayOptions rule: every `show` key has one of its values, no `hide` key does.
 */
function expectedFields(properties, resource, operation, version) {
	const values = { resource, operation, '@version': version };
	// A value or a condition such as { _cnd: { gte: 1.2 } } (the only kind the node uses).
	const matches = (value, allowed) =>
		typeof allowed === 'object' && allowed?._cnd ? value >= allowed._cnd.gte : allowed === value;
	const has = (key, allowed) =>
		key in values && [].concat(allowed).some((one) => matches(values[key], one));
	const visible = (property) => {
		const { show = {}, hide = {} } = property.displayOptions ?? {};
		return (
			Object.entries(show).every(([key, allowed]) => has(key, allowed)) &&
			!Object.entries(hide).some(([key, hidden]) => has(key, hidden))
		);
	};
	// A field may depend on one declared after it (Emoji on Remove Reaction): settle the defaults first.
	for (let pass = 0; pass < 3; pass++) {
		for (const property of properties)
			if (visible(property) && !(property.name in values)) values[property.name] = property.default;
	}
	return properties.filter(visible);
}

/** Picks an option by its name in an options field (Resource, Operation, …). */
async function pickOption(page, field, name) {
	const items = page.locator('[data-test-id="parameter-input-item"]:visible');
	// The previous dropdown may still be closing: wait until no option list is open.
	await page.waitForFunction(
		() =>
			![...document.querySelectorAll('[data-test-id="parameter-input-item"]')].some(
				(item) => item.offsetParent !== null,
			),
	);
	await page.getByTestId(`parameter-input-${field}`).click();
	let texts = [];
	const deadline = Date.now() + 15000;
	let index = -1;
	while (index < 0 && Date.now() < deadline) {
		texts = (await items.allInnerTexts()).map((text) => text.split('\n')[0].trim());
		index = texts.indexOf(name);
		if (index < 0) await page.waitForTimeout(200);
	}
	assert.ok(index >= 0, `${field} offers no "${name}": ${texts.join(', ')}`);
	await items.nth(index).click();
	await page.waitForFunction(
		([testId, expected]) =>
			document.querySelector(`[data-test-id="${testId}"] input`)?.value === expected,
		[`parameter-input-${field}`, name],
	);
}

async function openNodeCreatorAndSearch(page, text) {
	const search = page.getByTestId('node-creator-search-bar');
	if (!(await search.isVisible().catch(() => false)))
		await page.getByTestId('canvas-plus-button').click();
	await search.fill(text);
	return page.getByTestId('node-creator-item-name').filter({ hasText: /^Kaleyra WhatsApp$/ });
}

async function newWorkflow(page) {
	await page.goto(`${state.server.url}/workflow/new`);
	await page.getByTestId('canvas-plus-button').waitFor({ timeout: 90000 });
	await dismissModals(page);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		state.browser?.close().catch(() => {});
		runtime.stopAll().finally(() => process.exit(130));
	});
}

before(async () => {
	print(`browser e2e: package ${runtime.PACKAGE_NAME} in n8n ${runtime.N8N_VERSION}'s editor`);
	await startInstance(state, { step, print });
	const context = await state.browser.newContext({ viewport: { width: 1440, height: 1000 } });
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

describe(`the Kaleyra WhatsApp node in n8n ${runtime.N8N_VERSION}'s editor, in chromium`, () => {
	it('logs in as the owner on the sign-in page', async () => {
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
		assert.doesNotMatch(new URL(page.url()).pathname, /signin|setup/);
	});

	it('finds the node and its trigger in the node creator by "Kaleyra" and by "WhatsApp"', async () => {
		const { page } = state;
		await step('browser: node creator', async () => {
			await newWorkflow(page);
			for (const text of ['Kaleyra', 'WhatsApp']) {
				const found = await openNodeCreatorAndSearch(page, text);
				await found.first().waitFor();
				assert.equal(await found.count(), 1, `searching "${text}"`);
			}
			await (await openNodeCreatorAndSearch(page, 'WhatsApp')).first().click();
			const creator = page.getByTestId('node-creator');
			await creator.getByText(/^Triggers \(\d+\)/).waitFor();
			await creator
				.getByTestId('node-creator-category-item')
				.filter({ hasText: 'Actions' })
				.click();
			await creator.getByText('Upload a file to Kaleyra', { exact: true }).waitFor();
		});
		const text = await page.getByTestId('node-creator').innerText();
		// The trigger (Kaleyra WhatsApp Trigger's events) and the node's actions, under one entry.
		for (const trigger of ['On text', 'On button reply', 'On status delivered'])
			assert.match(text, new RegExp(`^${trigger}$`, 'm'));
		const description = nodeDescription();
		const actions = description.properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) => property.options.map((option) => option.action))
			.filter(Boolean);
		assert.ok(actions.length >= 14, `${actions.length} actions in the description`);
		// The panel renders only the rows in view (the list is long now: 23 actions), so the rows are
		// checked for the sends, listed first, and the whole list by the panel's own count below.
		const sends = description.properties
			.filter(
				(property) =>
					property.name === 'operation' &&
					property.displayOptions?.show?.resource?.includes('message'),
			)
			.flatMap((property) => property.options.map((option) => option.action))
			.filter(Boolean);
		const missing = sends.filter((action) => !text.includes(action));
		assert.deepEqual(missing, [], 'the node creator lists every send');
		assert.match(text, /Actions \((\d+)\)/);
		assert.equal(Number(/Actions \((\d+)\)/.exec(text)[1]), actions.length);
		await screenshot('node-creator', state.page);
	});

	it('adds the node, and every operation of every resource shows its own fields', async () => {
		const { page } = state;
		await step('browser: add the node (Send a text message)', async () => {
			await page
				.getByTestId('node-creator')
				.getByText('Send a text message', { exact: true })
				.click();
			await page.getByTestId('ndv').waitFor();
		});
		const ndv = page.getByTestId('ndv');
		// The imported sandbox credential is picked for the new node.
		assert.equal(
			await ndv.locator('[data-test-id="node-credentials-select"] input').inputValue(),
			'Kaleyra sandbox',
		);
		const description = nodeDescription();
		const topLevel = new Set(description.properties.map((property) => property.name));
		const resources = description.properties.find(
			(property) => property.name === 'resource',
		).options;
		const checked = [];
		await step('browser: every operation', async () => {
			for (const resource of resources) {
				if (resource.value !== 'message') await pickOption(page, 'resource', resource.name);
				const operationField = description.properties.find(
					(property) =>
						property.name === 'operation' &&
						property.displayOptions?.show?.resource?.includes(resource.value),
				);
				for (const operation of operationField.options) {
					if (operation.value === '__CUSTOM_API_CALL__') continue;
					await pickOption(page, 'operation', operation.name);
					const expected = expectedFields(
						description.properties,
						resource.value,
						operation.value,
						description.defaultVersion,
					);
					const byName = expected
						.filter((property) => !LABELLED_TYPES.has(property.type))
						.map((property) => property.name);
					await page.waitForFunction(
						(names) =>
							names.every((name) =>
								document.querySelector(
									`[data-test-id="${name}-parameter-input-options-container"]`,
								),
							),
						byName,
					);
					const shown = (await shownFieldNames(page)).filter((name) => topLevel.has(name));
					assert.deepEqual(shown, byName, `${resource.name} → ${operation.name}: the fields shown`);
					// A resource mapper fetches its fields first ("Fetching variables"); read the panel once it has.
					await page
						.waitForFunction(
							() =>
								!document
									.querySelector('[data-test-id="node-parameters"]')
									?.innerText.includes('Fetching'),
							null,
							{ timeout: 15_000 },
						)
						.catch(() => {});
					const panelText = await page.getByTestId('node-parameters').innerText();
					for (const property of expected.filter(
						(candidate) => LABELLED_TYPES.has(candidate.type) && candidate.type !== 'notice',
					)) {
						// A resource mapper with nothing to map yet shows the package's hint instead of its label.
						const shownAs =
							property.type === 'resourceMapper'
								? [property.displayName, 'Pick a template first']
								: [property.displayName];
						assert.ok(
							shownAs.some((text) => panelText.includes(text)),
							`${resource.name} → ${operation.name}: "${property.displayName}" shown\n${panelText}`,
						);
					}
					if (PHOTOGRAPHED.has(operation.value)) await screenshot(`node-${operation.value}`, ndv);
					checked.push(`${resource.value}.${operation.value}`);
				}
			}
		});
		const all = description.properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) =>
				property.options.filter((option) => option.value !== '__CUSTOM_API_CALL__'),
			);
		assert.equal(checked.length, all.length, checked.join(', '));
		assert.ok(checked.includes('message.sendTemplate') && checked.includes('media.upload'));
	});

	it('a step with empty required fields does not start; a bad recipient fails in the output panel, naming the field', async () => {
		const { page } = state;
		const ndv = page.getByTestId('ndv');
		await pickOption(page, 'resource', 'Message');
		await pickOption(page, 'operation', 'Send Text');
		const toast = page
			.locator('.el-notification')
			.filter({ hasText: 'Workflow execution cannot start' });
		await step('browser: execute the empty step', async () => {
			await ndv.getByTestId('node-execute-button').click();
			await toast.first().waitFor({ timeout: 60000 });
		});
		const notice = await toast.first().innerText();
		for (const field of ['Business Number', 'Recipient', 'Body'])
			assert.ok(notice.includes(`Parameter "${field}" is required`), notice);
		await screenshot('error-required-fields', ndv);
		await toast
			.first()
			.locator('.el-notification__closeBtn')
			.click()
			.catch(() => {});
		const sent = state.sandbox.messages.length;
		await step('browser: execute with a bad recipient', async () => {
			await ndv
				.locator('[data-test-id="parameter-input-businessNumber"] input')
				.fill(harness.SANDBOX_ACCOUNT.numbers[0]);
			await ndv.locator('[data-test-id="parameter-input-recipient"] input').fill('12345');
			await ndv
				.locator('[data-test-id="parameter-input-body"] textarea')
				.fill('Hi, your order has shipped');
			await ndv.getByTestId('node-execute-button').click();
			await ndv
				.getByTestId('output-panel')
				.getByText(/not a phone number in international format/)
				.first()
				.waitFor({ timeout: 60000 });
		});
		const output = await ndv.getByTestId('output-panel').innerText();
		assert.match(output, /Recipient/);
		assert.match(output, /"12345" is not a phone number in international format/);
		assert.equal(state.sandbox.messages.length, sent, 'nothing was sent');
		await screenshot('error-recipient', ndv);
	});

	it("lists the sandbox templates in the Send Template picker and shows the picked one's variables", async () => {
		const { page } = state;
		const ndv = page.getByTestId('ndv');
		await pickOption(page, 'operation', 'Send Template');
		await step('browser: template picker', async () => {
			await ndv.getByTestId('parameter-input-template').click();
			await page.getByText(TEMPLATES[0], { exact: true }).waitFor({ timeout: 60000 });
		});
		for (const template of TEMPLATES)
			assert.ok(
				await page.getByText(template, { exact: true }).isVisible(),
				`the picker offers ${template}`,
			);
		assert.equal(
			await page.getByText(/^flash_promo/).count(),
			0,
			'a rejected template is not offered',
		);
		await screenshot('template-picker', ndv);
		await step('browser: pick order_shipped', async () => {
			await page.getByText(TEMPLATES[0], { exact: true }).click();
			await ndv
				.getByTestId('resource-mapper-container')
				.getByText(/Body \{\{3\}\}/)
				.waitFor({ timeout: 60000 });
		});
		const mapper = await ndv.getByTestId('resource-mapper-container').innerText();
		for (const label of ['Header {{1}}', 'Body {{1}}', 'Body {{2}}', 'Body {{3}}', 'URL suffix'])
			assert.ok(mapper.includes(label), `variable field "${label}"\n${mapper}`);
		const names = await shownFieldNames(page);
		for (const name of ['header_1', 'body_1', 'body_2', 'body_3', 'button_0'])
			assert.ok(names.includes(`value["${name}"]`), `${name} in ${names}`);
		await screenshot('template-variables', ndv);
	});

	it(`runs ${EXAMPLE} from the editor and shows the accepted messages in the output panel`, async () => {
		const { page } = state;
		const example = state.examples.find((candidate) => candidate.file === EXAMPLE);
		assert.ok(example, `${EXAMPLE} was imported`);
		const kaleyraNode = example.workflow.nodes.find(
			(node) => node.type === `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`,
		).name;
		state.sandbox.reset();
		await step(`browser: open ${EXAMPLE}`, async () => {
			await page.goto(`${state.server.url}/workflow/${example.id}`);
			await page.getByTestId('execute-workflow-button').waitFor({ timeout: 90000 });
			await dismissModals(page);
		});
		await step('browser: execute the workflow', async () => {
			await page.getByTestId('execute-workflow-button').click();
			const deadline = Date.now() + 60000;
			while (state.sandbox.messages.length < 3 && Date.now() < deadline)
				await new Promise((resolve) => setTimeout(resolve, 250));
			if (state.sandbox.messages.length < 3)
				throw new Error(`the sandbox got ${state.sandbox.messages.length} of 3 messages`);
		});
		const messages = state.sandbox.messages;
		assert.deepEqual(
			messages.map((message) => message.to),
			['+919812345678', '+919876543210', '+6591234567'],
		);
		await step('browser: open the node and read its output', async () => {
			await page.getByTestId('canvas-node').filter({ hasText: kaleyraNode }).dblclick();
			const output = page.getByTestId('ndv').getByTestId('output-panel');
			await output.getByText(/3 items/).waitFor({ timeout: 60000 });
			await output
				.getByTestId('radio-button-json')
				.click()
				.catch(() => {});
			await output.getByText(messages[0].messageId).waitFor({ timeout: 30000 });
		});
		const output = await page.getByTestId('ndv').getByTestId('output-panel').innerText();
		for (const message of messages)
			assert.ok(output.includes(message.messageId), `the output shows ${message.messageId}`);
		assert.match(output, /accepted/);
		assert.ok(!output.includes(state.apiKey), 'the API key is not in the output');
		await screenshot('output', page.getByTestId('ndv'));
	});

	it('runs the connection test in the credential dialog: success, RBC001 with its message for a wrong key, and an unknown host explained', async () => {
		const { page } = state;
		const ndv = page.getByTestId('ndv');
		const dialog = page.getByTestId('editCredential-modal');
		if (!(await ndv.isVisible())) {
			const example = state.examples.find((candidate) => candidate.file === EXAMPLE);
			const name = example.workflow.nodes.find(
				(node) => node.type === `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`,
			).name;
			await page.getByTestId('canvas-node').filter({ hasText: name }).dblclick();
			await ndv.waitFor();
		}
		await step('browser: credential dialog, the saved key', async () => {
			await ndv.getByTestId('credential-edit-button').click();
			await dialog.getByText('Connection tested successfully').waitFor({ timeout: 60000 });
		});
		await screenshot('credential-success', dialog);
		const requestsBefore = state.sandbox.messages.length;
		await step('browser: credential dialog, a wrong key', async () => {
			const key = dialog.getByTestId('parameter-input-apiKey').locator('input');
			await key.fill('sbx-wrong-key-0000');
			await dialog.getByTestId('credential-save-button').click();
			await dialog
				.getByText("Couldn't connect with these settings")
				.or(dialog.getByText('Couldn’t connect with these settings'))
				.first()
				.waitFor({ timeout: 60000 });
			await dialog.getByText('More details').click();
			await dialog
				.getByText(/RBC001/)
				.first()
				.waitFor({ timeout: 30000 });
		});
		const failed = await dialog.innerText();
		assert.match(failed, /RBC001/);
		// The credential's own words for Kaleyra's RBC001: what failed and what to check.
		assert.match(failed, /rejected the SID or API key \(RBC001\)\. Check both/);
		assert.doesNotMatch(failed, /Connection tested successfully/);
		await screenshot('credential-rbc001', dialog);
		await step('browser: credential dialog, a base URL whose host does not exist', async () => {
			await dialog.getByTestId('parameter-input-apiKey').locator('input').fill(state.apiKey);
			await dialog
				.getByTestId('parameter-input-baseUrl')
				.locator('input')
				.fill('https://no-such-kaleyra-host.invalid');
			await dialog.getByTestId('credential-save-button').click();
			// The result is the bare code alone (the notice below the fields names it inside a sentence).
			await dialog
				.getByText(/^\s*(ENOTFOUND|EAI_AGAIN)\s*$/)
				.first()
				.waitFor({ timeout: 60000 });
		});
		const unreachable = await dialog.innerText();
		assert.doesNotMatch(unreachable, /RBC001/, 'the result is the new test');
		// n8n shows the bare code for a test that got no answer; the dialog's one line sends the builder to its docs link.
		assert.match(
			unreachable,
			/Test failed with only a code, such as ENOTFOUND\? The docs link above says what each code means\./,
		);
		await screenshot('credential-unreachable', dialog);
		await step('browser: credential dialog, the right key and base URL again', async () => {
			await dialog.getByTestId('parameter-input-baseUrl').locator('input').fill(state.sandbox.url);
			await dialog.getByTestId('parameter-input-apiKey').locator('input').fill(state.apiKey);
			await dialog.getByTestId('credential-save-button').click();
			await dialog.getByText('Connection tested successfully').waitFor({ timeout: 60000 });
		});
		assert.equal(
			state.sandbox.messages.length,
			requestsBefore,
			'the connection test sends no message',
		);
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' }).catch(() => {});
	});

	it('the editor raised no page error', () => {
		assert.deepEqual(state.pageErrors, []);
	});
});
