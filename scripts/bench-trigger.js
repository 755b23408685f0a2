'use strict';
/**
 * npm run bench:trigger: how many callbacks per second the Kaleyra WhatsApp Trigger takes, next to
 * n8n's own Webhook node, in ONE real n8n 2.x (`n8n start`, SQLite, executions saved as by
 * default). Not a test: nothing here fails because the machine is slow or busy.
 *
 * Three published workflows, each its starter → No Operation:
 *   - the Kaleyra WhatsApp Trigger (1.1, Secret Header from its callback credential, Text chosen);
 *   - n8n's Webhook node with Header Auth (the same header and secret, from an n8n credential):
 *     the same work per request, a secret checked against a stored credential;
 *   - n8n's Webhook node without authentication.
 * Every request is the same Kaleyra incoming-text callback (the sandbox's shape, ~1 KB), each with
 * its own message ID of the same length, so the trigger's de-duplication starts every one.
 * The callbacks go in rounds; in each round every target gets a batch, in a rotating order, with
 * the same number in flight, and after each batch the bench waits until n8n is idle again (its
 * CPU time stops moving), so one target's executions never run during another's batch.
 *
 * Per target it prints: answered/s (requests ÷ the time their answers took), sustained/s
 * (requests ÷ the time until n8n was idle again: the answer, the execution and its saving) and
 * n8n's CPU ms per callback (/proc/<pid>/stat over the batch until idle), and the trigger's ratio
 * to each Webhook node.
 *
 *   npm run bench:trigger   (BENCH_TRIGGER_CALLBACKS=1000 per target, BENCH_TRIGGER_ROUNDS=10,
 *                            BENCH_TRIGGER_IN_FLIGHT=10, BENCH_TRIGGER_TARGETS=trigger,webhookAuth,webhook,
 *                            BENCH_TRIGGER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof")
 */
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { Agent, request } = require('undici');

const runtime = require('./n8n-runtime');
const harness = require('./harness');
const callbacks = require('./callbacks');
const { incomingCallback } = require('../sandbox/customer');

const CALLBACKS = Number(process.env.BENCH_TRIGGER_CALLBACKS ?? 1000);
const ROUNDS = Number(process.env.BENCH_TRIGGER_ROUNDS ?? 10);
const IN_FLIGHT = Number(process.env.BENCH_TRIGGER_IN_FLIGHT ?? 10);
const WARM_UP = 100;
const N8N_ENV = process.env.BENCH_TRIGGER_NODE_OPTIONS
	? { NODE_OPTIONS: process.env.BENCH_TRIGGER_NODE_OPTIONS }
	: {};

const SECRET = harness.CALLBACK_CREDENTIAL.data.secret;
const HEADER = harness.CALLBACK_CREDENTIAL.data.headerName;
const HEADER_AUTH = {
	id: 'benchHeaderAuth01',
	name: 'Bench header auth',
	type: 'httpHeaderAuth',
	data: { name: HEADER, value: SECRET },
};

const print = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** starter → No Operation, published. */
function workflow(id, name, starter) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ position: [0, 0], ...starter },
			{
				id: `${id}-noop`,
				name: 'No Operation',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [starter.name]: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
	};
}

const webhookNode = (webhookId, pathName, authentication) => ({
	id: `${webhookId}-node`,
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	webhookId,
	parameters: {
		httpMethod: 'POST',
		path: pathName,
		responseMode: 'onReceived',
		authentication,
		options: {},
	},
	...(authentication === 'headerAuth'
		? { credentials: { httpHeaderAuth: { id: HEADER_AUTH.id, name: HEADER_AUTH.name } } }
		: {}),
});

const ALL_TARGETS = [
	{
		key: 'trigger',
		label: 'Kaleyra WhatsApp Trigger (Secret Header)',
		workflow: workflow('benchKaleyraTrig', 'bench: Kaleyra WhatsApp Trigger', {
			id: 'benchKaleyraTrig-node',
			name: 'Kaleyra WhatsApp Trigger',
			type: callbacks.TRIGGER_TYPE,
			typeVersion: 1.1,
			webhookId: '5e1f0c2a-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
			parameters: { events: ['text'] },
			credentials: {
				[harness.CALLBACK_CREDENTIAL.type]: {
					id: harness.CALLBACK_CREDENTIAL.id,
					name: harness.CALLBACK_CREDENTIAL.name,
				},
			},
		}),
		headers: { [HEADER]: SECRET },
	},
	{
		key: 'webhookAuth',
		label: "n8n's Webhook node (Header Auth)",
		workflow: workflow(
			'benchWebhookAuth',
			'bench: Webhook (Header Auth)',
			webhookNode('6f2a1d3b-7c8e-4f9a-8b1c-2d3e4f5a6b7c', 'bench-webhook-auth', 'headerAuth'),
		),
		headers: { [HEADER]: SECRET },
	},
	{
		key: 'webhook',
		label: "n8n's Webhook node (no authentication)",
		workflow: workflow(
			'benchWebhookNone',
			'bench: Webhook (none)',
			webhookNode('7a3b2e4c-8d9f-4a0b-9c2d-3e4f5a6b7c8d', 'bench-webhook-none', 'none'),
		),
		headers: {},
	},
];

