'use strict';
/**
 * npm run bench: how fast a campaign goes, measured, printed as a table. Not a test: nothing
 * here fails because the machine is slow.
 *
 * 1. Real n8n (headless `n8n execute`), the Kaleyra sandbox answering after a fixed latency
 *    (100 ms, 20 ms), 1,000 items: this node (defaults; and with as many in flight as the HTTP
 *    Request node reached, cap 1000/s) and n8n's HTTP Request node (defaults) sending the same
 *    payload to the same sandbox in the same run. Throughput is items ÷ the node's own execution
 *    time in n8n's run data; "in flight" is the most requests the sandbox had open at once;
 *    the ceiling is min(rate cap, in flight ÷ latency).
 * 2. Engine level (n8n-core's WorkflowExecute in a fresh process per node), 5,000 items, no
 *    latency: CPU milliseconds per message of each node and the process's peak RSS.
 *
 * 0. Meta's ceiling (part "meta"): the sandbox holds Meta's per-number sliding window (80 accepted
 *    per second, 429 with 130429 above it; BENCH_META_PER_SECOND, 0 turns it off), 100 ms latency,
 *    2,000 and 20,000 messages: this node at its defaults (stop on a failure: every item checked
 *    before the first send) and under On Error → Continue (each item sent once checked) against
 *    the HTTP Request node with Batching 80 items / 1000 ms (On Error → Continue, so a throttled
 *    item does not stop it), then at an upgraded number (window 1,000/s) this node at 200 in
 *    flight, 1,000/s against Batching 1,000 / 1000 ms; both send the same three expressions per
 *    item. CPU per message and peak RSS are the n8n process's within the node's own run, sampled
 *    by scripts/bench-sampler.js (preloaded), so n8n's start-up is not counted.
 *
 *   npm run bench     (BENCH_ITEMS=1000 BENCH_ENGINE_ITEMS=5000 BENCH_LATENCIES=100,20 BENCH_PARTS=meta,n8n,engine
 *                      BENCH_META_ITEMS=2000,20000 BENCH_META_PER_SECOND=80 BENCH_META_LATENCY=100)
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { loadEngine, runScript } = require('./engine-loader');

const ROOT = path.resolve(__dirname, '..');
const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);
const ENGINE_ITEMS = Number(process.env.BENCH_ENGINE_ITEMS ?? 5000);
const LATENCIES = (process.env.BENCH_LATENCIES ?? '100,20').split(',').map(Number);
const HTTP_NODE_PATH = [
	'node_modules',
	'n8n-nodes-base',
	'dist',
	'nodes',
	'HttpRequest',
	'HttpRequest.node.js',
];
const DEFAULTS = { inFlight: 20, perSecond: 80 };
const WARM_UP = 200;
/** e.g. BENCH_N8N_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the n8n runs. */
const N8N_ENV = {
	...(process.env.BENCH_N8N_NODE_OPTIONS
		? { NODE_OPTIONS: process.env.BENCH_N8N_NODE_OPTIONS }
		: {}),
	/** A fixed task-runner broker port when several n8n share the machine (default: a free one). */
	...(process.env.BENCH_BROKER_PORT
		? { N8N_RUNNERS_BROKER_PORT: process.env.BENCH_BROKER_PORT }
		: {}),
};
const PARTS = (process.env.BENCH_PARTS ?? 'meta,n8n,engine').split(',');
/** The campaign sizes of the Meta-window table. */
const META_ITEMS = (process.env.BENCH_META_ITEMS ?? '2000,20000').split(',').map(Number);
/** Only these rows of the Meta table, by position from 0 (e.g. BENCH_META_CONFIGS=3 to profile one); all by default. */
const META_CONFIGS = process.env.BENCH_META_CONFIGS?.split(',').map(Number);
/** Meta's per-number window the sandbox holds in the Meta table (0: off), and at an upgraded number. */
const META_PER_SECOND = Number(process.env.BENCH_META_PER_SECOND ?? 80);
const META_UPGRADED_PER_SECOND = 1000;
const META_LATENCY = Number(process.env.BENCH_META_LATENCY ?? 100);

function print(line = '') {
	process.stdout.write(`${line}\n`);
}

