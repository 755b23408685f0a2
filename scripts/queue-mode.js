'use strict';
/**
 * n8n in queue mode on this machine: Redis and PostgreSQL (Debian's packages, installed with
 * apt-get when missing) on loopback ports in folders of their own, an n8n main that receives the
 * webhooks and two `n8n worker` processes that run the executions, all sharing one encryption key,
 * each with this package installed in its own user folder the way the Community Nodes panel does.
 *
 *   npm run queue             # starts it all, runs the campaigns below, prints what happened, stops
 *
 * A campaign is a webhook call with the recipients in its body: Webhook → Split Out → Kaleyra
 * WhatsApp (Send Text) to the Kaleyra sandbox. The e2e test (e2e/queue/) runs the same.
 * startQueueStack({ webhookProcesses: n, workflows }) adds n `n8n webhook` processes (the main then
 * serves no production webhooks) and imports and publishes more workflows, for the trigger's suite
 * (e2e/queue/trigger-queue-mode.test.js).
 */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const runtime = require('./n8n-runtime');
const harness = require('./harness');
const { N8nRestClient, ownerPassword } = require('./n8n-rest');

const CAMPAIGN_WORKFLOW_ID = 'kaleyraQueueCamp';
const CAMPAIGN_PATH = 'kaleyra-campaign';
const SEND_NODE = 'Send campaign message';

function log(line) {
	process.stderr.write(`[queue] ${line}\n`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Children this module started; each runs in its own process group. */
const children = new Set();

function startChild(label, command, args, { env = process.env, cwd } = {}) {
	const child = spawn(command, args, {
		env,
		cwd,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	for (const stream of [child.stdout, child.stderr])
		stream.setEncoding('utf8').on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal })),
	);
	child.on('error', (error) => (output += `\n${error.stack}`));
	const handle = { label, child, exited, output: () => output };
	children.add(handle);
	exited.then(() => children.delete(handle));
	return handle;
}

async function stopChild(handle, signal = 'SIGTERM', graceMs = 15000) {
	if (handle.child.exitCode !== null || handle.child.signalCode !== null) return;
	try {
		process.kill(-handle.child.pid, signal);
	} catch {}
	const outcome = await Promise.race([handle.exited, sleep(graceMs).then(() => 'timeout')]);
	if (outcome === 'timeout') {
		try {
			process.kill(-handle.child.pid, 'SIGKILL');
		} catch {}
		await handle.exited;
	}
}

process.on('exit', () => {
	for (const handle of children) {
		try {
			process.kill(-handle.child.pid, 'SIGKILL');
		} catch {}
	}
});

// ---- Redis and PostgreSQL -------------------------------------------------------------------

function which(name) {
	const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
	return found === '' ? undefined : found;
}

/** Where PostgreSQL's server programs are (Debian keeps them out of PATH). */
function postgresBin() {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base)
		? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
		: [];
	versions.sort((a, b) => Number(b) - Number(a));
	if (versions.length > 0) return path.join(base, versions[0], 'bin');
	const initdb = which('initdb');
	return initdb === undefined ? undefined : path.dirname(fs.realpathSync(initdb));
}

