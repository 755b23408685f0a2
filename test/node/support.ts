/**
 * Shared set-up for the node's tests: the real workflow fixtures in test/fixtures run in n8n-core's
 * engine (test/helpers/engine.ts), Kaleyra is played by nock, and every request Kaleyra receives is
 * recorded so tests can compare it exactly.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import nock from 'nock';
import {
	NodeConnectionTypes,
	type ICredentialTestRequest,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { KaleyraWhatsAppApi } from '../../credentials/KaleyraWhatsAppApi.credentials';
import { KaleyraWhatsApp } from '../../nodes/KaleyraWhatsApp/KaleyraWhatsApp.node';
import { runWorkflow, type RunWorkflowResult, type WorkflowFixture } from '../helpers/engine';

/** Distinctive, so that a scan for it cannot match anything by accident. */
export const API_KEY = 'kly-Z9q4-SECRET-7hW2xPn5';
export const SID = 'HXAP1600097IN';
export const BUSINESS_NUMBER = '+919845098450';
export const BUSINESS_DIGITS = '919845098450';
export const SEND_NODE = 'Send WhatsApp';
export const NODE_TYPE = 'n8n-nodes-kaleyra-whatsapp.kaleyraWhatsApp';

export type Pod = 'in' | 'sg' | 'eu' | 'na' | 'custom';

export interface Account {
	pod: Pod;
	baseUrl?: string;
	sid?: string;
	apiKey?: string;
}

/** The hosts docs/kaleyra-api.md gives for each pod; custom pods carry their own. */
export const POD_BASE_URLS: Record<Exclude<Pod, 'custom'>, string> = {
	in: 'https://api.in.kaleyra.io',
	sg: 'https://api.ap.kaleyra.io',
	eu: 'https://api.eu.kaleyra.io',
	na: 'https://api.na.kaleyra.ai',
};

/** Every pod the user can choose, with the base URL requests must go to. */
export const ACCOUNTS: Array<{ label: string; account: Account; baseUrl: string }> = [
	{ label: 'India pod', account: { pod: 'in' }, baseUrl: 'https://api.in.kaleyra.io' },
	{ label: 'Singapore pod', account: { pod: 'sg' }, baseUrl: 'https://api.ap.kaleyra.io' },
	{ label: 'Europe pod', account: { pod: 'eu' }, baseUrl: 'https://api.eu.kaleyra.io' },
	{ label: 'North America pod', account: { pod: 'na' }, baseUrl: 'https://api.na.kaleyra.ai' },
	{
		label: 'custom gateway https://gateway.example.com/kaleyra/',
		account: { pod: 'custom', baseUrl: 'https://gateway.example.com/kaleyra/' },
		baseUrl: 'https://gateway.example.com/kaleyra',
	},
	{
		label: 'local sandbox http://127.0.0.1:4010',
		account: { pod: 'custom', baseUrl: 'http://127.0.0.1:4010' },
		baseUrl: 'http://127.0.0.1:4010',
	},
];

export const INDIA: Account = { pod: 'in' };

export function v2Url(baseUrl: string, sid = SID, business = BUSINESS_DIGITS): string {
	return `${baseUrl}/v2/${sid}/whatsapp/${business}/messages`;
}

export function v1Url(baseUrl: string, sid = SID): string {
	return `${baseUrl}/v1/${sid}/messages`;
}

// ---- Fixtures ----------------------------------------------------------------------------------

const FIXTURES = path.join(__dirname, '..', 'fixtures');

export function loadFixture(name: string): WorkflowFixture {
	return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as WorkflowFixture;
}

/** The fixture with the Kaleyra node changed the way a user would change it in the editor. */
export function withNode(
	fixture: WorkflowFixture,
	change: { parameters?: IDataObject; onError?: INode['onError']; typeVersion?: number } = {},
): WorkflowFixture {
	const copy = structuredClone(fixture);
	const node = copy.nodes.find((n) => n.name === SEND_NODE);
	if (node === undefined) throw new Error(`fixture has no "${SEND_NODE}" node`);
	if (change.parameters !== undefined)
		node.parameters = { ...node.parameters, ...change.parameters } as INode['parameters'];
	if (change.onError !== undefined) node.onError = change.onError;
	if (change.typeVersion !== undefined) node.typeVersion = change.typeVersion;
	return copy;
}