/** The campaign: `count` customers, the text and reference each message carries. */
function campaignItems(count) {
	return Array.from({ length: count }, (_, i) => ({
		phone: `+9198${String(10_000_000 + i)}`,
		text: `Your order A-${i} has shipped`,
		ref: `A-${i}`,
	}));
}

/** The same v2 body the Kaleyra node sends for Send Text, written as the HTTP Request node's JSON body. */
const HTTP_JSON_BODY =
	'={{ JSON.stringify({ messaging_object: { messaging_product: "whatsapp", recipient_type: "individual", to: $json.phone, type: "text", text: { body: $json.text, preview_url: false } }, extra_info: { ref: $json.ref } }) }}';

/**
 * n8n's HTTP Request node as a user would set it up for this. Its Batching option only spaces the
 * start of batches (it does not wait for a batch's answers), so nothing bounds what it has in flight.
 */
function httpRequestNode(url, apiKey, batching) {
	return {
		...(batching === undefined ? {} : { onError: 'continueRegularOutput' }),
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [440, 0],
		parameters: {
			method: 'POST',
			url,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'api-key', value: apiKey }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: HTTP_JSON_BODY,
			options:
				batching === undefined
					? {}
					: {
							batching: {
								batch: { batchSize: batching.items, batchInterval: batching.intervalMs },
							},
						},
		},
	};
}

function kaleyraNode(nodeType, businessNumber, credential, { inFlight, perSecond }) {
	return {
		name: 'Kaleyra WhatsApp',
		type: nodeType,
		typeVersion: 1,
		position: [440, 0],
		parameters: {
			resource: 'message',
			operation: 'sendText',
			businessNumber,
			recipient: '={{ $json.phone }}',
			body: '={{ $json.text }}',
			previewUrl: false,
			options: {
				ref: '={{ $json.ref }}',
				messagesInFlight: inFlight,
				messagesPerSecond: perSecond,
			},
		},
		credentials: { kaleyraWhatsAppApi: credential },
	};
}

// ---- 1. Real n8n ------------------------------------------------------------------------------