/** apt-get install what is missing (as root, or through sudo without a password). */
function ensurePackages() {
	const missing = [];
	if (which('redis-server') === undefined) missing.push('redis-server');
	if (postgresBin() === undefined) missing.push('postgresql');
	if (missing.length === 0) return;
	const root = process.getuid?.() === 0;
	const prefix = root ? [] : ['sudo', '-n'];
	log(`installing ${missing.join(' and ')} with apt-get (once per machine) ...`);
	for (const args of [
		['apt-get', 'update', '-q'],
		['apt-get', 'install', '-y', '-q', ...missing],
	]) {
		const command = [...prefix, ...args];
		const result = spawnSync(command[0], command.slice(1), {
			encoding: 'utf8',
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		if (result.status !== 0)
			throw new Error(`${command.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
	}
	if (which('redis-server') === undefined || postgresBin() === undefined)
		throw new Error(`apt-get installed ${missing.join(', ')} but they are not there`);
}

function waitForPort(port, { timeoutMs = 30000, probe } = {}) {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const attempt = () => {
			const socket = net.connect({ host: '127.0.0.1', port });
			let answered = false;
			socket.setTimeout(1000);
			socket.on('connect', () => {
				if (!probe) {
					answered = true;
					socket.end();
					resolve();
					return;
				}
				socket.write(probe.send);
			});
			socket.on('data', (data) => {
				if (String(data).includes(probe.expect)) {
					answered = true;
					socket.end();
					resolve();
				}
			});
			const retry = () => {
				socket.destroy();
				if (answered) return;
				if (Date.now() - started > timeoutMs)
					reject(new Error(`nothing answered on 127.0.0.1:${port} after ${timeoutMs} ms`));
				else setTimeout(attempt, 200);
			};
			socket.on('error', retry);
			socket.on('timeout', retry);
			socket.on('close', () => {
				if (!answered) retry();
			});
		};
		attempt();
	});
}

async function startRedis(dir) {
	await fsp.mkdir(dir, { recursive: true });
	const port = await runtime.freePort();
	const redis = startChild('redis', which('redis-server'), [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--dir',
		dir,
		'--save',
		'',
		'--appendonly',
		'no',
		'--daemonize',
		'no',
		'--logfile',
		'',
	]);
	await waitForPort(port, { probe: { send: 'PING\r\n', expect: '+PONG' } }).catch((error) => {
		throw new Error(`${error.message}\n${redis.output()}`);
	});
	return { port, handle: redis, stop: () => stopChild(redis) };
}

/**
 * PostgreSQL refuses to run as root: when this runs as root, the cluster belongs to the
 * `postgres` system user the Debian package creates, and its programs run through runuser.
 */
async function startPostgres(dir) {
	const bin = postgresBin();
	const asRoot = process.getuid?.() === 0;
	const as = (program, args) =>
		asRoot
			? ['runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]]
			: [path.join(bin, program), args];
	await fsp.mkdir(dir, { recursive: true });
	const data = path.join(dir, 'data');
	if (asRoot) {
		// The postgres user must reach its folder: every folder above it traversable, the folder its own.
		for (let up = dir; up !== path.dirname(up); up = path.dirname(up)) {
			const mode = fs.statSync(up).mode;
			if ((mode & 0o001) === 0) fs.chmodSync(up, mode | 0o711);
		}
		spawnSync('chown', ['-R', 'postgres:postgres', dir]);
	}
	const [initCommand, initArgs] = as('initdb', [
		'-D',
		data,
		'-U',
		'n8n',
		'--auth=trust',
		'-E',
		'UTF8',
		'--no-instructions',
	]);
	const init = spawnSync(initCommand, initArgs, { encoding: 'utf8', cwd: dir });
	if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
	const port = await runtime.freePort();
	const [command, args] = as('postgres', [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		dir,
		'-c',
		'listen_addresses=127.0.0.1',
		// A throwaway database: no durability needed, and it starts and writes faster.
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
	]);
	const postgres = startChild('postgres', command, args, { cwd: dir });
	await waitForPort(port).catch((error) => {
		throw new Error(`${error.message}\n${postgres.output()}`);
	});
	for (let tries = 0; ; tries++) {
		const created = spawnSync(
			path.join(bin, 'createdb'),
			['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'],
			{ encoding: 'utf8' },
		);
		if (created.status === 0) break;
		if (tries > 50) throw new Error(`createdb failed:\n${created.stderr}\n${postgres.output()}`);
		await sleep(200);
	}
	// SIGINT is PostgreSQL's fast shutdown.
	return { port, handle: postgres, stop: () => stopChild(postgres, 'SIGINT') };
}

// ---- n8n ------------------------------------------------------------------------------------

function campaignWorkflow() {
	return {
		id: CAMPAIGN_WORKFLOW_ID,
		name: 'Kaleyra campaign (queue mode)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'c0a80001-0000-4000-8000-000000000001',
				name: 'Campaign webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'c0a80001-0000-4000-8000-0000000000aa',
				parameters: {
					httpMethod: 'POST',
					path: CAMPAIGN_PATH,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: 'c0a80001-0000-4000-8000-000000000002',
				name: 'One item per recipient',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.recipients', options: {} },
			},
			{
				id: 'c0a80001-0000-4000-8000-000000000003',
				name: SEND_NODE,
				type: `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`,
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					resource: 'message',
					operation: 'sendText',
					businessNumber: harness.SANDBOX_ACCOUNT.numbers[0],
					recipient: '={{ $json.phone }}',
					body: '=Hello from campaign {{ $json.campaign }}, message {{ $json.n }}',
					options: { ref: '={{ $json.campaign }}', ref1: '={{ $json.n }}' },
				},
				credentials: {
					kaleyraWhatsAppApi: { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name },
				},
			},
		],
		connections: {
			'Campaign webhook': { main: [[{ node: 'One item per recipient', type: 'main', index: 0 }]] },
			'One item per recipient': { main: [[{ node: SEND_NODE, type: 'main', index: 0 }]] },
		},
	};
}

/** `count` recipients, every 10th customer getting two messages (so per-recipient order matters). */
function recipients(campaign, count) {
	return Array.from({ length: count }, (_, n) => ({
		phone: `+9197${String(10_000_000 + (n % Math.ceil(count * 0.9))).slice(-8)}`,
		campaign,
		n,
	}));
}

/**
 * Everything up: Redis, PostgreSQL, the sandbox, the package packed and installed for the main
 * and each worker, the credential and the campaign workflow imported and published, n8n main
 * (webhooks) and `workers` workers. Returns the stack; `stack.stop()` ends every process.
 */
async function startQueueStack({
	workers = 2,
	workerConcurrency = 2,
	webhookProcesses = 0,
	workflows = [],
	step = (_label, fn) => fn(),
} = {}) {
	const stack = {
		tmp: fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-queue-')),
		workers: [],
		webhooks: [],
		stopped: false,
	};
	stack.stop = async () => {
		if (stack.stopped) return;
		stack.stopped = true;
		await Promise.all([...stack.webhooks, ...stack.workers].map((w) => stopChild(w.handle)));
		await stack.main?.stop().catch(() => {});
		await stack.sandbox?.close().catch(() => {});
		await stack.postgres?.stop();
		await stack.redis?.stop();
		if (process.env.E2E_KEEP !== '1') await fsp.rm(stack.tmp, { recursive: true, force: true });
	};
	try {
		await step('ensure Redis and PostgreSQL (apt-get when missing)', async () => ensurePackages());
		const [redis, postgres, n8n, tgz] = await Promise.all([
			step('start Redis', () => startRedis(path.join(stack.tmp, 'redis'))),
			step('start PostgreSQL', () => startPostgres(path.join(stack.tmp, 'postgres'))),
			step('ensure n8n', () => runtime.ensureN8n()),
			step('npm run build && npm pack', () => harness.buildAndPack(path.join(stack.tmp, 'pack'))),
		]);
		Object.assign(stack, { redis, postgres, n8n });
		({ sandbox: stack.sandbox, apiKey: stack.apiKey } = await harness.startKaleyraSandbox());
		const shared = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: 'n8n',
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		};
		stack.env = shared;
		const folders = ['main', ...Array.from({ length: workers }, (_, i) => `worker-${i + 1}`)].map(
			(name) => path.join(stack.tmp, name),
		);
		// `n8n webhook` runs the trigger's webhook() itself, so it needs the package as much as a worker.
		const webhookFolders = Array.from({ length: webhookProcesses }, (_, i) =>
			path.join(stack.tmp, `webhook-${i + 1}`),
		);
		await step(`install the package for the main and ${workers} workers`, async () => {
			for (const folder of webhookFolders) await runtime.installPackage(folder, tgz);
			for (const folder of folders) await runtime.installPackage(folder, tgz);
		});
		const mainFolder = folders[0];
		const importDir = path.join(stack.tmp, 'import');
		await fsp.mkdir(importDir, { recursive: true });
		const credentialsFile = path.join(importDir, 'credentials.json');
		const workflowFile = path.join(importDir, 'workflow.json');
		await fsp.writeFile(
			credentialsFile,
			JSON.stringify([
				harness.sandboxCredential(stack.sandbox.url, stack.apiKey),
				{ ...harness.CALLBACK_CREDENTIAL },
			]),
			{ mode: 0o600 },
		);
		await fsp.writeFile(workflowFile, JSON.stringify([campaignWorkflow(), ...workflows]));
		await step(
			'import the credential and the campaign workflow into PostgreSQL, publish it',
			async () => {
				harness.assertRan(
					await runtime.runN8n(['import:credentials', `--input=${credentialsFile}`], {
						userFolder: mainFolder,
						env: shared,
					}),
				);
				await fsp.rm(credentialsFile, { force: true });
				harness.assertRan(
					await runtime.runN8n(['import:workflow', `--input=${workflowFile}`], {
						userFolder: mainFolder,
						env: shared,
					}),
				);
				for (const id of [CAMPAIGN_WORKFLOW_ID, ...workflows.map((w) => w.id)]) {
					harness.assertRan(
						await runtime.runN8n(['publish:workflow', `--id=${id}`], {
							userFolder: mainFolder,
							env: shared,
						}),
					);
				}
			},
		);
		// With webhook processes, the main serves the editor only: production webhooks go to them.
		const mainEnv =
			webhookProcesses > 0 ? { ...shared, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } : shared;
		await step(`start n8n main and ${workers} workers (queue mode)`, async () => {
			const startWorker = async (folder, i) => {
				const healthPort = await runtime.freePort();
				const brokerPort = await runtime.freePort();
				const env = runtime.n8nEnv(folder, {
					...shared,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				});
				const handle = startChild(
					`worker-${i + 1}`,
					n8n.nodeBin,
					[n8n.n8nBin, 'worker', `--concurrency=${workerConcurrency}`],
					{ env, cwd: folder },
				);
				const worker = { name: `worker-${i + 1}`, folder, handle, healthPort };
				stack.workers.push(worker);
				await waitForHttp(`http://127.0.0.1:${healthPort}/healthz/readiness`, handle);
				return worker;
			};
			const mainStarted = runtime.startN8n({ userFolder: mainFolder, env: mainEnv });
			await Promise.all([
				mainStarted.then((main) => (stack.main = main)),
				...folders.slice(1).map(startWorker),
			]);
		});
		if (webhookProcesses > 0) {
			// After the main: it migrates the database and records the published workflows' webhooks.
			await step(`start ${webhookProcesses} webhook processes (n8n webhook)`, () =>
				Promise.all(webhookFolders.map((folder, i) => startWebhookProcess(stack, folder, i))),
			);
		}
		stack.rest = new N8nRestClient(stack.main.url);
		const owner = {
			email: 'owner@example.com',
			firstName: 'Queue',
			lastName: 'Owner',
			password: ownerPassword(),
		};
		if (await stack.rest.needsOwnerSetup()) await stack.rest.setupOwner(owner);
		await stack.rest.login(owner);
		await waitForWebhook(stack);
		return stack;
	} catch (error) {
		await stack.stop();
		throw error;
	}
}

