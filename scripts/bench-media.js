'use strict';
/**
 * npm run bench:media: how much memory a batch of binary files costs the node, measured, printed.
 * Not a test: nothing here fails because the machine is slow or busy.
 *
 * Engine level (n8n-core's WorkflowExecute, in a fresh process per batch size), Send Media from
 * Binary Data against the local sandbox (uploads included), each item carrying a 1 MB PDF. n8n
 * keeps the input's files in memory as base64 text (the heap); the node's own copies are Buffers,
 * which Node counts as `arrayBuffers`. The table shows the peak of that figure while the node runs
 * (sampled every 10 ms after a garbage collection, so it is what the run still holds), above what
 * the process held before, next to the total size of the files: the node reads each
 * file to check it and again just before its upload, so the peak follows the messages in flight,
 * not the batch.
 *
 *   npm run bench:media     (BENCH_MEDIA_ITEMS=50,200 BENCH_MEDIA_MB=1 BENCH_MEDIA_IN_FLIGHT=20)
 */
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const { loadEngine, runScript } = require('./engine-loader');

const ROOT = path.resolve(__dirname, '..');
const SIZES = (process.env.BENCH_MEDIA_ITEMS ?? '50,200').split(',').map(Number);
const FILE_MB = Number(process.env.BENCH_MEDIA_MB ?? 1);
const IN_FLIGHT = Number(process.env.BENCH_MEDIA_IN_FLIGHT ?? 20);
const SID = 'HXBENCH01';
const NUMBER = '+919900000001';
const MB = 1024 * 1024;

const print = (line = '') => process.stdout.write(`${line}\n`);

/** A PDF of `bytes` bytes (a header, then filler), the same for every item: the content does not matter here. */
function pdfOf(bytes) {
	const pdf = Buffer.alloc(bytes, 0x20);
	pdf.write('%PDF-1.4\n', 0, 'latin1');
	pdf.write('\n%%EOF\n', bytes - 7, 'latin1');
	return pdf;
}

/** In the child: one batch through the engine harness, sampling the process's Buffer memory. */
async function child(count, sandboxUrl, apiKey) {
	const { runWorkflow, KaleyraWhatsApp, KaleyraWhatsAppApi } = loadEngine();
	const type = 'n8n-nodes-kaleyra-whatsapp.kaleyraWhatsApp';
	const node = {
		name: 'Kaleyra WhatsApp',
		type,
		typeVersion: 1.1,
		position: [200, 0],
		parameters: {
			resource: 'message',
			operation: 'sendMedia',
			businessNumber: NUMBER,
			recipient: '={{ $json.phone }}',
			mediaType: 'document',
			mediaSource: 'binary',
			binaryPropertyName: 'data',
			caption: '',
			fileName: '',
			options: { messagesInFlight: IN_FLIGHT, messagesPerSecond: 1000 },
		},
		credentials: { kaleyraWhatsAppApi: { id: '1', name: 'Kaleyra' } },
	};
	const base64 = pdfOf(FILE_MB * MB).toString('base64');
	const items = (n) =>
		Array.from({ length: n }, (_, i) => ({
			phone: `+9198${String(10_000_000 + i)}`,
			$binary: {
				data: { data: base64, mimeType: 'application/pdf', fileName: `invoice-${i}.pdf` },
			},
		}));
	const go = async (n) => {
		const result = await runWorkflow({
			workflow: {
				nodes: [
					{ name: 'Items', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: {} },
					node,
				],
				connections: { Items: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
			},
			nodeTypes: { [type]: new KaleyraWhatsApp() },
			credentialTypes: [new KaleyraWhatsAppApi()],
			credentials: {
				kaleyraWhatsAppApi: { 1: { pod: 'custom', baseUrl: sandboxUrl, sid: SID, apiKey } },
			},
			items: items(n),
		});
		if (result.error) throw new Error(result.error.message);
		return result.output(node.name).filter((item) => item.json.status === 'accepted').length;
	};
	await go(5); // module loading, JIT, connection pool
	global.gc();
	const before = process.memoryUsage().arrayBuffers;
	let peak = before;
	// A collection before each sample, so the figure is what the run still holds, not garbage the
	// collector has not reached yet.
	const sampler = setInterval(() => {
		global.gc();
		peak = Math.max(peak, process.memoryUsage().arrayBuffers);
	}, 10);
	const started = performance.now();
	const accepted = await go(count);
	const wallMs = performance.now() - started;
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().arrayBuffers);
	process.stdout.write(
		`${JSON.stringify({ accepted, wallMs, peakExtraBytes: peak - before, maxRssKb: process.resourceUsage().maxRSS })}\n`,
	);
}

function runChild(count, sandboxUrl, apiKey) {
	return new Promise((resolve, reject) => {
		const proc = spawn(
			process.execPath,
			['--expose-gc', __filename, '--child', String(count), sandboxUrl, apiKey],
			{
				cwd: ROOT,
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		let out = '';
		proc.stdout.on('data', (chunk) => (out += chunk));
		proc.on('error', reject);
		proc.on('close', (code) => {
			const line = out.trim().split('\n').pop();
			if (code !== 0 || !line?.startsWith('{'))
				reject(
					new Error(`bench child for ${count} items failed (exit ${code}): ${out.slice(-2000)}`),
				);
			else resolve(JSON.parse(line));
		});
	});
}

async function main() {
	const { startSandbox } = require(path.join(ROOT, 'sandbox'));
	const apiKey = `bench-${Date.now()}`;
	const sandbox = await startSandbox({
		accounts: [{ sid: SID, apiKey, numbers: [NUMBER], postpaid: true }],
	});
	try {
		print(
			`# npm run bench:media (${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.versions.node})`,
		);
		print();
		print(
			`Send Media from Binary Data, ${FILE_MB} MB PDF per item, ${IN_FLIGHT} messages in flight, sandbox on this machine.`,
		);
		print();
		print(
			"| items | files in the batch | node's peak Buffer memory | peak ÷ files | peak ÷ one file | wall s | accepted |",
		);
		print('|---|---|---|---|---|---|---|');
		for (const count of SIZES) {
			sandbox.reset();
			const r = await runChild(count, sandbox.url, apiKey);
			const files = count * FILE_MB * MB;
			print(
				`| ${count} | ${(files / MB).toFixed(0)} MB | ${(r.peakExtraBytes / MB).toFixed(1)} MB | ${(r.peakExtraBytes / files).toFixed(2)} | ${(r.peakExtraBytes / (FILE_MB * MB)).toFixed(1)} | ${(r.wallMs / 1000).toFixed(1)} | ${r.accepted}/${count} |`,
			);
		}
		print();
		print(
			'Reading every file before the first send and keeping it until its upload would hold the whole batch: peak ÷ files near 1 or more.',
		);
	} finally {
		await sandbox.close();
	}
}

runScript(
	main,
	async (count, sandboxUrl, apiKey) => await child(Number(count), sandboxUrl, apiKey),
);