async function realN8n() {
	const runtime = require('./n8n-runtime');
	const harness = require('./harness');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-bench-'));
	const userFolder = path.join(tmp, 'n8n-user');
	const { sandbox, apiKey } = await harness.startKaleyraSandbox({
		port: Number(process.env.BENCH_SANDBOX_PORT ?? 0),
	});
	try {
		await runtime.ensureN8n();
		const tgz = await harness.buildAndPack(path.join(tmp, 'pack'));
		await harness.prepareInstance({ userFolder, tgz, sandboxUrl: sandbox.url, apiKey });
		const number = harness.SANDBOX_ACCOUNT.numbers[0];
		const url = `${sandbox.url}/v2/${harness.SANDBOX_ACCOUNT.sid}/whatsapp/${number.replace('+', '')}/messages`;
		const credential = { id: harness.CREDENTIAL.id, name: harness.CREDENTIAL.name };
		const items = campaignItems(ITEMS);
		let workflowCount = 0;
		/** Imports a workflow Manual Trigger → Set (the campaign) → Split Out → `node`, returns its id. */
		const importWorkflow = async (node, campaign = items) => {
			const id = `kaleyraBench${String(++workflowCount).padStart(4, '0')}`;
			const workflow = {
				id,
				name: `bench ${node.name}`,
				active: false,
				settings: { executionOrder: 'v1' },
				nodes: [
					{
						id: `${id}-1`,
						name: 'Start',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: `${id}-2`,
						name: 'Campaign',
						type: 'n8n-nodes-base.set',
						typeVersion: 3.4,
						position: [150, 0],
						parameters: {
							mode: 'raw',
							jsonOutput: JSON.stringify({ recipients: campaign }),
							options: {},
						},
					},
					{
						id: `${id}-3`,
						name: 'Split',
						type: 'n8n-nodes-base.splitOut',
						typeVersion: 1,
						position: [300, 0],
						parameters: { fieldToSplitOut: 'recipients', options: {} },
					},
					{ id: `${id}-4`, ...node },
				],
				connections: {
					Start: { main: [[{ node: 'Campaign', type: 'main', index: 0 }]] },
					Campaign: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
					Split: { main: [[{ node: node.name, type: 'main', index: 0 }]] },
				},
			};
			const file = path.join(tmp, `${id}.json`);
			fs.writeFileSync(file, JSON.stringify([workflow]));
			harness.assertRan(
				await runtime.runN8n(['import:workflow', `--input=${file}`], { userFolder }),
			);
			return { id, node: node.name };
		};
		const runOnce = async ({ id, node }, latencyMs) => {
			sandbox.reset();
			sandbox.fault({
				match: { path: '/messages' },
				kind: 'latency',
				ms: latencyMs,
				times: ITEMS * 10,
			});
			const result = harness.assertRan(
				await runtime.runN8n(['execute', `--id=${id}`, '--rawOutput'], {
					userFolder,
					timeoutMs: 600000,
					env: N8N_ENV,
				}),
			);
			const run = runtime.parseExecuteOutput(result.stdout);
			const nodeRun = run.data.resultData.runData[node][0];
			const output = nodeRun.data?.main?.[0] ?? [];
			const accepted = output.filter((item) => item.json.code === 'WA202').length;
			// The send phase as the sandbox saw it: first request in to last request in.
			const times = sandbox.requests.map((r) => Date.parse(r.receivedAt)).sort((a, b) => a - b);
			const sendPerSecond =
				times.length > 1 ? ((times.length - 1) / (times.at(-1) - times[0])) * 1000 : NaN;
			return {
				ms: nodeRun.executionTime,
				perSecond: (ITEMS / nodeRun.executionTime) * 1000,
				sendPerSecond,
				maxInFlight: sandbox.inFlight().max,
				accepted,
				sandboxMessages: sandbox.messages.length,
			};
		};

		const nodeType = `${runtime.PACKAGE_NAME}.kaleyraWhatsApp`;
		if (PARTS.includes('meta'))
			await metaTable({
				runtime,
				harness,
				sandbox,
				userFolder,
				importWorkflow,
				nodeType,
				number,
				credential,
				url,
				apiKey,
			});
		if (!PARTS.includes('n8n')) return [];
		const fast = { inFlight: DEFAULTS.inFlight, perSecond: 1000 };
		const configs = [
			{
				label: 'HTTP Request node (defaults: every item at once)',
				workflow: await importWorkflow(httpRequestNode(url, apiKey)),
			},
			{
				label: `Kaleyra node (defaults: ${DEFAULTS.inFlight} in flight, ${DEFAULTS.perSecond}/s)`,
				workflow: await importWorkflow(kaleyraNode(nodeType, number, credential, DEFAULTS)),
				schedule: DEFAULTS,
			},
			{
				label: `Kaleyra node (${fast.inFlight} in flight, ${fast.perSecond}/s)`,
				workflow: await importWorkflow(kaleyraNode(nodeType, number, credential, fast)),
				schedule: fast,
			},
		];
		const rows = [];
		for (const latency of LATENCIES) {
			const results = [];
			for (const config of configs) results.push(await runOnce(config.workflow, latency));
			configs.forEach((config, i) => {
				const r = results[i];
				const inFlight = config.schedule?.inFlight ?? config.inFlight ?? r.maxInFlight;
				const ceiling = Math.min(
					config.schedule?.perSecond ?? Infinity,
					inFlight / (latency / 1000),
				);
				rows.push({
					latency,
					label: config.label,
					r,
					ceiling,
					ratio: config.schedule === undefined ? undefined : r.perSecond / results[0].perSecond,
				});
			});
		}
		print(
			`## Real n8n ${runtime.N8N_VERSION}, sandbox latency fixed, ${ITEMS} items, one business number`,
		);
		print();
		print(
			'| latency | node | msg/s (node time) | msg/s (send phase) | in flight (sandbox max) | ceiling min(cap, in flight ÷ latency) | send phase of ceiling | node msg/s ratio to HTTP Request | accepted |',
		);
		print('|---|---|---|---|---|---|---|---|---|');
		for (const { latency, label, r, ceiling, ratio } of rows) {
			print(
				`| ${latency} ms | ${label} | ${r.perSecond.toFixed(1)} | ${r.sendPerSecond.toFixed(1)} | ${r.maxInFlight} | ${ceiling.toFixed(0)} | ${((r.sendPerSecond / ceiling) * 100).toFixed(0)} % | ${ratio === undefined ? '' : `${ratio.toFixed(2)}×`} | ${r.accepted}/${ITEMS} (sandbox ${r.sandboxMessages}) |`,
			);
		}
		print();
		return rows;
	} finally {
		await sandbox.close();
		await runtime.stopAll();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

/** The node's start and execution time from `n8n execute --rawOutput`. */
function nodeTimes(stdout, nodeName) {
	const runtime = require('./n8n-runtime');
	const { startTime, executionTime } =
		runtime.parseExecuteOutput(stdout).data.resultData.runData[nodeName][0];
	return { startTime, executionTime };
}

/** n8n's environment with the sampler preloaded (scripts/bench-sampler.js), writing into `dir`. */
function withSampler(dir) {
	const sampler = `--require ${path.join(__dirname, 'bench-sampler.js')}`;
	return {
		...N8N_ENV,
		NODE_OPTIONS: [N8N_ENV.NODE_OPTIONS, sampler].filter(Boolean).join(' '),
		BENCH_SAMPLES_DIR: dir,
	};
}

/**
 * CPU milliseconds and peak resident memory of the n8n process that ran the workflow, within the
 * node's own run (from its start time for its execution time), read from the sampler's notes.
 * The busiest process is n8n's: a task runner or a helper process the preload also reached uses
 * far less.
 */
function usageDuring(dir, startTime, executionTime) {
	const end = startTime + executionTime;
	let best = { cpuMs: 0, peakRssMb: 0 };
	for (const file of fs.readdirSync(dir)) {
		const { samples } = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
		const within = samples.filter(([at]) => at >= startTime - 50 && at <= end + 50);
		if (within.length < 2) continue;
		const cpuMs = within.at(-1)[1] - within[0][1];
		if (cpuMs > best.cpuMs)
			best = { cpuMs, peakRssMb: Math.max(...within.map(([, , rss]) => rss)) / 1048576 };
	}
	return best;
}

/** Part 0: the campaign against Meta's per-number window (see the header). */
async function metaTable({
	runtime,
	harness,
	sandbox,
	userFolder,
	importWorkflow,
	nodeType,
	number,
	credential,
	url,
	apiKey,
}) {
	const upgraded = { inFlight: 200, perSecond: 1000 };
	const rows = [];
	for (const count of META_ITEMS) {
		const campaign = campaignItems(count);
		const configs = [
			{
				label: `Kaleyra node (defaults: ${DEFAULTS.inFlight} in flight, ${DEFAULTS.perSecond}/s)`,
				window: META_PER_SECOND,
				node: kaleyraNode(nodeType, number, credential, DEFAULTS),
			},
			{
				label: `Kaleyra node (defaults, On Error → Continue: each item sent once checked)`,
				window: META_PER_SECOND,
				node: {
					...kaleyraNode(nodeType, number, credential, DEFAULTS),
					onError: 'continueRegularOutput',
				},
			},
			{
				label: 'HTTP Request node (Batching 80 items / 1000 ms, On Error → Continue)',
				window: META_PER_SECOND,
				node: httpRequestNode(url, apiKey, { items: 80, intervalMs: 1000 }),
			},
			{
				label: `upgraded number: Kaleyra node (${upgraded.inFlight} in flight, ${upgraded.perSecond}/s)`,
				window: META_UPGRADED_PER_SECOND,
				node: kaleyraNode(nodeType, number, credential, upgraded),
			},
			{
				label: 'upgraded number: HTTP Request node (Batching 1000 items / 1000 ms)',
				window: META_UPGRADED_PER_SECOND,
				node: httpRequestNode(url, apiKey, { items: 1000, intervalMs: 1000 }),
			},
		];
		const results = [];
		for (const config of configs.filter((_, i) => META_CONFIGS?.includes(i) ?? true)) {
			const workflow = await importWorkflow(config.node, campaign);
			sandbox.reset();
			sandbox.metaWindow(META_PER_SECOND === 0 ? undefined : config.window);
			sandbox.fault({
				match: { path: '/messages' },
				kind: 'latency',
				ms: META_LATENCY,
				times: count * 10,
			});
			const samplesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-bench-samples-'));
			const result = harness.assertRan(
				await runtime.runN8n(['execute', `--id=${workflow.id}`, '--rawOutput'], {
					userFolder,
					timeoutMs: 3_600_000,
					env: withSampler(samplesDir),
					stdoutFile: `${samplesDir}.run.json`,
				}),
			);
			const nodeRun = nodeTimes(result.stdout, workflow.node);
			const usage = usageDuring(samplesDir, nodeRun.startTime, nodeRun.executionTime);
			fs.rmSync(samplesDir, { recursive: true, force: true });
			fs.rmSync(`${samplesDir}.run.json`, { force: true });
			const recipients = new Set(sandbox.messages.map((m) => m.to));
			const accepted = sandbox.messages.map((m) => Date.parse(m.receivedAt)).sort((a, b) => a - b);
			const requests = sandbox.requests
				.filter((r) => r.path.endsWith('/messages'))
				.map((r) => Date.parse(r.receivedAt))
				.sort((a, b) => a - b);
			const sendMs = accepted.length > 1 ? accepted.at(-1) - requests[0] : NaN;
			results.push({
				label: config.label,
				delivered: recipients.size,
				duplicates: sandbox.messages.length - recipients.size,
				throttles: sandbox.metaThrottles(),
				wholeRun: (recipients.size / nodeRun.executionTime) * 1000,
				sendPhase: ((accepted.length - 1) / sendMs) * 1000,
				firstSendMs: requests[0] - nodeRun.startTime,
				window: config.window,
				cpuMsPerMessage: usage.cpuMs / count,
				peakRssMb: usage.peakRssMb,
			});
		}
		rows.push({ count, results });
	}
	print(
		`## Meta's window: at most ${META_PER_SECOND || 'off'} accepted per business number in any sliding second (upgraded number: ${META_UPGRADED_PER_SECOND}), sandbox latency ${META_LATENCY} ms, real n8n ${runtime.N8N_VERSION}`,
	);
	print(
		`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average ${os
			.loadavg()
			.map((l) => l.toFixed(1))
			.join(' / ')} at the end`,
	);
	print();
	print(
		'| messages | node | delivered | duplicates | throttled requests | goodput, whole run (msg/s) | goodput, send phase (msg/s) | send phase of window | time to first send | CPU per message | peak RSS |',
	);
	print('|---|---|---|---|---|---|---|---|---|---|---|');
	for (const { count, results } of rows) {
		for (const r of results) {
			print(
				`| ${count} | ${r.label} | ${r.delivered} | ${r.duplicates} | ${r.throttles} | ${r.wholeRun.toFixed(1)} | ${r.sendPhase.toFixed(1)} | ${((r.sendPhase / r.window) * 100).toFixed(0)} % | ${(r.firstSendMs / 1000).toFixed(2)} s | ${r.cpuMsPerMessage.toFixed(2)} ms | ${r.peakRssMb.toFixed(0)} MB |`,
			);
		}
		if (results.length < 5) continue;
		const [node, onContinue, http, upgradedNode, upgradedHttp] = results;
		const ratio = (a, b, key) => `${(a[key] / b[key]).toFixed(2)}×`;
		print(
			`| ${count} | Kaleyra ÷ HTTP Request (80/s: defaults, Continue; upgraded) | | | | ${ratio(node, http, 'wholeRun')}, ${ratio(onContinue, http, 'wholeRun')}; ${ratio(upgradedNode, upgradedHttp, 'wholeRun')} | | | | ${ratio(node, http, 'cpuMsPerMessage')}, ${ratio(onContinue, http, 'cpuMsPerMessage')}; ${ratio(upgradedNode, upgradedHttp, 'cpuMsPerMessage')} | ${ratio(node, http, 'peakRssMb')}, ${ratio(onContinue, http, 'peakRssMb')}; ${ratio(upgradedNode, upgradedHttp, 'peakRssMb')} |`,
		);
	}
	print();
}

// ---- 2. Engine level --------------------------------------------------------------------------

/** A child process (this machine's Node, the repo's n8n-core) that runs one node over `count` items. */
function engineChild(which, count, sandboxUrl, apiKey) {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[__filename, '--child', which, String(count), sandboxUrl, apiKey],
			{ cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
		);
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0) return reject(new Error(`engine bench ${which} exited ${code}: ${out}`));
			resolve(JSON.parse(out.trim().split('\n').pop()));
		});
	});
}