/**
 * `n8n webhook`: a process that only receives production webhook calls, runs the trigger's
 * webhook() and queues the execution in Redis for a worker (n8n's scaling mode; several of them
 * sit behind a load balancer).
 */
async function startWebhookProcess(stack, folder, i) {
	const port = await runtime.freePort();
	const env = runtime.n8nEnv(folder, {
		...stack.env,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await runtime.freePort()),
	});
	const name = `webhook-${i + 1}`;
	const handle = startChild(name, stack.n8n.nodeBin, [stack.n8n.n8nBin, 'webhook'], {
		env,
		cwd: folder,
	});
	const webhook = { name, folder, handle, url: `http://127.0.0.1:${port}` };
	stack.webhooks.push(webhook);
	await waitForHttp(`${webhook.url}/healthz/readiness`, handle);
	return webhook;
}

async function waitForHttp(url, handle, timeoutMs = 180000) {
	const started = Date.now();
	const { request } = require('undici');
	for (;;) {
		if (handle.child.exitCode !== null)
			throw new Error(
				`${handle.label} exited before it was ready:\n${handle.output().slice(-4000)}`,
			);
		try {
			const response = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 });
			await response.body.text();
			if (response.statusCode === 200) return;
		} catch {}
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`${handle.label} not ready after ${timeoutMs} ms:\n${handle.output().slice(-4000)}`,
			);
		await sleep(300);
	}
}