/** The fixture with Options → Messages in Flight at 1: strictly one item after the other. */
export function oneAtATime(fixture: WorkflowFixture | string): WorkflowFixture {
	const copy = structuredClone(typeof fixture === 'string' ? loadFixture(fixture) : fixture);
	const node = copy.nodes.find((n) => n.name === SEND_NODE)!;
	node.parameters = {
		...node.parameters,
		options: { ...(node.parameters.options as IDataObject), messagesInFlight: 1 },
	};
	return copy;
}

// ---- Running -----------------------------------------------------------------------------------

/**
 * Everything a run produced that a user or an operator could read is scanned for the API key as it
 * is recorded; only the count and any text holding the key are kept (a long property run would
 * otherwise hold every run's output in memory).
 */
const seenByUsers = { texts: 0, withKey: [] as string[] };

function see(...texts: string[]): void {
	for (const text of texts) {
		seenByUsers.texts++;
		if (text.includes(API_KEY)) seenByUsers.withKey.push(text);
	}
}

function record(result: RunWorkflowResult): void {
	see(JSON.stringify(result.run), ...result.logs);
	if (result.error !== undefined)
		see(result.error.message, String(result.error.description ?? ''), JSON.stringify(result.error));
	for (const runs of Object.values(result.runData)) {
		for (const run of runs) {
			for (const output of run.data?.main ?? []) {
				for (const item of output ?? []) {
					see(JSON.stringify(item.json));
					if (item.error !== undefined)
						see(
							item.error.message,
							String(item.error.description ?? ''),
							JSON.stringify(item.error),
						);
				}
			}
			if (run.error !== undefined)
				see(JSON.stringify(run.error), String(run.error.description ?? ''));
		}
	}
}

export async function run(
	workflow: WorkflowFixture | string,
	items: IDataObject[],
	account: Account = INDIA,
): Promise<RunWorkflowResult> {
	const fixture = typeof workflow === 'string' ? loadFixture(workflow) : workflow;
	const result = await runWorkflow({
		workflow: fixture,
		nodeTypes: { [NODE_TYPE]: new KaleyraWhatsApp() },
		credentialTypes: [new KaleyraWhatsAppApi()],
		credentials: {
			kaleyraWhatsAppApi: {
				'1': { sid: SID, apiKey: API_KEY, ...account } as IDataObject as never,
			},
		},
		items,
	});
	record(result);
	return result;
}

/** What the tests compare: the item as n8n passes it on (json and pairing; the error, if any, separately). */
export function itemsOf(
	result: RunWorkflowResult,
	output = 0,
): Array<Pick<INodeExecutionData, 'json' | 'pairedItem'>> {
	return result.output(SEND_NODE, output).map(({ json, pairedItem }) => ({ json, pairedItem }));
}

// ---- Kaleyra, played by nock -------------------------------------------------------------------

export interface ReceivedRequest {
	method: string;
	url: string;
	headers: Record<string, string | undefined>;
	/** v2: the parsed JSON body. v1: the form fields as [name, value] pairs, in order. */
	body: unknown;
}

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

const HEADERS_OF_INTEREST = ['api-key', 'content-type', 'accept'];

/**
 * Kaleyra at `origin` answers the next requests with `replies`, in order (a reply may also be a
 * network error), and records each request it receives: method, full URL, the headers that matter,
 * and the body as sent (v2: parsed JSON; v1: the form fields as [name, value] pairs, in order).
 */
export function kaleyra(
	origin: string,
	replies: Array<Reply | { networkError: string }>,
	method: 'POST' | 'GET' = 'POST',
) {
	const received: ReceivedRequest[] = [];
	const { protocol, host } = new URL(origin);
	const scope = nock(`${protocol}//${host}`);
	for (const reply of replies) {
		const interceptor = scope.intercept(/.*/, method);
		if ('networkError' in reply) interceptor.replyWithError(networkError(reply.networkError));
		else
			interceptor.reply(
				reply.status,
				typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body),
				reply.headers,
			);
	}
	scope.on(
		'request',
		(
			req: { method: string; path: string; headers: Record<string, unknown> },
			_interceptor: unknown,
			body: string,
		) => {
			const headers: Record<string, string | undefined> = {};
			for (const name of HEADERS_OF_INTEREST)
				headers[name] = req.headers[name] === undefined ? undefined : String(req.headers[name]);
			const contentType = headers['content-type'] ?? '';
			const parsed = contentType.startsWith('application/x-www-form-urlencoded')
				? [...new URLSearchParams(body).entries()]
				: contentType.startsWith('application/json')
					? (JSON.parse(body) as unknown)
					: contentType.startsWith('multipart/form-data')
						? parseMultipart(body, contentType)
						: body;
			received.push({
				method: req.method,
				url: `${protocol}//${host}${req.path}`,
				headers,
				body: parsed,
			});
		},
	);
	return { scope, received };
}

