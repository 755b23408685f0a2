'use strict';
/**
 * npm run bench:faults — the node under faults, measured (not a test: it prints figures).
 *
 * 10,000 Send Text items (BENCH_FAULT_ITEMS) run in n8n's engine (test/helpers/engine.ts) against
 * the local Kaleyra sandbox with On Error → Continue, while 2 % (BENCH_FAULT_RATE) of the requests
 * meet an injected fault, spread over the run: 429 with Retry-After 0, Kaleyra's WA500, a reset
 * connection, a gateway's 502 HTML page, an empty 200, 50 ms of latency. Prints outputs vs inputs,
 * duplicates (messages the sandbox accepted twice for one item), accepted items vs messages the
 * sandbox received, failures by code and maybeSent, wall time and peak RSS.
 */
const path = require('node:path');

const { loadEngine } = require('./engine-loader');

const ROOT = path.join(__dirname, '..');
const ITEMS = Number(process.env.BENCH_FAULT_ITEMS ?? 10_000);
const RATE = Number(process.env.BENCH_FAULT_RATE ?? 0.02);
const SID = 'HXBENCH02';
const API_KEY = 'bench-faults-key';
const BUSINESS = '+919900000002';

const FAULTS = [
	{ kind: 'status', status: 429, retryAfter: 0 },
	{ kind: 'status', status: 500 },
	{ kind: 'reset' },
	{ kind: 'html', status: 502 },
	{ kind: 'empty', status: 200 },
	{ kind: 'latency', ms: 50 },
];

async function main() {
	const { startSandbox } = require(path.join(ROOT, 'sandbox'));
	const { runWorkflow, KaleyraWhatsApp, KaleyraWhatsAppApi } = loadEngine();

	const sandbox = await startSandbox({
		accounts: [{ sid: SID, apiKey: API_KEY, numbers: [BUSINESS] }],
	});
	const type = 'n8n-nodes-kaleyra-whatsapp.kaleyraWhatsApp';
	const node = {
		name: 'Kaleyra WhatsApp',
		type,
		typeVersion: 1,
		position: [440, 0],
		onError: 'continueRegularOutput',
		parameters: {
			resource: 'message',
			operation: 'sendText',
			businessNumber: BUSINESS,
			recipient: '={{ $json.phone }}',
			body: '={{ $json.text }}',
			previewUrl: false,
			options: { ref: '={{ $json.ref }}', messagesPerSecond: 1000 },
		},
		credentials: { kaleyraWhatsAppApi: { id: '1', name: 'Kaleyra' } },
	};
	const workflow = {
		nodes: [
			{ name: 'Items', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: {} },
			node,
		],
		connections: { Items: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
	};
	const items = Array.from({ length: ITEMS }, (_, i) => ({
		phone: `+9198${String(10_000_000 + i)}`,
		text: `Your order A-${i} has shipped`,
		ref: `A-${i}`,
	}));

	// Faults spread over the run: one is armed each time another 1/RATE requests have arrived.
	const every = Math.max(1, Math.round(1 / RATE));
	let armed = 0;
	const arm = setInterval(() => {
		while (
			armed < Math.floor(sandbox.requests.length / every) + 1 &&
			armed < Math.ceil(ITEMS * RATE)
		) {
			sandbox.fault({ match: { path: '/messages' }, ...FAULTS[armed % FAULTS.length] });
			armed++;
		}
	}, 2);

	const started = performance.now();
	const result = await runWorkflow({
		workflow,
		nodeTypes: { [type]: new KaleyraWhatsApp() },
		credentialTypes: [new KaleyraWhatsAppApi()],
		credentials: {
			kaleyraWhatsAppApi: { 1: { pod: 'custom', baseUrl: sandbox.url, sid: SID, apiKey: API_KEY } },
		},
		items,
	});
	const wallMs = performance.now() - started;
	clearInterval(arm);
	if (result.error) throw new Error(result.error.message);

	const outputs = result.output(node.name);
	const accepted = outputs.filter((item) => item.json.status === 'accepted').length;
	const perRef = new Map();
	for (const message of sandbox.messages) {
		const ref = message.payload?.extra_info?.ref;
		perRef.set(ref, (perRef.get(ref) ?? 0) + 1);
	}
	const duplicates = [...perRef.values()].filter((n) => n > 1).length;
	const paired = outputs.every((item, i) => item.pairedItem?.item === i);
	const failures = {};
	for (const item of outputs) {
		if (item.json.status === 'accepted') continue;
		const key =
			`${item.json.httpStatus ?? 'network'} ${item.json.code ?? ''} maybeSent=${item.json.maybeSent}`.replace(
				'  ',
				' ',
			);
		failures[key] = (failures[key] ?? 0) + 1;
	}
	const faulted = sandbox.requests.filter((r) => r.fault !== null && r.fault !== undefined).length;
	const lines = [
		`bench:faults — ${ITEMS} items, ${(RATE * 100).toFixed(1)} % faults armed (${armed}), ${faulted} requests met one`,
		`outputs vs inputs:        ${outputs.length} / ${ITEMS}${paired ? ' (each paired to its input, in order)' : ' (PAIRING BROKEN)'}`,
		`duplicates:               ${duplicates}`,
		`accepted vs received:     ${accepted} items accepted / ${sandbox.messages.length} messages the sandbox accepted`,
		`requests:                 ${sandbox.requests.length}`,
		`failures:                 ${JSON.stringify(failures)}`,
		`wall time:                ${(wallMs / 1000).toFixed(1)} s`,
		`peak RSS:                 ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	await sandbox.close();
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
