#!/usr/bin/env node
'use strict';

/** Runs the Kaleyra sandbox in the foreground: `node sandbox/cli.js --help`. */

const { parseArgs } = require('node:util');
const { startSandbox, DEFAULT_ACCOUNT } = require('./index');

const USAGE = `Usage: node sandbox/cli.js [options]

A local Kaleyra WhatsApp API for development and tests (loopback only).

Options:
  --port <n>        port to listen on (default 8787; 0 picks a free one)
  --host <addr>     loopback address to bind (default 127.0.0.1)
  --sid <sid>       account SID (default ${DEFAULT_ACCOUNT.sid})
  --key <key>       account API key (default ${DEFAULT_ACCOUNT.apiKey})
  --number <e164>   business number of the account; repeat for several
                    (default ${DEFAULT_ACCOUNT.numbers.join(', ')})
  --postpaid        mark the account postpaid (allows media upload)
  --waba <id>       WABA ID whose templates are listed (default ${DEFAULT_ACCOUNT.wabaId})
  --templates <f>   JSON file with templates (one object or an array, Meta's shape)
                    added to the seeded set; see sandbox/README.md
  -h, --help        show this help`;

function fail(message) {
	process.stderr.write(`${message}\n\n${USAGE}\n`);
	process.exit(2);
}

let values;
try {
	({ values } = parseArgs({
		options: {
			port: { type: 'string', default: '8787' },
			host: { type: 'string', default: '127.0.0.1' },
			sid: { type: 'string', default: DEFAULT_ACCOUNT.sid },
			key: { type: 'string', default: DEFAULT_ACCOUNT.apiKey },
			number: { type: 'string', multiple: true, default: [...DEFAULT_ACCOUNT.numbers] },
			postpaid: { type: 'boolean', default: false },
			waba: { type: 'string', default: DEFAULT_ACCOUNT.wabaId },
			templates: { type: 'string' },
			help: { type: 'boolean', short: 'h', default: false },
		},
	}));
} catch (error) {
	fail(error.message);
}
if (values.help) {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, not ${values.port}`);

const time = () => new Date().toISOString().slice(11, 23);

async function main() {
	const account = { sid: values.sid, apiKey: values.key, numbers: values.number, postpaid: values.postpaid, wabaId: values.waba };
	const sandbox = await startSandbox({
		port,
		host: values.host,
		accounts: [account],
		log: (line) => process.stdout.write(`${time()} ${line}\n`),
		onMessage: (message) => process.stdout.write(`accepted message:\n${JSON.stringify(message, null, 2)}\n`),
	});
	if (values.templates !== undefined) {
		const file = require('node:path').resolve(values.templates);
		sandbox.addTemplates(JSON.parse(require('node:fs').readFileSync(file, 'utf8')));
	}
	process.stdout.write(
		[
			`Kaleyra sandbox listening on ${sandbox.url}`,
			`  SID:      ${sandbox.accounts[0].sid}`,
			`  API key:  ${account.apiKey}`,
			`  Numbers:  ${sandbox.accounts[0].numbers.join(', ')}${account.postpaid ? ' (postpaid)' : ''}`,
			`  WABA ID:  ${account.wabaId} (${sandbox.templates.length} templates: ${sandbox.templates.map((t) => t.name).join(', ')})`,
			`  Admin:    ${sandbox.url}/__sandbox/health`,
			'Press Ctrl+C to stop.',
			'',
		].join('\n'),
	);

	const stop = (signal) => {
		process.stdout.write(`${signal}: stopping\n`);
		sandbox.close().then(() => process.stdout.write('stopped\n'));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