/** BENCH_TRIGGER_TARGETS=trigger (a comma list of keys) runs only those, e.g. to profile one. */
const TARGETS = ALL_TARGETS.filter((t) =>
	(process.env.BENCH_TRIGGER_TARGETS ?? 'trigger,webhookAuth,webhook').split(',').includes(t.key),
);

function urlOf(target, n8nUrl) {
	if (target.key === 'trigger') return callbacks.callbackProfile(target.workflow, n8nUrl).url;
	return `${n8nUrl}/webhook/${target.workflow.nodes[0].parameters.path}`;
}

/** The same callback for every target, only the message ID differs (same length). */
function callbackBody(target, n) {
	return JSON.stringify(
		incomingCallback({
			kind: 'text',
			businessNumber: harness.SANDBOX_ACCOUNT.numbers[0],
			text: 'Hi, has my order A-1001 shipped yet? It was due on Monday.',
			messageId: `wamid.BENCH${target.key.padEnd(12, '_')}${String(n).padStart(8, '0')}`,
		}),
	);
}

/** CPU milliseconds the process has used (user + system), from /proc. */
function cpuMs(pid) {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]);
	return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Waits until n8n uses under 3 ms of CPU in each of 3 consecutive 100 ms: its work is done. */
async function untilIdle(pid, timeoutMs = 60000) {
	const started = Date.now();
	let quiet = 0;
	let last = cpuMs(pid);
	while (quiet < 3) {
		await sleep(100);
		const now = cpuMs(pid);
		quiet = now - last < 3 ? quiet + 1 : 0;
		last = now;
		if (Date.now() - started > timeoutMs) break;
	}
	// The quiet samples themselves are no part of the batch.
	return { at: performance.now() - 300, cpu: last };
}

/** `count` callbacks to `target`, `IN_FLIGHT` at a time; the answers, checked. */
async function fire(agent, target, url, from, count) {
	let next = from;
	const failures = [];
	const one = async () => {
		while (next < from + count) {
			const n = next++;
			const response = await request(url, {
				method: 'POST',
				dispatcher: agent,
				headers: { 'content-type': 'application/json', ...target.headers },
				body: callbackBody(target, n),
			});
			const text = await response.body.text();
			if (response.statusCode !== 200) failures.push(`${response.statusCode} ${text}`);
			else if (target.key === 'trigger' && JSON.parse(text).started !== 1)
				failures.push(`not started: ${text}`);
		}
	};
	await Promise.all(Array.from({ length: IN_FLIGHT }, one));
	if (failures.length > 0)
		throw new Error(
			`${target.label}: ${failures.length} of ${count} callbacks failed, e.g. ${failures[0]}`,
		);
}

/** Until the published workflow's URL answers 200 (n8n registers webhooks after start-up). */
async function untilServed(agent, target, url) {
	const deadline = Date.now() + 60000;
	for (;;) {
		const response = await request(url, {
			method: 'POST',
			dispatcher: agent,
			headers: { 'content-type': 'application/json', ...target.headers },
			body: callbackBody(target, 99_999_999),
		});
		await response.body.dump();
		if (response.statusCode === 200) return;
		if (Date.now() > deadline)
			throw new Error(`${target.label}: ${url} still answers ${response.statusCode}`);
		await sleep(250);
	}
}