export interface MultipartBody {
	fields: Array<[name: string, value: string]>;
	files: Array<{ field: string; fileName: string; contentType: string; bytes: Buffer }>;
}

/**
 * A multipart/form-data body as Kaleyra reads it. nock hands over a body that is not valid UTF-8
 * as hex; a multipart body as text always starts with its "--" boundary line.
 */
export function parseMultipart(body: string, contentType: string): MultipartBody {
	const raw = body.startsWith('--') ? Buffer.from(body, 'utf8') : Buffer.from(body, 'hex');
	const boundary = /boundary=([^;]+)/.exec(contentType)![1];
	const result: MultipartBody = { fields: [], files: [] };
	const delimiter = Buffer.from(`--${boundary}`);
	let start = raw.indexOf(delimiter) + delimiter.length;
	for (;;) {
		const end = raw.indexOf(delimiter, start);
		if (end === -1) break;
		const part = raw.subarray(start + 2, end - 2); // after the CRLF of the delimiter line, before the CRLF before the next
		const split = part.indexOf('\r\n\r\n');
		const head = part.subarray(0, split).toString('utf8');
		const content = part.subarray(split + 4);
		const name = /name="([^"]*)"/.exec(head)![1];
		const fileName = /filename="([^"]*)"/.exec(head)?.[1];
		if (fileName === undefined) result.fields.push([name, content.toString('utf8')]);
		else
			result.files.push({
				field: name,
				fileName,
				contentType: /content-type: *([^\r\n]+)/i.exec(head)?.[1] ?? '',
				bytes: Buffer.from(content),
			});
		start = end + delimiter.length;
	}
	return result;
}

/** What Node's http module reports when a connection fails with this code. */
function networkError(code: string): Error {
	const messages: Record<string, string> = {
		ECONNRESET: 'socket hang up',
		ECONNREFUSED: 'connect ECONNREFUSED',
	};
	return Object.assign(new Error(messages[code] ?? code), { code });
}

export const JSON_HEADERS = {
	'api-key': API_KEY,
	'content-type': 'application/json',
	accept: 'application/json',
};
export const FORM_HEADERS = {
	'api-key': API_KEY,
	'content-type': 'application/x-www-form-urlencoded',
	accept: 'application/json',
};

/** A v2 send body as docs/kaleyra-api.md §2 describes it. */
export function v2Body(
	to: string,
	type: string,
	message: IDataObject,
	extraInfo?: IDataObject,
): IDataObject {
	return {
		messaging_object: {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to,
			type,
			...message,
		},
		...(extraInfo === undefined ? {} : { extra_info: extraInfo }),
	};
}

/** The item n8n outputs for a v2 message Kaleyra accepted. */
export function acceptedItem(
	messageId: string,
	to: string,
	type: string,
	extra: IDataObject = {},
): IDataObject {
	return { messageId, to, type, status: 'accepted', code: 'WA202', httpStatus: 202, ...extra };
}

/** Kaleyra's v2 "accepted" answer. */
export function accepted(messageId: string): Reply {
	return {
		status: 202,
		body: {
			code: 'WA202',
			message: 'Request Accepted',
			data: { message_id: messageId },
			error: {},
		},
	};
}

/** Kaleyra's v1 reply-button "accepted" answer. */
export function acceptedV1(id: string, recipientDigits: string, body: string): Reply {
	return {
		status: 202,
		body: {
			id,
			type: 'reply',
			body,
			createdDateTime: '2026-11-21 06:00:00',
			totalCount: 1,
			data: [{ message_id: `${id}:0`, recipient: recipientDigits }],
			error: {},
		},
	};
}

/** Requests that reached no nock interceptor: with the network disabled they failed, but they were attempted. */
export const unexpectedRequests: string[] = [];

function noMatch(req: {
	method?: string;
	href?: string;
	path?: string;
	options?: { href?: string };
}): void {
	unexpectedRequests.push(
		`${req.method ?? '?'} ${req.href ?? req.options?.href ?? req.path ?? '?'}`,
	);
}

/**
 * No real network; after each test every scripted Kaleyra answer must have been used, and no
 * request may have gone anywhere else.
 */
