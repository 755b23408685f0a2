'use strict';
/**
 * What the demo, the dev server and the trigger's end-to-end suite need to wire the Kaleyra
 * sandbox to workflows that start from the Kaleyra WhatsApp Trigger: which examples those are,
 * the production URL and header their trigger expects (what a user enters in Kaleyra's callback
 * profile), and publishing them so that URL is live.
 */
const path = require('node:path');
const { request } = require('undici');
const runtime = require('./n8n-runtime');
const harness = require('./harness');

const TRIGGER_TYPE = `${runtime.PACKAGE_NAME}.kaleyraWhatsAppTrigger`;
/** The invoice photo save-invoice-photo.json's customer sends (base64). */
const INVOICE_PHOTO = Buffer.from(
	'\xff\xd8\xff\xe0\x00\x10JFIF\x00 invoice A-1001, total 1,180.00 INR \xff\xd9',
	'latin1',
).toString('base64');
/**
 * What the customer sends to each example that starts from the trigger (the sandbox posts it):
 * the demo shows the answer, the e2e suite asserts it (e2e/expectations.js).
 */
const CUSTOMER_MESSAGES = Object.freeze({
	'answer-incoming-message.json': {
		kind: 'text',
		text: 'Hi, has my order A-1001 shipped yet?',
		messageId: 'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAEhggQTNFQjRDMEFBNzNGQjdGMkY5RDM1RTBCQjVCMEY1QjcA',
	},
	'save-invoice-photo.json': {
		kind: 'image',
		caption: 'Invoice for order A-1001',
		// A photo's bytes as the sandbox keeps them behind media_url (a JPEG's first bytes, enough here).
		file: { data: INVOICE_PHOTO, mimeType: 'image/jpeg' },
		messageId: 'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAEhgUM0VCMDk4QTdDNkU1RDRDM0IyQTEA',
	},
	'route-button-reply.json': {
		kind: 'button',
		buttonId: 'yes',
		buttonTitle: 'Yes',
		question: 'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAERgSQjk1RkE3QzMwNkI1M0E2RTNBAA==',
		messageId: 'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAEhgUM0VCMDQ1QjQ2RDQ0RTk4QjJGNkYA',
	},
	'book-appointment-with-flow.json': {
		kind: 'flow',
		flowToken: 'booking-QjJGNkYA1001',
		response: { date: '2026-12-09', time: '10:30' },
		messageId: 'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAEhgUNkYxQTJCM0M0RDVFNkY3QTgA',
	},
});

/**
 * The examples that ask and wait (Message → Send and Wait for Reply), started by their Webhook's
 * production URL with `order`; the sandbox's customer then taps `tap`, and `answers`, the trigger
 * example published next to it, hands the tap over to the waiting execution. The demo shows the
 * run, the e2e suite asserts it (e2e/expectations.js).
 */
const ASKING_EXAMPLES = Object.freeze({
	'confirm-delivery-slot.json': {
		answers: 'send-and-wait-answers.json',
		order: { phone: '+919812345678', name: 'Asha', order: 'A-1001' },
		tap: 'Tomorrow 14-16',
	},
});

/**
 * Where save-invoice-photo.json writes the customer's file. n8n 2.x writes only below the folders
 * in N8N_RESTRICT_FILE_ACCESS_TO, so the demo and the e2e suite start n8n with this one allowed.
 */
const SAVED_FILES_FOLDER = '/tmp/whatsapp-invoices';

/** n8n's environment for that: the folder made (n8n resolves an allowed folder, so it must exist) and allowed. */
function savedFilesEnv() {
	require('node:fs').mkdirSync(SAVED_FILES_FOLDER, { recursive: true });
	return { N8N_RESTRICT_FILE_ACCESS_TO: SAVED_FILES_FOLDER };
}

/** The trigger's default header name (its Header Name field). */
const DEFAULT_HEADER = 'X-Kaleyra-Secret';