/** The published workflow's production webhook answers once the main has registered it. */
async function waitForWebhook(stack, timeoutMs = 60000) {
	const started = Date.now();
	for (;;) {
		const response = await stack.rest.call('GET', `/rest/workflows/${CAMPAIGN_WORKFLOW_ID}`);
		if (response.status === 200 && response.body?.data?.activeVersionId) return;
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`the campaign workflow is not active: ${JSON.stringify(response.body).slice(0, 500)}`,
			);
		await sleep(500);
	}
}

/**
 * Starts a campaign: one webhook call; the main queues the execution for a worker. A 404 means the
 * main has not (re)registered the published workflow's webhook yet (it does so after start-up,
 * in the background): nothing ran, so the call is made again, for up to a minute.
 */
async function startCampaign(stack, campaign, count) {
	const { request } = require('undici');
	const started = Date.now();
	for (;;) {
		const response = await request(`${stack.main.url}/webhook/${CAMPAIGN_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ recipients: recipients(campaign, count) }),
		});
		const text = await response.body.text();
		if (response.statusCode === 200) return;
		if (response.statusCode !== 404 || Date.now() - started > 60000) {
			throw new Error(
				`webhook for campaign ${campaign}: HTTP ${response.statusCode} ${text.slice(0, 300)}`,
			);
		}
		await sleep(500);
	}
}

/** The finished executions of the campaign workflow, each with its Kaleyra node's output items. */
async function finishedExecutions(stack, expected, timeoutMs = 240000) {
	const flatted = require(path.join(stack.n8n.n8nDir, 'node_modules', 'flatted'));
	const started = Date.now();
	let listed = [];
	for (;;) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: CAMPAIGN_WORKFLOW_ID }));
		const page = await stack.rest.data('GET', `/rest/executions?filter=${filter}&limit=50`);
		listed = page.results ?? [];
		const done = listed.filter(
			(e) => e.finished || ['success', 'error', 'crashed', 'canceled'].includes(e.status),
		);
		if (done.length >= expected) break;
		if (Date.now() - started > timeoutMs) {
			throw new Error(
				`only ${done.length} of ${expected} executions finished after ${timeoutMs} ms: ${JSON.stringify(listed.map((e) => [e.id, e.status]))}`,
			);
		}
		await sleep(1000);
	}
	const executions = [];
	for (const summary of listed) {
		const full = await stack.rest.data('GET', `/rest/executions/${summary.id}`);
		const data = typeof full.data === 'string' ? flatted.parse(full.data) : full.data;
		const runs = data?.resultData?.runData?.[SEND_NODE] ?? [];
		executions.push({
			id: String(summary.id),
			status: full.status,
			error: data?.resultData?.error?.message,
			items: runs.flatMap((r) =>
				(r.data?.main?.[0] ?? []).map((item) => ({ json: item.json, pairedItem: item.pairedItem })),
			),
			nodeMs: runs.reduce((sum, r) => sum + (r.executionTime ?? 0), 0),
		});
	}
	return executions;
}

/** Which worker ran each execution, from the workers' own log lines. */
function workerOf(stack) {
	const ran = new Map();
	for (const worker of stack.workers) {
		for (const match of worker.handle.output().matchAll(/Worker started execution (\d+)/g))
			ran.set(match[1], worker.name);
	}
	return ran;
}

/**
 * The finished executions of any workflow, oldest first, each with its run data (node name → the
 * items of its runs) and the worker that ran it.
 */
async function executionsOf(stack, workflowId, expected, timeoutMs = 120000) {
	const flatted = require(path.join(stack.n8n.n8nDir, 'node_modules', 'flatted'));
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const started = Date.now();
	let done = [];
	let listed = [];
	for (;;) {
		const page = await stack.rest.data('GET', `/rest/executions?filter=${filter}&limit=100`);
		listed = page.results ?? [];
		done = listed.filter((e) => ['success', 'error', 'crashed', 'canceled'].includes(e.status));
		if (done.length >= expected) break;
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`only ${done.length} of ${expected} executions of ${workflowId} finished after ${timeoutMs} ms: ${JSON.stringify(listed.map((e) => [e.id, e.status]))}\n${stack.workers.map((w) => `${w.name}: ${w.handle.output().slice(-3000)}`).join('\n')}`,
			);
		await sleep(500);
	}
	const ran = workerOf(stack);
	const executions = [];
	for (const summary of done.sort((a, b) => Number(a.id) - Number(b.id))) {
		const full = await stack.rest.data('GET', `/rest/executions/${summary.id}`);
		const data = typeof full.data === 'string' ? flatted.parse(full.data) : full.data;
		const runData = data?.resultData?.runData ?? {};
		executions.push({
			id: String(summary.id),
			status: full.status,
			mode: full.mode,
			worker: ran.get(String(summary.id)),
			error: data?.resultData?.error?.message,
			ran: Object.fromEntries(
				Object.entries(runData).map(([node, runs]) => [
					node,
					runs.flatMap((r) => (r.data?.main?.[0] ?? []).map((item) => item.json)),
				]),
			),
		});
	}
	return executions;
}

module.exports = {
	startQueueStack,
	executionsOf,
	startCampaign,
	finishedExecutions,
	workerOf,
	recipients,
	SEND_NODE,
};

if (require.main === module) {
	const { step } = harness.createStepper((line) => process.stderr.write(`${line}\n`));
	(async () => {
		const stack = await startQueueStack({ step });
		try {
			await step('one campaign of 1,000 messages', async () => {
				await startCampaign(stack, 'solo', 1000);
				const [execution] = await finishedExecutions(stack, 1);
				log(
					`execution ${execution.id} on ${workerOf(stack).get(execution.id)}: ${execution.status}, ${execution.items.length} items, node ${execution.nodeMs} ms`,
				);
			});
			await step('4 campaigns of 250 at once', async () => {
				await Promise.all(['c1', 'c2', 'c3', 'c4'].map((c) => startCampaign(stack, c, 250)));
				const executions = await finishedExecutions(stack, 5);
				const ran = workerOf(stack);
				for (const e of executions)
					log(
						`execution ${e.id} on ${ran.get(e.id)}: ${e.status}, ${e.items.length} items, node ${e.nodeMs} ms`,
					);
			});
			log(`the sandbox accepted ${stack.sandbox.messages.length} messages`);
		} finally {
			await stack.stop();
		}
	})().catch((error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		process.exitCode = 1;
	});
}
