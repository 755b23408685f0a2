'use strict';
/**
 * The set-up the demo, the dev server and the end-to-end suite share: build and `npm pack` this
 * package, install it into a real n8n the way the Community Nodes panel does, start the Kaleyra
 * sandbox, and import the "Kaleyra sandbox" credential and every workflow in examples/.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const runtime = require('./n8n-runtime');

const { ROOT } = runtime;
const EXAMPLES_DIR = path.join(ROOT, 'examples');

/** The sandbox account the examples run against; the examples' business number is its number. Postpaid, so uploads work. */
const SANDBOX_ACCOUNT = Object.freeze({
	sid: 'HXIN1734500042IN',
	postpaid: true,
	numbers: Object.freeze(['+919845098450']),
	wabaId: '104583920017284',
});

/** Credential the examples reference, by id and by name. */
const CREDENTIAL = Object.freeze({
	id: 'kaleyraSandbox01',
	name: 'Kaleyra sandbox',
	type: 'kaleyraWhatsAppApi',
});

/**
 * The callback credential the trigger examples (version 1.1) reference, with its data: what the
 * sandbox's callback profile sends. A sandbox-only value; a real one is a long random secret.
 */
const CALLBACK_CREDENTIAL = Object.freeze({
	id: 'kaleyraCallback01',
	name: 'Kaleyra callback',
	type: 'kaleyraWhatsAppCallbackApi',
	data: Object.freeze({
		authentication: 'secretHeader',
		headerName: 'X-Kaleyra-Secret',
		secret: 'replace-me-with-a-long-random-secret',
	}),
});

/** The same for a number whose Incoming URL must carry the secret itself (Secret in URL). */
const CALLBACK_URL_CREDENTIAL = Object.freeze({
	id: 'kaleyraCallbackUrl01',
	name: 'Kaleyra callback (token in the URL)',
	type: 'kaleyraWhatsAppCallbackApi',
	data: Object.freeze({
		authentication: 'secretInUrl',
		token: 'replace-me-with-a-long-random-token',
	}),
});

/** Prints `==> label`, runs `fn`, prints how long it took, and records it in `timings`. */
function createStepper(print = (line) => process.stdout.write(`${line}\n`)) {
	const timings = [];
	async function step(label, fn) {
		const started = Date.now();
		print(`==> ${label}`);
		try {
			return await fn();
		} finally {
			const ms = Date.now() - started;
			timings.push({ label, ms });
			print(`    ${label}: ${runtime.seconds(ms)}`);
		}
	}
	return { step, timings };
}

/** Run a command; resolves with its stdout, rejects with all its output when it fails. */
function exec(command, args, { cwd = ROOT, env = process.env } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let output = '';
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			output += chunk;
		});
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve(stdout);
			else reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output}`));
		});
	});
}

function npm(args, options) {
	return exec(process.execPath, [runtime.npmCli(), ...args], options);
}

/** `npm run build`, then `npm pack` into `outDir`; returns the tarball's path. */
async function buildAndPack(outDir) {
	await npm(['run', 'build']);
	for (const file of [
		'dist/nodes/KaleyraWhatsApp/KaleyraWhatsApp.node.js',
		'dist/credentials/KaleyraWhatsAppApi.credentials.js',
	]) {
		if (!fs.existsSync(path.join(ROOT, file)))
			throw new Error(`npm run build did not produce ${file}`);
	}
	await fsp.mkdir(outDir, { recursive: true });
	const [{ filename }] = JSON.parse(await npm(['pack', '--json', '--pack-destination', outDir]));
	return path.join(outDir, filename);
}

/** Every workflow in examples/, each with a stable id derived from its file name. */
function readExamples() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
			const id = crypto.createHash('sha1').update(file).digest('hex').slice(0, 16);
			return { file, id, name: workflow.name, workflow };
		});
}

/** Starts the Kaleyra sandbox on loopback with the examples' account and a fresh API key. */
async function startKaleyraSandbox({ port = 0, log } = {}) {
	const { startSandbox } = require(path.join(ROOT, 'sandbox'));
	const apiKey = `sbx-${crypto.randomBytes(12).toString('hex')}`;
	const sandbox = await startSandbox({
		port,
		host: '127.0.0.1',
		accounts: [{ ...SANDBOX_ACCOUNT, apiKey, numbers: [...SANDBOX_ACCOUNT.numbers] }],
		...(log ? { log } : {}),
	});
	return { sandbox, apiKey };
}

/** The credential as `n8n import:credentials` takes it (plain data is encrypted on import). */
function sandboxCredential(sandboxUrl, apiKey) {
	return {
		...CREDENTIAL,
		data: {
			pod: 'custom',
			baseUrl: sandboxUrl,
			sid: SANDBOX_ACCOUNT.sid,
			apiKey,
			wabaId: SANDBOX_ACCOUNT.wabaId,
		},
	};
}

/** Fails with the command's output unless an n8n CLI run exited 0. */
function assertRan(result) {
	if (result.code !== 0) {
		throw new Error(
			`n8n ${result.args.join(' ')} failed (${result.signal ?? `exit ${result.code}`}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
		);
	}
	return result;
}

