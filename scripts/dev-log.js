'use strict';
/**
 * The dev terminal: n8n's output, line by line, prefixed `[n8n]` so it is told apart from the
 * package's own lines (`==>` steps, `[kaleyra sandbox]`, the banner). Lines that are n8n's routine
 * start-up or that only say this machine cannot reach n8n's servers are hidden (a newcomer reads
 * them as the package failing); the first hidden line of each kind is announced once.
 * `DEV_N8N_LOG=all` shows everything.
 */

/** [what is hidden, why, the lines]. */
const NOISE = [
	[
		'database migrations',
		'a new n8n database is being set up',
		[
			/^(Starting|Finished) migration /,
			/^Migrations in progress/,
			/^\[[A-Za-z]+\d{10,}\]/,
			/^Added workflow:publish scope/,
		],
	],
	[
		"n8n's own deprecation and task-runner notices",
		'they are about how n8n is configured here, not about the package',
		[
			/^There are deprecations related to your n8n setup/,
			/^ - N8N_[A-Z_]+ -> /,
			/^Failed to start Python task runner/,
		],
	],
	[
		'lines about reaching n8n.io (license, telemetry, versions, catalogues)',
		'this machine has no internet access; nothing in the package needs it',
		[
			/\[license SDK\]/i,
			/api\.n8n\.io|n8n\.cloud|telemetry|posthog|rudderstack/i,
			/ENOTFOUND|EAI_AGAIN|getaddrinfo/,
			// The node creator asks n8n's community catalogue for node types; offline, n8n logs this and a stack trace.
			/^Failed to fetch community node/,
		],
	],
	[
		'start-up database checks',
		'SQLite answers once it is open; n8n retries by itself',
		[/^Database ping failed/, /^503 Database is not ready!/, /^Database connection recovered/],
	],
];

function createN8nLogFilter({
	write = (text) => process.stdout.write(text),
	showAll = process.env.DEV_N8N_LOG === 'all',
	packageName = 'n8n-nodes-kaleyra-whatsapp',
} = {}) {
	const announced = new Set();
	const pending = { stdout: '', stderr: '' };
	// A hidden error is followed by its stack trace and fields, indented or closing a brace: hidden with it.
	let inHiddenBlock = false;

	function line(text) {
		if (text.trim() === '') return;
		if (inHiddenBlock && !showAll && !text.includes(packageName) && /^(\s|[}\]])/.test(text))
			return;
		inHiddenBlock = false;
		const noise =
			showAll || text.includes(packageName)
				? undefined
				: NOISE.find(([, , patterns]) => patterns.some((p) => p.test(text)));
		if (noise === undefined) return write(`[n8n] ${text}\n`);
		const [what, why] = noise;
		inHiddenBlock = true;
		if (announced.has(what)) return;
		announced.add(what);
		write(`[n8n] (hiding ${what}: ${why}; DEV_N8N_LOG=all npm run dev shows them)\n`);
	}

	/** Feed n8n's output as it comes (chunks need not end at a line break). */
	return function feed(chunk, stream = 'stdout') {
		const text = pending[stream] + chunk;
		const lines = text.split(/\r?\n/);
		pending[stream] = lines.pop();
		lines.forEach(line);
	};
}

module.exports = { createN8nLogFilter, NOISE };
