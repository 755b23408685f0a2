#!/usr/bin/env node
'use strict';

/** Runs the Kaleyra sandbox in the foreground: `node sandbox/cli.js --help`. */

const { parseArgs } = require('node:util');
const { startSandbox, DEFAULT_ACCOUNT, isLoopback } = require('./index');
const { createCallbacks, KINDS, DEFAULT_CUSTOMER } = require('./customer');

const USAGE = `Usage: node sandbox/cli.js [options]
       node sandbox/cli.js customer <kind> [message options] --callback-url <url> [--callback-header "Name: value"]

A local Kaleyra WhatsApp API for development and tests (loopback only). With "customer" it posts
one message from the customer to a trigger (a Kaleyra incoming-message callback) and exits.

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

Callbacks (what Kaleyra posts to the number's Incoming URL / callback profile):
  --callback-url <url>       where to post them (http:// loopback only), e.g. the trigger's
                             http://localhost:5678/webhook/<id>/kaleyra
  --callback-header <h>      "Name: value", the profile's custom header; repeatable
  --callback-basic <u:p>     Basic auth user:password instead
  --statuses                 after each accepted send, post sent → delivered → read
  --template-statuses        when POST /__sandbox/template-status changes a template, post
                             Kaleyra's template status callback
  --outside-window <e164>    a customer whose 24-hour window is closed: free-form sends to
                             them get failed 131047 instead; repeatable

customer <kind>: ${KINDS.join(', ')}
  --text <t>  --caption <t>  --button-id <id>  --button-title <t>  --list-id <id>
  --list-title <t>  --react-to <wamid>  --emoji <e>  --question <wamid> (what a tap answers)
  --response <json> (flow: what the customer filled in)  --flow-token <t> (flow: the token sent)
  --from <e164> (default ${DEFAULT_CUSTOMER.number})  --name <n> (default ${DEFAULT_CUSTOMER.name})
  --number <e164> (your business number, default ${DEFAULT_ACCOUNT.numbers[0]})

  -h, --help        show this help`;

function fail(message) {
	process.stderr.write(`${message}\n\n${USAGE}\n`);
	process.exit(2);
}

let values;
let positionals;
try {
	({ values, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			port: { type: 'string', default: '8787' },
			host: { type: 'string', default: '127.0.0.1' },
			sid: { type: 'string', default: DEFAULT_ACCOUNT.sid },
			key: { type: 'string', default: DEFAULT_ACCOUNT.apiKey },
			number: { type: 'string', multiple: true, default: [...DEFAULT_ACCOUNT.numbers] },
			postpaid: { type: 'boolean', default: false },
			waba: { type: 'string', default: DEFAULT_ACCOUNT.wabaId },
			templates: { type: 'string' },
			'callback-url': { type: 'string' },
			'callback-header': { type: 'string', multiple: true, default: [] },
			'callback-basic': { type: 'string' },
			statuses: { type: 'boolean', default: false },
			'template-statuses': { type: 'boolean', default: false },
			'outside-window': { type: 'string', multiple: true, default: [] },
			text: { type: 'string' },
			caption: { type: 'string' },
			'button-id': { type: 'string' },
			'button-title': { type: 'string' },
			'list-id': { type: 'string' },
			'list-title': { type: 'string' },
			'react-to': { type: 'string' },
			emoji: { type: 'string' },
			question: { type: 'string' },
			response: { type: 'string' },
			'flow-token': { type: 'string' },
			from: { type: 'string' },
			name: { type: 'string' },
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
if (!Number.isInteger(port) || port < 0 || port > 65535)
	fail(`--port must be a port number, not ${values.port}`);

const time = () => new Date().toISOString().slice(11, 23);

const callbackSettings = () => ({
	url: values['callback-url'],
	headers: values['callback-header'],
	basicAuth: values['callback-basic'],
	statuses: values.statuses,
	templateStatuses: values['template-statuses'],
	outsideWindow: values['outside-window'],
});

/** `customer <kind>`: one incoming message, posted once; exit 0 when the receiver took it (2xx). */
async function postCustomerMessage(kind) {
	let response;
	try {
		response = values.response === undefined ? undefined : JSON.parse(values.response);
	} catch (error) {
		fail(`--response must be JSON, such as '{"date":"2026-12-09"}': ${error.message}`);
	}
	const callbacks = createCallbacks({ isLoopback, defaults: callbackSettings() });
	const posted = await callbacks.incoming({
		kind,
		businessNumber: values.number[0],
		from: values.from,
		name: values.name,
		text: values.text,
		caption: values.caption,
		buttonId: values['button-id'],
		buttonTitle: values['button-title'],
		listId: values['list-id'],
		listTitle: values['list-title'],
		reactTo: values['react-to'],
		emoji: values.emoji,
		question: values.question,
		response,
		flowToken: values['flow-token'],
	});
	process.stdout.write(
		`posted ${posted.kind} (message ID ${posted.messageId}) to ${posted.url}:\n${JSON.stringify(posted.payload, null, 2)}\n`,
	);
	if (posted.error) {
		process.stderr.write(`failed: ${posted.error}\n`);
		process.exit(1);
	}
	process.stdout.write(`answer: HTTP ${posted.status} ${JSON.stringify(posted.answer)}\n`);
	process.exit(posted.status >= 200 && posted.status < 300 ? 0 : 1);
}

async function main() {
	if (positionals[0] === 'customer') return postCustomerMessage(positionals[1] ?? 'text');
	if (positionals.length > 0) fail(`unknown command ${positionals[0]}`);
	const account = {
		sid: values.sid,
		apiKey: values.key,
		numbers: values.number,
		postpaid: values.postpaid,
		wabaId: values.waba,
	};
	const sandbox = await startSandbox({
		port,
		host: values.host,
		accounts: [account],
		callbacks: callbackSettings(),
		log: (line) => process.stdout.write(`${time()} ${line}\n`),
		onMessage: (message) =>
			process.stdout.write(`accepted message:\n${JSON.stringify(message, null, 2)}\n`),
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
			`  Callbacks: ${values['callback-url'] ? `${values['callback-url']}${values.statuses ? ', statuses after each send' : ''}` : 'none (--callback-url)'}`,
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
