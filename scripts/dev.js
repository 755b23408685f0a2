#!/usr/bin/env node
'use strict';
/**
 * npm run dev: a real n8n 2.41.1 on http://localhost:5678 with this package freshly built and
 * installed the way the Community Nodes panel installs it, the Kaleyra sandbox running, and the
 * "Kaleyra sandbox" credential and every workflow in examples/ imported. Ctrl-C stops it all.
 *
 *   npm run dev [-- --port 5678] [-- --sandbox-port 8787] [-- --fresh]
 *
 * The n8n instance lives in .cache/dev/ so your workflows and the owner login survive restarts;
 * each start re-installs the package and re-imports the credential and the examples (an edited
 * example is overwritten: save your changes under another name). --fresh starts from scratch.
 */
require('./preflight').requireSetUp('npm run dev');

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const runtime = require('./n8n-runtime');
const harness = require('./harness');
const callbacks = require('./callbacks');
const { createN8nLogFilter } = require('./dev-log');
const { N8nRestClient, ownerPassword } = require('./n8n-rest');

const DEV_DIR = path.join(runtime.ROOT, '.cache', 'dev');
const USER_FOLDER = path.join(DEV_DIR, 'n8n-user');
const OWNER_FILE = path.join(DEV_DIR, 'owner.json');

function flag(name, fallback) {
	const index = process.argv.indexOf(name);
	return index === -1 ? fallback : process.argv[index + 1];
}

const port = Number(flag('--port', 5678));
const sandboxPort = Number(flag('--sandbox-port', 8787));
const fresh = process.argv.includes('--fresh');
const out = (line = '') => process.stdout.write(`${line}\n`);

let sandbox;
let server;
let stopping = false;

async function stopEverything(reason) {
	if (stopping) return;
	stopping = true;
	if (reason) out(`\n${reason}: stopping n8n and the Kaleyra sandbox ...`);
	await server?.stop().catch(() => {});
	await sandbox?.close().catch(() => {});
	await runtime.stopAll();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		stopEverything(signal).finally(() => process.exit(0));
	});
}

function portIsFree(candidate) {
	return new Promise((resolve) => {
		const probe = net.createServer();
		probe.once('error', () => resolve(false));
		probe.listen(candidate, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

async function ensureOwner(url) {
	const client = new N8nRestClient(url);
	let owner;
	try {
		owner = JSON.parse(fs.readFileSync(OWNER_FILE, 'utf8'));
	} catch {}
	if (await client.needsOwnerSetup()) {
		owner = {
			email: 'owner@example.com',
			firstName: 'Dev',
			lastName: 'Owner',
			password: ownerPassword(),
		};
		await client.setupOwner(owner);
		fs.writeFileSync(OWNER_FILE, JSON.stringify(owner, null, 2), { mode: 0o600 });
		return { owner, created: true };
	}
	return { owner, created: false };
}

async function main() {
	const { step } = harness.createStepper(out);
	out(
		`Kaleyra WhatsApp for n8n: dev server (n8n ${runtime.N8N_VERSION}, package built from this checkout).`,
	);
	out(runtime.firstRunNote());
	out();
	if (!(await portIsFree(port))) {
		throw new Error(
			`port ${port} is in use (another n8n?). Stop it, or choose another: npm run dev -- --port 5679`,
		);
	}
	if (fresh) fs.rmSync(DEV_DIR, { recursive: true, force: true });
	fs.mkdirSync(DEV_DIR, { recursive: true });
	await step(`ensure n8n ${runtime.N8N_VERSION}`, () => runtime.ensureN8n());
	const tgz = await step('build and pack the package (npm run build, npm pack)', () =>
		harness.buildAndPack(path.join(DEV_DIR, 'pack')),
	);
	const sandboxOptions = {
		log: (line) => out(`[kaleyra sandbox] ${line}`),
	};
	let apiKey;
	({ sandbox, apiKey } = await step('start the Kaleyra sandbox', async () => {
		if (await portIsFree(sandboxPort))
			return await harness.startKaleyraSandbox({ ...sandboxOptions, port: sandboxPort });
		out(`    port ${sandboxPort} is in use; the sandbox takes a free port instead`);
		return await harness.startKaleyraSandbox(sandboxOptions);
	}));
	const { examples } = await harness.prepareInstance({
		userFolder: USER_FOLDER,
		tgz,
		sandboxUrl: sandbox.url,
		apiKey,
		step,
	});
	const triggered = callbacks.startedByCallbacks(examples);
	await callbacks.publishWorkflows(USER_FOLDER, triggered, { step });
	server = await step(`n8n start on localhost:${port}`, () =>
		runtime.startN8n({
			userFolder: USER_FOLDER,
			port,
			echo: createN8nLogFilter({ write: (text) => process.stdout.write(text) }),
			readyTimeoutMs: 300000,
		}),
	);
	const { owner, created } = await ensureOwner(server.url);
	const customerLines = await callbacks.wireSandbox(sandbox, triggered, server.url);
	const editor = `http://localhost:${port}`;
	out();
	out('──────────────────────────────────────────────────────────────────────');
	out(`  n8n editor      ${editor}`);
	if (owner) {
		out(`  owner login     ${owner.email} / ${owner.password}${created ? '   (created now)' : ''}`);
	} else {
		out('  owner login     the owner account you created in this instance');
	}
	out(
		`  credential      "${harness.CREDENTIAL.name}" (Kaleyra WhatsApp API, custom base URL ${sandbox.url})`,
	);
	out(
		`                  "${harness.CALLBACK_CREDENTIAL.name}" (Kaleyra WhatsApp Callback API: the trigger examples' secret header)`,
	);
	out(`  workflows       ${examples.map((example) => example.name).join('\n                  ')}`);
	out(`  Kaleyra sandbox ${sandbox.url}   SID ${harness.SANDBOX_ACCOUNT.sid}   API key ${apiKey}`);
	out(
		`                  WABA ID ${harness.SANDBOX_ACCOUNT.wabaId} (already in the credential; Send Template lists its templates through it)`,
	);
	out(
		`                  business number ${harness.SANDBOX_ACCOUNT.numbers[0]}; what it received: ${sandbox.url}/__sandbox/messages`,
	);
	customerLines.forEach((line) => out(line));
	out(`  n8n data        ${USER_FOLDER} (npm run dev -- --fresh starts over)`);
	out('  Ctrl-C stops n8n and the sandbox.');
	out('──────────────────────────────────────────────────────────────────────');
	const { code, signal } = await server.exited;
	if (!stopping) {
		out(`n8n exited (${signal ?? `exit ${code}`}); stopping the sandbox.`);
		await stopEverything();
		process.exitCode = code || 1;
	}
}

main().catch(async (error) => {
	process.stderr.write(`\ndev failed: ${error.stack || error}\n`);
	await stopEverything();
	process.exitCode = 1;
});