async function main() {
	const { step } = harness.createStepper((line) => process.stderr.write(`${line}\n`));
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-bench-trigger-'));
	const userFolder = path.join(tmp, 'n8n');
	let n8n;
	try {
		const [n8nRuntime, tgz] = await Promise.all([
			step('ensure n8n', () => runtime.ensureN8n()),
			step('npm run build && npm pack', () => harness.buildAndPack(path.join(tmp, 'pack'))),
		]);
		await step('install the package like the Community Nodes panel', () =>
			runtime.installPackage(userFolder, tgz),
		);
		const importDir = path.join(tmp, 'import');
		await fsp.mkdir(importDir, { recursive: true });
		const credentialsFile = path.join(importDir, 'credentials.json');
		const workflowsFile = path.join(importDir, 'workflows.json');
		await fsp.writeFile(
			credentialsFile,
			JSON.stringify([{ ...harness.CALLBACK_CREDENTIAL }, HEADER_AUTH]),
		);
		await fsp.writeFile(workflowsFile, JSON.stringify(TARGETS.map((t) => t.workflow)));
		await step('import the credentials and workflows, publish them', async () => {
			for (const args of [
				['import:credentials', `--input=${credentialsFile}`],
				['import:workflow', `--input=${workflowsFile}`],
			])
				harness.assertRan(await runtime.runN8n(args, { userFolder, env: N8N_ENV }));
			await callbacks.publishWorkflows(
				userFolder,
				TARGETS.map((t) => ({ id: t.workflow.id, file: t.workflow.name })),
				{ env: N8N_ENV },
			);
		});
		n8n = await step('n8n start', () => runtime.startN8n({ userFolder, env: N8N_ENV }));
		const pid = n8n.child.pid;
		const agent = new Agent({ connections: IN_FLIGHT, pipelining: 1 });
		const urls = new Map(TARGETS.map((t) => [t.key, urlOf(t, n8n.url)]));
		const totals = new Map(TARGETS.map((t) => [t.key, { answerMs: 0, idleMs: 0, cpuMs: 0 }]));
		await step(`warm up (${WARM_UP} callbacks each)`, async () => {
			for (const target of TARGETS) {
				await untilServed(agent, target, urls.get(target.key));
				await fire(agent, target, urls.get(target.key), 90_000_000, WARM_UP);
			}
			await untilIdle(pid);
		});
		const batch = Math.ceil(CALLBACKS / ROUNDS);
		await step(
			`${ROUNDS} rounds of ${batch} callbacks per target, ${IN_FLIGHT} in flight`,
			async () => {
				for (let round = 0; round < ROUNDS; round++) {
					const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length]);
					for (const target of order) {
						const before = await untilIdle(pid);
						const started = performance.now();
						await fire(agent, target, urls.get(target.key), round * batch, batch);
						const answered = performance.now();
						const after = await untilIdle(pid);
						const total = totals.get(target.key);
						total.answerMs += answered - started;
						total.idleMs += Math.max(after.at, answered) - started;
						total.cpuMs += after.cpu - before.cpu;
					}
				}
			},
		);
		await agent.close();
		const count = batch * ROUNDS;
		const rate = (key, field) => (count * 1000) / totals.get(key)[field];
		print(
			`# npm run bench:trigger (${new Date().toISOString()}, n8n ${n8nRuntime.version}, ${os.cpus().length} cores, load ${os
				.loadavg()
				.map((l) => l.toFixed(1))
				.join(' ')})`,
		);
		print();
		print(
			`${count} callbacks per target (~${callbackBody(TARGETS[0], 0).length} bytes each), ${ROUNDS} rounds in rotating order, ${IN_FLIGHT} in flight, each starter → No Operation, executions saved (SQLite).`,
		);
		print();
		print('| starter | answered/s | sustained/s | n8n CPU ms per callback |');
		print('|---|---|---|---|');
		for (const target of TARGETS) {
			const total = totals.get(target.key);
			print(
				`| ${target.label} | ${rate(target.key, 'answerMs').toFixed(0)} | ${rate(target.key, 'idleMs').toFixed(0)} | ${(total.cpuMs / count).toFixed(2)} |`,
			);
		}
		print();
		for (const other of TARGETS.filter((t) => t.key !== 'trigger' && totals.has('trigger'))) {
			print(
				`Trigger ÷ ${other.label}: answered ${(rate('trigger', 'answerMs') / rate(other.key, 'answerMs')).toFixed(2)}x, sustained ${(rate('trigger', 'idleMs') / rate(other.key, 'idleMs')).toFixed(2)}x, CPU per callback ${(totals.get('trigger').cpuMs / totals.get(other.key).cpuMs).toFixed(2)}x`,
			);
		}
	} finally {
		await n8n?.stop();
		if (process.env.BENCH_KEEP !== '1') await fsp.rm(tmp, { recursive: true, force: true });
		else process.stderr.write(`kept ${tmp}\n`);
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