export function setUpNock(): void {
	beforeAll(() => {
		nock.disableNetConnect();
		nock.emitter.on('no match', noMatch);
	});
	afterEach(() => {
		const pending = nock.pendingMocks();
		const unexpected = unexpectedRequests.splice(0);
		nock.cleanAll();
		expect(pending).toEqual([]);
		expect(unexpected).toEqual([]);
	});
	afterAll(() => {
		nock.emitter.removeListener('no match', noMatch);
		nock.enableNetConnect();
		// Each test file loads its own nock into the jest worker's one http module: switched off
		// here, it does not stay under the next file's requests as a second interceptor.
		nock.restore();
	});
}

/**
 * For a file whose requests go to a real local server (the sandbox, a faulty Kaleyra) and that
 * scripts no answer with nock: nock is off for it. Importing nock intercepts every request, also
 * those it lets through, on a MockHttpSocket that has no handle of its own, so each read on it
 * waits for a 'connect' that already came (net.Socket._read): the listeners piled up past ten on
 * a socket and set off MaxListenersExceededWarning in `npm test`.
 */
export function talkToARealServerWithoutNock(): void {
	// Not switched on again afterwards: the next file of this jest worker loads nock anew, which
	// switches it on; switching this file's copy on again would stack a second interceptor.
	beforeAll(() => nock.restore());
}

/**
 * The last test of a file: everything the file's runs showed a user (output items, errors with
 * their descriptions, the stored run data) and every log line is scanned for the API key.
 */
export function itKeepsTheApiKeyOutOfEverythingUsersSee(): void {
	it('keeps the API key out of every output item, error, description, run data and log line of these runs', () => {
		expect(seenByUsers.texts).toBeGreaterThan(0);
		expect(seenByUsers.withKey).toEqual([]);
	});
}

// ---- The credential's connection test ---------------------------------------------------------

const credential = new KaleyraWhatsAppApi();
const test = credential.test as ICredentialTestRequest;

/**
 * n8n's credential tester (packages/cli/src/services/credentials-tester.service.ts) runs
 * `test.request` as the routing request of a throwaway declarative node, through RoutingNode and
 * the credentials helper. The same here, inside the harness's engine.
 */
class CredentialTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Credential test',
		name: 'test.credentialTest',
		group: ['transform'],
		version: 1,
		description: 'Runs the credential test request',
		defaults: { name: 'Credential test' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kaleyraWhatsAppApi', required: true }],
		properties: [
			{
				displayName: 'Temp',
				name: 'temp',
				type: 'string',
				default: '',
				routing: { request: test.request },
			},
		],
	};
}

const credentialTestWorkflow: WorkflowFixture = {
	nodes: [
		{
			id: 'a',
			name: 'Start',
			type: 'test.items',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'b',
			name: 'Credential test',
			type: 'test.credentialTest',
			typeVersion: 1,
			position: [200, 0],
			parameters: {},
			credentials: { kaleyraWhatsAppApi: { id: '1', name: 'Kaleyra' } },
		},
	],
	connections: { Start: { main: [[{ node: 'Credential test', type: 'main', index: 0 }]] } },
};

export async function testConnection(account: Account): Promise<RunWorkflowResult> {
	const result = await runWorkflow({
		workflow: credentialTestWorkflow,
		nodeTypes: { 'test.credentialTest': new CredentialTestNode() },
		credentialTypes: [credential],
		credentials: {
			kaleyraWhatsAppApi: {
				'1': { sid: SID, apiKey: API_KEY, ...account } as IDataObject as never,
			},
		},
		items: [{}],
	});
	record(result);
	return result;
}

/** What the credential dialog shows, by the tester's rules: the first responseCode rule matching the status. */
export function verdict(result: RunWorkflowResult): { status: 'OK' | 'Error'; message: string } {
	if (result.error === undefined) return { status: 'OK', message: 'Connection successful!' };
	const httpCode = (result.error as { httpCode?: string | null }).httpCode;
	// No HTTP answer (the request was refused before sending): the tester shows the error's message.
	const status = Number(httpCode);
	if (!Number.isInteger(status)) return { status: 'Error', message: result.error.message };
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseCode' && rule.properties.value === status)
			return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'Error', message: `Received HTTP status code: ${status}` };
}

/** The test customers, the same in every story: an input item each (phone, name, order). */
export const ASHA = { phone: '+919811111111', name: 'Asha', orderId: 'A-1001' };
export const BEN = { phone: '+919822222222', name: 'Ben', orderId: 'A-1002' };
export const CHEN = { phone: '+919833333333', name: 'Chen', orderId: 'A-1003' };