async function engineLevel() {
	const { startSandbox } = require(path.join(ROOT, 'sandbox'));
	const apiKey = 'bench-engine-key';
	const sandbox = await startSandbox({
		accounts: [{ sid: 'HXBENCH01', apiKey, numbers: ['+919900000001'] }],
	});
	try {
		const results = {};
		for (const which of ['http', 'kaleyra']) {
			sandbox.reset();
			results[which] = await engineChild(which, ENGINE_ITEMS, sandbox.url, apiKey);
			results[which].sandboxMessages = sandbox.messages.length - WARM_UP;
			results[which].maxInFlight = sandbox.inFlight().max;
		}
		print(
			`## Engine level (n8n-core WorkflowExecute, Node ${process.versions.node}), ${ENGINE_ITEMS} items, no latency`,
		);
		print();
		print(
			'| node | CPU ms per message | wall ms | msg/s | in flight (sandbox max) | peak RSS | accepted |',
		);
		print('|---|---|---|---|---|---|---|');
		for (const [which, label] of [
			['http', 'HTTP Request node (defaults)'],
			['kaleyra', 'Kaleyra node (20 in flight, cap 1000/s)'],
		]) {
			const r = results[which];
			print(
				`| ${label} | ${r.cpuMsPerMessage.toFixed(3)} | ${r.wallMs.toFixed(0)} | ${((ENGINE_ITEMS / r.wallMs) * 1000).toFixed(0)} | ${r.maxInFlight} | ${(r.maxRssKb / 1024).toFixed(0)} MB | ${r.sandboxMessages}/${ENGINE_ITEMS} |`,
			);
		}
		print();
		return results;
	} finally {
		await sandbox.close();
	}
}