function triggerNode(workflow) {
	return workflow.nodes.find((node) => node.type === TRIGGER_TYPE && !node.disabled);
}

/** The examples (from harness.readExamples) that Kaleyra's callbacks start. */
function startedByCallbacks(examples) {
	return examples.filter((example) => triggerNode(example.workflow) !== undefined);
}

/** The examples (from harness.readExamples) that ask and wait (ASKING_EXAMPLES). */
function askingExamples(examples) {
	return examples.filter((example) => example.file in ASKING_EXAMPLES);
}

/** The executions of a workflow as n8n's editor lists them (logged-in `client`), oldest first. */
async function executionsOf(client, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { results } = await client.data('GET', `/rest/executions?filter=${filter}&limit=100`);
	return results.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Polls until the workflow's last execution has `status`; resolves that execution. */
async function lastExecution(client, workflowId, status, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const list = await executionsOf(client, workflowId);
		const last = list[list.length - 1];
		if (last?.status === status) return last;
		if (Date.now() > deadline)
			throw new Error(
				`workflow ${workflowId}: last execution is ${JSON.stringify(last)}, not ${status}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** An execution with its run data (n8n stores it flatted-encoded). */
async function executionRun(client, id) {
	const execution = await client.data('GET', `/rest/executions/${id}`);
	// n8n's own copy: the format is n8n's, and the repo does not depend on flatted.
	const flatted = require(path.join(runtime.runtimePaths().n8nDir, 'node_modules', 'flatted'));
	return { ...execution, data: flatted.parse(execution.data) };
}

/**
 * Plays an asking example (ASKING_EXAMPLES) in a running n8n where it and its trigger example are
 * published: posts the order to its Webhook, waits until the execution waits for the answer (the
 * question sent), lets the sandbox's customer tap, and waits until the execution has finished.
 * Resolves the question, the tap, and the finished execution with its run data.
 */
async function askAndTap({ sandbox, client, serverUrl, example, answering }) {
	const { order, tap } = ASKING_EXAMPLES[example.file];
	const webhook = example.workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	const profile = callbackProfile(answering.workflow, serverUrl);
	await waitUntilListening(profile.url);
	sandbox.configureCallbacks({ ...profile, statuses: false });
	const started = await request(`${serverUrl}/webhook/${webhook.parameters.path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(order),
	});
	await started.body.dump();
	if (started.statusCode !== 200)
		throw new Error(`${example.file}: its Webhook answered ${started.statusCode}`);
	const waiting = await lastExecution(client, example.id, 'waiting');
	const question = sandbox.messages[sandbox.messages.length - 1];
	const tapped = await sandbox.tap({ button: tap });
	const finished = await lastExecution(client, example.id, 'success');
	if (finished.id !== waiting.id)
		throw new Error(`${example.file}: execution ${finished.id} finished, not ${waiting.id}`);
	return { question, tapped, waiting, run: await executionRun(client, finished.id) };
}

function callbackCredentialData(trigger) {
	const chosen = trigger.credentials?.[harness.CALLBACK_CREDENTIAL.type];
	const imported = [harness.CALLBACK_CREDENTIAL, harness.CALLBACK_URL_CREDENTIAL].find(
		(credential) => credential.id === chosen?.id,
	);
	if (imported === undefined) {
		throw new Error(
			`trigger "${trigger.name}" (version ${trigger.typeVersion}) does not use a callback credential the harness imports ("${harness.CALLBACK_CREDENTIAL.name}", "${harness.CALLBACK_URL_CREDENTIAL.name}")`,
		);
	}
	return imported.data;
}

/** The callback profile for a workflow's trigger: its production URL on `n8nUrl` and its secret header. */
function callbackProfile(workflow, n8nUrl) {
	const trigger = triggerNode(workflow);
	if (!trigger)
		throw new Error(`workflow "${workflow.name}" does not start from the Kaleyra WhatsApp Trigger`);
	// Version 1.1 takes the settings from its callback credential (the harness imports it), version 1 from its own fields.
	const settings =
		trigger.typeVersion >= 1.1 ? callbackCredentialData(trigger) : trigger.parameters;
	const {
		authentication = 'secretHeader',
		headerName = DEFAULT_HEADER,
		secret,
		user,
		password,
		token,
	} = settings;
	const url = `${n8nUrl.replace(/\/+$/, '')}/webhook/${trigger.webhookId}/kaleyra`;
	if (authentication === 'secretInUrl')
		return { url: `${url}?token=${encodeURIComponent(token)}`, headers: {} };
	return authentication === 'basicAuth'
		? { url, basicAuth: `${user}:${password}` }
		: { url, headers: { [headerName]: secret } };
}

/** `n8n publish:workflow` for each (takes effect when n8n starts), so their production URLs answer. */
async function publishWorkflows(
	userFolder,
	workflows,
	{ env = {}, step = (_label, fn) => fn() } = {},
) {
	const runs = [];
	for (const { id, file } of workflows) {
		await step(`n8n publish:workflow ${file}`, async () => {
			runs.push(
				harness.assertRan(
					await runtime.runN8n(['publish:workflow', `--id=${id}`], { userFolder, env }),
				),
			);
		});
	}
	return runs;
}

/**
 * n8n answers its REST API before it has registered the active workflows' webhooks. Polls the
 * production URL without the secret until the trigger itself refuses it (401): registered, and
 * nothing started.
 */
async function waitUntilListening(url, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		// Without any secret (a Secret in URL token included): 401 means the trigger is listening.
		const response = await request(url.split('?')[0], {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		await response.body.dump();
		if (response.statusCode === 401) return;
		if (Date.now() > deadline)
			throw new Error(
				`${url} still answers ${response.statusCode}: is the workflow published (active)?`,
			);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * npm run dev: the sandbox posts its callbacks (and the statuses of every send) to the first
 * trigger example, as a number's Incoming URL would. Returns the lines telling the builder how to
 * play the customer.
 */
/** A customer message without the fixed IDs the e2e suite pins (a builder's post gets fresh ones). */
const pickShown = ({ messageId, question, ...shown }) => shown;

async function wireSandbox(sandbox, triggered, n8nUrl) {
	if (triggered.length === 0) return [];
	const profiles = triggered.map((example) => ({
		example,
		...callbackProfile(example.workflow, n8nUrl),
	}));
	for (const { url } of profiles) await waitUntilListening(url);
	const [first, ...others] = profiles;
	sandbox.configureCallbacks({
		url: first.url,
		headers: first.headers,
		basicAuth: first.basicAuth,
		statuses: true,
	});
	const post = (spec) =>
		`curl -s -X POST ${sandbox.url}/__sandbox/incoming -d '${JSON.stringify(spec)}'`;
	return [
		`  callbacks       the sandbox posts Kaleyra's callbacks to "${first.example.name}" (published),`,
		`                  ${first.url}, with its secret header, and sent/delivered/read after each send.`,
		`  be the customer ${post({ kind: 'text', text: 'Hi, has my order shipped?' })}`,
		...others
			.filter(({ example }) => CUSTOMER_MESSAGES[example.file] !== undefined)
			.map(
				({ example, url }) =>
					`                  ${post({ ...pickShown(CUSTOMER_MESSAGES[example.file]), url })}   (${example.name})`,
			),
		"                  then open the workflow's Executions tab; or: npm run sandbox -- customer --help",
	];
}

module.exports = {
	TRIGGER_TYPE,
	SAVED_FILES_FOLDER,
	savedFilesEnv,
	CUSTOMER_MESSAGES,
	ASKING_EXAMPLES,
	triggerNode,
	startedByCallbacks,
	askingExamples,
	executionsOf,
	lastExecution,
	executionRun,
	askAndTap,
	callbackProfile,
	publishWorkflows,
	waitUntilListening,
	wireSandbox,
};