/**
 * A fresh n8n instance in `userFolder` with this package installed from `tgz`, the credential
 * pointing at the sandbox, and the examples imported. Returns the examples and every CLI run (their
 * output is the n8n log the suite inspects).
 */
async function prepareInstance({
	userFolder,
	tgz,
	sandboxUrl,
	apiKey,
	env = {},
	step = (_label, fn) => fn(),
}) {
	const runs = [];
	await fsp.mkdir(userFolder, { recursive: true });
	await step('install the package like the Community Nodes panel', () =>
		runtime.installPackage(userFolder, tgz),
	);
	const importDir = path.join(userFolder, 'import');
	await fsp.mkdir(importDir, { recursive: true });
	const credentialsFile = path.join(importDir, 'credentials.json');
	await fsp.writeFile(
		credentialsFile,
		JSON.stringify(
			[
				sandboxCredential(sandboxUrl, apiKey),
				{ ...CALLBACK_CREDENTIAL },
				{ ...CALLBACK_URL_CREDENTIAL },
			],
			null,
			2,
		),
		{ mode: 0o600 },
	);
	await step('n8n import:credentials', async () => {
		runs.push(
			assertRan(
				await runtime.runN8n(['import:credentials', `--input=${credentialsFile}`], {
					userFolder,
					env,
				}),
			),
		);
	});
	// The key is in n8n's database now, encrypted; no need to leave it in clear on disk.
	await fsp.rm(credentialsFile, { force: true });
	const examples = readExamples();
	const workflowsFile = path.join(importDir, 'workflows.json');
	await fsp.writeFile(
		workflowsFile,
		JSON.stringify(
			examples.map(({ id, workflow }) => ({ ...workflow, id })),
			null,
			2,
		),
	);
	await step(`n8n import:workflow (${examples.length} examples)`, async () => {
		runs.push(
			assertRan(
				await runtime.runN8n(['import:workflow', `--input=${workflowsFile}`], { userFolder, env }),
			),
		);
	});
	return { examples, runs };
}

/**
 * Run one example headless. Returns the parsed run, the n8n CLI result, and the Kaleyra nodes'
 * output items by node name.
 */
async function executeExample(userFolder, example, { env = {} } = {}) {
	const result = await runtime.runN8n(['execute', `--id=${example.id}`, '--rawOutput'], {
		userFolder,
		env,
	});
	let run;
	let parseError;
	try {
		run = runtime.parseExecuteOutput(result.stdout);
	} catch (error) {
		parseError = error;
	}
	const outputs = {};
	for (const node of example.workflow.nodes) {
		if (node.type === `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`)
			outputs[node.name] = runtime.nodeOutput(run, node.name);
	}
	return { result, run, parseError, outputs };
}

module.exports = {
	ROOT,
	EXAMPLES_DIR,
	SANDBOX_ACCOUNT,
	CREDENTIAL,
	CALLBACK_CREDENTIAL,
	CALLBACK_URL_CREDENTIAL,
	createStepper,
	buildAndPack,
	readExamples,
	startKaleyraSandbox,
	sandboxCredential,
	prepareInstance,
	executeExample,
	assertRan,
};
