#!/usr/bin/env node
'use strict';
/**
 * npm run demo: every workflow in examples/ runs in a real n8n 2.41.1 with this package installed
 * the way the Community Nodes panel installs it, against the local Kaleyra sandbox. Prints what
 * Kaleyra received and what n8n output for each, then stops everything it started.
 *
 *   npm run demo [-- --keep]     --keep leaves the temporary n8n user folder in place
 */
require('./preflight').requireSetUp('npm run demo');

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const runtime = require('./n8n-runtime');
const harness = require('./harness');
const callbacks = require('./callbacks');
const { describeMessage } = require('./demo-format');
const { N8nRestClient, ownerPassword } = require('./n8n-rest');

const keep = process.argv.includes('--keep');
const out = (line = '') => process.stdout.write(`${line}\n`);
const indent = (text, by = '      ') => text.replace(/^/gm, by);

let sandbox;
let tmp;

async function cleanUp() {
	await sandbox?.close().catch(() => {});
	sandbox = undefined;
	await runtime.stopAll();
	if (tmp && !keep) fs.rmSync(tmp, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		out(`\n${signal}: stopping the sandbox and n8n ...`);
		cleanUp().finally(() => process.exit(130));
	});
}

/** Waits until the sandbox has received nothing new for a second (the workflow's sends are done). */
async function quietSandbox() {
	let seen = -1;
	const deadline = Date.now() + 20000;
	while (sandbox.messages.length !== seen && Date.now() < deadline) {
		seen = sandbox.messages.length;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

/** Files an example wrote to callbacks.SAVED_FILES_FOLDER since `since`, with their sizes. */
function savedSince(since) {
	const folder = callbacks.SAVED_FILES_FOLDER;
	if (!fs.existsSync(folder)) return [];
	return fs
		.readdirSync(folder)
		.map((name) => ({ file: path.join(folder, name), stat: fs.statSync(path.join(folder, name)) }))
		.filter(({ stat }) => stat.isFile() && stat.mtimeMs >= since - 1000)
		.map(({ file, stat }) => `${file} (${stat.size} bytes)`);
}

/**
 * The examples that start from the Kaleyra WhatsApp Trigger: published in a running n8n, then the
 * sandbox, as the customer, posts a message to each one's production URL with its secret header.
 */
async function playTheCustomer({ userFolder, triggered, asking, step }) {
	await callbacks.publishWorkflows(userFolder, [...triggered, ...asking], { step });
	const server = await step('n8n start (for the trigger examples)', () =>
		runtime.startN8n({ userFolder, env: callbacks.savedFilesEnv() }),
	);
	let failures = 0;
	try {
		for (const example of triggered.filter((one) => one.file in callbacks.CUSTOMER_MESSAGES)) {
			out();
			out(`──── ${example.file}: ${example.name}`);
			sandbox.reset();
			const exampleStarted = Date.now();
			const profile = callbacks.callbackProfile(example.workflow, server.url);
			await callbacks.waitUntilListening(profile.url);
			sandbox.configureCallbacks({ ...profile, statuses: false });
			const posted = await sandbox.customer(callbacks.CUSTOMER_MESSAGES[example.file]);
			out(
				`  the customer (sandbox) posted ${posted.kind}, message id ${posted.messageId}, to ${posted.url}`,
			);
			out(
				`  the trigger answered ${posted.status ?? posted.error} ${JSON.stringify(posted.answer)}`,
			);
			if (posted.status !== 200) failures++;
			await quietSandbox();
			for (const message of sandbox.messages) out(describeMessage(message));
			for (const file of savedSince(exampleStarted)) out(`  saved ${file}`);
		}
		if (asking.length > 0) failures += await askAndWait({ server, triggered, asking, step });
	} finally {
		await server.stop();
	}
	return failures;
}

/**
 * The examples that ask and wait (Send and Wait for Reply): each is started through its Webhook's
 * production URL, its execution waits, the sandbox's customer taps a button, the trigger example
 * hands the tap over, and the execution finishes. Needs an owner to read the executions.
 */
async function askAndWait({ server, triggered, asking, step }) {
	const client = new N8nRestClient(server.url);
	const owner = {
		email: 'demo@example.com',
		firstName: 'Kaleyra',
		lastName: 'Demo',
		password: ownerPassword(),
	};
	await step('set up an owner (to read the executions)', async () => {
		await client.setupOwner(owner);
		await client.login(owner);
	});
	let failures = 0;
	for (const example of asking) {
		out();
		out(`──── ${example.file}: ${example.name}`);
		sandbox.reset();
		const { answers, order, tap } = callbacks.ASKING_EXAMPLES[example.file];
		const answering = triggered.find((candidate) => candidate.file === answers);
		try {
			const { question, tapped, waiting, run } = await step(
				`POST its Webhook, wait, tap "${tap}"`,
				() => callbacks.askAndTap({ sandbox, client, serverUrl: server.url, example, answering }),
			);
			out(`  posted ${JSON.stringify(order)} to its Webhook; execution ${waiting.id} waited`);
			out(describeMessage(question));
			out(
				`  the customer (sandbox) tapped "${tap}"; ${answers} answered ${JSON.stringify(tapped.answer)}`,
			);
			for (const message of sandbox.messages.slice(1)) out(describeMessage(message));
			for (const node of example.workflow.nodes.filter(
				(candidate) => candidate.type === `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`,
			)) {
				const items = runtime.nodeOutput(run, node.name) ?? [];
				out(
					`  n8n output of "${node.name}" (${items.length} item${items.length === 1 ? '' : 's'}):`,
				);
				out(indent(JSON.stringify(items, null, 2), '    '));
			}
		} catch (error) {
			failures++;
			out(`  the run failed: ${error.message}`);
		}
	}
	return failures;
}

async function main() {
	const started = Date.now();
	const { step, timings } = harness.createStepper(out);
	out(
		`Kaleyra WhatsApp for n8n: demo in a real n8n ${runtime.N8N_VERSION} against the local Kaleyra sandbox.`,
	);
	out(runtime.firstRunNote());
	out();
	await step(`ensure n8n ${runtime.N8N_VERSION}`, () => runtime.ensureN8n());
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-demo-'));
	const userFolder = path.join(tmp, 'n8n-user');
	const tgz = await step('build and pack the package (npm run build, npm pack)', () =>
		harness.buildAndPack(path.join(tmp, 'pack')),
	);
	out(`    ${path.basename(tgz)}`);
	let apiKey;
	({ sandbox, apiKey } = await step('start the Kaleyra sandbox', () =>
		harness.startKaleyraSandbox(),
	));
	out(
		`    ${sandbox.url}  (SID ${harness.SANDBOX_ACCOUNT.sid}, business number ${harness.SANDBOX_ACCOUNT.numbers[0]})`,
	);
	const { examples } = await harness.prepareInstance({
		userFolder,
		tgz,
		sandboxUrl: sandbox.url,
		apiKey,
		step,
	});

	const triggered = callbacks.startedByCallbacks(examples);
	const asking = callbacks.askingExamples(examples);
	let failures = 0;
	for (const example of examples.filter(
		(candidate) => !triggered.includes(candidate) && !asking.includes(candidate),
	)) {
		out();
		out(`──── ${example.file}: ${example.name}`);
		sandbox.reset();
		const { result, run, parseError, outputs } = await step(
			`n8n execute --id=${example.id} --rawOutput`,
			() => harness.executeExample(userFolder, example),
		);
		for (const message of sandbox.messages) out(describeMessage(message));
		const rejected = sandbox.requests.filter(
			(request) => request.status !== 202 && request.status !== 200,
		);
		for (const request of rejected)
			out(`  Kaleyra answered ${request.status} to ${request.method} ${request.path}`);
		if (result.code !== 0 || parseError || run?.status !== 'success') {
			failures++;
			out(`  n8n: the run failed (exit ${result.code}). Its output:`);
			out(indent(`${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`, '    '));
			continue;
		}
		for (const [nodeName, items] of Object.entries(outputs)) {
			out(
				`  n8n output of "${nodeName}" (${items?.length ?? 0} item${items?.length === 1 ? '' : 's'}):`,
			);
			out(indent(JSON.stringify(items, null, 2), '    '));
		}
	}
	if (triggered.length > 0 || asking.length > 0)
		failures += await playTheCustomer({ userFolder, triggered, asking, step });
	out();
	out('Timings:');
	for (const { label, ms } of timings) out(`  ${runtime.seconds(ms).padStart(8)}  ${label}`);
	out(`  ${runtime.seconds(Date.now() - started).padStart(8)}  total`);
	if (keep) out(`\nKept the n8n user folder: ${userFolder} (N8N_USER_FOLDER)`);
	out(
		failures
			? `\n${failures} of ${examples.length} examples failed.`
			: `\nAll ${examples.length} examples ran.`,
	);
	return failures ? 1 : 0;
}

main()
	.then(async (code) => {
		await cleanUp();
		process.exitCode = code;
	})
	.catch(async (error) => {
		process.stderr.write(`\ndemo failed: ${error.stack || error}\n`);
		await cleanUp();
		process.exitCode = 1;
	});
