'use strict';
const fs = require('node:fs');
const runtime = require('../scripts/n8n-runtime');

/**
 * The end of an e2e suite, also after a failure: stops n8n, the sandbox and every n8n process
 * still running, removes the temporary folder (kept with E2E_KEEP=1), and prints the timings.
 */
async function tearDown({ server, sandbox, tmp }, { timings, print, startedAt }) {
	await server?.stop().catch(() => {});
	await sandbox?.close().catch(() => {});
	await runtime.stopAll();
	if (tmp) {
		if (process.env.E2E_KEEP) print(`kept ${tmp}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
	}
	print('timings:');
	for (const { label, ms } of timings) print(`  ${runtime.seconds(ms).padStart(8)}  ${label}`);
	print(`  ${runtime.seconds(Date.now() - startedAt).padStart(8)}  whole suite`);
}

module.exports = { tearDown };