/** In the child: load the TypeScript engine harness (transpiled on require) and run one node. */
async function engineRun(which, count, sandboxUrl, apiKey) {
	const { runWorkflow, KaleyraWhatsApp, KaleyraWhatsAppApi } = loadEngine();
	const url = `${sandboxUrl}/v2/HXBENCH01/whatsapp/919900000001/messages`;
	let nodeTypes;
	let credentialTypes = [];
	let credentials = {};
	let node;
	if (which === 'http') {
		const runtime = require('./n8n-runtime');
		const { HttpRequest } = require(path.join(runtime.runtimePaths().n8nDir, ...HTTP_NODE_PATH));
		nodeTypes = { 'n8n-nodes-base.httpRequest': new HttpRequest() };
		node = httpRequestNode(url, apiKey);
	} else {
		const type = 'n8n-nodes-kaleyra-whatsapp.kaleyraWhatsApp';
		nodeTypes = { [type]: new KaleyraWhatsApp() };
		credentialTypes = [new KaleyraWhatsAppApi()];
		credentials = {
			kaleyraWhatsAppApi: { 1: { pod: 'custom', baseUrl: sandboxUrl, sid: 'HXBENCH01', apiKey } },
		};
		node = kaleyraNode(
			type,
			'+919900000001',
			{ id: '1', name: 'Kaleyra' },
			{ inFlight: DEFAULTS.inFlight, perSecond: 1000 },
		);
	}
	const workflow = {
		nodes: [
			{ name: 'Items', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: {} },
			node,
		],
		connections: { Items: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
	};
	const go = async (n) => {
		const result = await runWorkflow({
			workflow,
			nodeTypes,
			credentialTypes,
			credentials,
			items: campaignItems(n),
		});
		if (result.error) throw new Error(result.error.message);
		return result.output(node.name).length;
	};
	await go(WARM_UP); // module loading, JIT, connection pool
	const cpu = process.cpuUsage();
	const started = performance.now();
	const outputs = await go(count);
	const wallMs = performance.now() - started;
	const used = process.cpuUsage(cpu);
	process.stdout.write(
		`${JSON.stringify({ outputs, wallMs, cpuMsPerMessage: (used.user + used.system) / 1000 / count, maxRssKb: process.resourceUsage().maxRSS })}\n`,
	);
}

async function main() {
	print(`# npm run bench (${new Date().toISOString()}, ${os.cpus().length} cores)`);
	print();
	if (PARTS.includes('n8n') || PARTS.includes('meta')) await realN8n();
	if (PARTS.includes('engine')) await engineLevel();
}

runScript(
	main,
	async (which, count, sandboxUrl, apiKey) =>
		await engineRun(which, Number(count), sandboxUrl, apiKey),
);
