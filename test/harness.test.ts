import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import nock from 'nock';
import {
	NodeApiError,
	NodeConnectionTypes,
	type IAuthenticateGeneric,
	type ICredentialDataDecryptedObject,
	type IHttpRequestOptions,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

import { ITEMS_TRIGGER_TYPE, runWorkflow, type WorkflowFixture } from './helpers/engine';

// ---- Throwaway credential and node types -----------------------------------------------------

const API_KEY = 'sk-harness-3f9c2a7d1b';
const BASE_URL = 'https://api.example.test';

class TestApi implements ICredentialType {
	name = 'testApi';
	displayName = 'Test API';
	properties = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string' as const,
			default: 'https://default.example.test',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string' as const,
			typeOptions: { password: true },
			default: '',
		},
	];
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'api-key': '={{$credentials.apiKey}}' } },
	};
}

/** Same credential, but authenticating with a function instead of a generic block. */
class TestFnApi implements ICredentialType {
	name = 'testFnApi';
	displayName = 'Test API (function auth)';
	properties = new TestApi().properties;
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, authorization: `Key ${credentials.apiKey as string}` },
	});
}

/** Sends one message per input item, the way a real node does (per-item continueOnFail). */
class TestSend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Send',
		name: 'testSend',
		group: ['output'],
		version: 1,
		description: 'Sends a message (harness test only)',
		defaults: { name: 'Send' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'testApi', required: true, displayOptions: { show: { auth: ['generic'] } } },
			{ name: 'testFnApi', required: true, displayOptions: { show: { auth: ['function'] } } },
		],
		properties: [
			{
				displayName: 'Auth',
				name: 'auth',
				type: 'options',
				options: [
					{ name: 'Generic', value: 'generic' },
					{ name: 'Function', value: 'function' },
				],
				default: 'generic',
			},
			{ displayName: 'To', name: 'to', type: 'string', default: '', required: true },
			{ displayName: 'Text', name: 'text', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const credentialType =
			this.getNodeParameter('auth', 0) === 'function' ? 'testFnApi' : 'testApi';
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>(credentialType);
		const out: INodeExecutionData[] = [];
		this.logger.info(`Sending ${items.length} messages`, { node: this.getNode().name });
		for (let i = 0; i < items.length; i++) {
			try {
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					credentialType,
					{
						method: 'POST',
						baseURL: baseUrl,
						url: '/messages',
						body: { to: this.getNodeParameter('to', i), text: this.getNodeParameter('text', i) },
						json: true,
					},
				)) as IDataObject;
				out.push({ json: response, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: i });
			}
		}
		return [out];
	}
}

const nodeTypes = { 'test.send': new TestSend() };
const credentialTypes = [new TestApi(), new TestFnApi()];
const credentials = {
	testApi: { '1': { baseUrl: BASE_URL, apiKey: API_KEY } },
	testFnApi: { '2': { baseUrl: BASE_URL, apiKey: API_KEY } },
};

const people = [
	{ phone: '+911111111111', name: 'Asha', n: 1 },
	{ phone: '+912222222222', name: 'Ben', n: 2 },
	{ phone: '+913333333333', name: 'Chen', n: 3 },
];

function workflowWith(
	send: Partial<INode> = {},
	extraNodes: INode[] = [],
	errorTarget?: string,
): WorkflowFixture {
	return {
		name: 'Harness smoke',
		nodes: [
			{
				id: 'a',
				name: 'Items',
				type: ITEMS_TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b',
				name: 'Send',
				type: 'test.send',
				typeVersion: 1,
				position: [200, 0],
				parameters: { to: '={{ $json.phone }}', text: '=Hi {{ $json.name }}, #{{ $json.n + 1 }}' },
				credentials: { testApi: { id: '1', name: 'Test account' } },
				...send,
			},
			...extraNodes,
		],
		connections: {
			Items: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
			...(errorTarget
				? { Send: { main: [[], [{ node: errorTarget, type: 'main', index: 0 }]] } }
				: {}),
		},
		settings: { executionOrder: 'v1' },
	};
}

// Replies 200 to the 1st and 3rd message and 400 to the 2nd.
function mockSecondFails() {
	return nock(BASE_URL, { reqheaders: { 'api-key': API_KEY } })
		.post('/messages', { to: people[0].phone, text: 'Hi Asha, #2' })
		.reply(200, { id: 'm1' })
		.post('/messages', { to: people[1].phone, text: 'Hi Ben, #3' })
		.reply(400, { error: { message: 'invalid recipient' } })
		.post('/messages', { to: people[2].phone, text: 'Hi Chen, #4' })
		.reply(200, { id: 'm3' });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe('runWorkflow harness', () => {
	it('sends one authenticated request per item with expression-resolved bodies, pairing outputs in order', async () => {
		const scope = nock(BASE_URL, { reqheaders: { 'api-key': API_KEY } })
			.post('/messages', { to: '+911111111111', text: 'Hi Asha, #2' })
			.reply(200, { id: 'm1' })
			.post('/messages', { to: '+912222222222', text: 'Hi Ben, #3' })
			.reply(200, { id: 'm2' })
			.post('/messages', { to: '+913333333333', text: 'Hi Chen, #4' })
			.reply(200, { id: 'm3' });

		const result = await runWorkflow({
			workflow: workflowWith(),
			nodeTypes,
			credentialTypes,
			credentials,
			items: people,
		});
		scope.done();
		expect(result.error).toBeUndefined();
		expect(result.run.status).toBe('success');
		expect(result.output('Items').map((item) => item.json)).toEqual(people);
		const sent = result.output('Send');
		expect(sent.map((item) => item.json)).toEqual([{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }]);
		expect(sent.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);

		// Both the engine's LoggerProxy lines and the node's this.logger lines are recorded; the key never reaches them.
		expect(result.logs).toContain(
			'debug: Start executing node "Send" {"node":"Send","workflowId":"harness-workflow"}',
		);
		expect(result.logs).toContain('info: Sending 3 messages {"node":"Send"}');
		expect(result.logs.join('\n')).not.toContain(API_KEY);
	});

	it('stops the workflow and surfaces the node error when a request fails', async () => {
		const scope = nock(BASE_URL, { reqheaders: { 'api-key': API_KEY } })
			.post('/messages', { to: people[0].phone, text: 'Hi Asha, #2' })
			.reply(200, { id: 'm1' })
			.post('/messages', { to: people[1].phone, text: 'Hi Ben, #3' })
			.reply(400, { error: { message: 'invalid recipient' } });

		const result = await runWorkflow({
			workflow: workflowWith(),
			nodeTypes,
			credentialTypes,
			credentials,
			items: people,
		});

		scope.done();
		expect(result.run.status).toBe('error');
		expect(result.error).toBeDefined();
		// resultData.error is the serialized error (a plain object), as n8n stores it.
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			node: { name: 'Send' },
			httpCode: '400',
		});
		expect(result.error?.message).toMatch(/Bad request/i);
		expect(result.error?.description).toBe('invalid recipient');
		expect(result.runData.Send[0].error).toBeDefined();
		expect(result.output('Send')).toEqual([]);
		expect(result.logs.join('\n')).not.toContain(API_KEY);
	});

	it("with onError 'continueRegularOutput' turns the failure into an item on the main output", async () => {
		const scope = mockSecondFails();

		const result = await runWorkflow({
			workflow: workflowWith({ onError: 'continueRegularOutput' }),
			nodeTypes,
			credentialTypes,
			credentials,
			items: people,
		});

		scope.done();
		expect(result.error).toBeUndefined();
		const out = result.output('Send');
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toEqual({ id: 'm1' });
		expect(out[1].json).toEqual({ error: expect.stringMatching(/Bad request/i) });
		expect(out[2].json).toEqual({ id: 'm3' });
	});

	it('treats legacy continueOnFail: true like continueRegularOutput', async () => {
		const scope = mockSecondFails();
		const result = await runWorkflow({
			workflow: workflowWith({ continueOnFail: true }),
			nodeTypes,
			credentialTypes,
			credentials,
			items: people,
		});
		scope.done();
		expect(result.error).toBeUndefined();
		expect(result.output('Send')[1].json.error).toMatch(/Bad request/i);
	});

	it("with onError 'continueErrorOutput' routes the failed item to output 1 and on to the error branch", async () => {
		const scope = mockSecondFails();
		const errorBranch: INode = {
			id: 'c',
			name: 'On Error',
			type: 'test.noop',
			typeVersion: 1,
			position: [400, 100],
			parameters: {},
		};
		const noop: INodeType = {
			description: {
				displayName: 'No-op',
				name: 'test.noop',
				group: ['transform'],
				version: 1,
				description: '',
				defaults: { name: 'No-op' },
				inputs: [NodeConnectionTypes.Main],
				outputs: [NodeConnectionTypes.Main],
				properties: [],
			},
			async execute(this: IExecuteFunctions) {
				return [this.getInputData()];
			},
		};

		const result = await runWorkflow({
			workflow: workflowWith({ onError: 'continueErrorOutput' }, [errorBranch], 'On Error'),
			nodeTypes: { ...nodeTypes, 'test.noop': noop },
			credentialTypes,
			credentials,
			items: people,
		});

		scope.done();
		expect(result.error).toBeUndefined();
		expect(result.output('Send', 0).map((item) => item.json)).toEqual([{ id: 'm1' }, { id: 'm3' }]);
		expect(result.output('Send', 0).map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 2 },
		]);
		const failed = result.output('Send', 1);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		// n8n merges the paired input item into error-output items.
		expect(failed[0].json).toMatchObject({
			...people[1],
			error: expect.stringMatching(/Bad request/i),
		});
		expect(result.output('On Error').map((item) => item.json.phone)).toEqual([people[1].phone]);
	});

	it('applies a function authenticate, credential defaults, and reads a JSON fixture file with items in the trigger parameter', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'harness-fixture-'));
		try {
			const fixture = workflowWith({
				parameters: { auth: 'function', to: '={{ $json.phone }}', text: '={{ $json.x + 1 }}' },
				credentials: { testFnApi: { id: '2', name: 'Fn account' } },
			});
			fixture.nodes[0].parameters = { items: JSON.stringify([{ phone: '+1', x: 41 }]) };
			const file = path.join(dir, 'workflow.json');
			writeFileSync(file, JSON.stringify(fixture));

			const scope = nock('https://default.example.test', {
				reqheaders: { authorization: `Key ${API_KEY}` },
			})
				.post('/messages', { to: '+1', text: 42 }) // a whole-value expression keeps its type
				.reply(200, { ok: true });

			const result = await runWorkflow({
				workflow: file,
				nodeTypes,
				credentialTypes,
				credentials: { testFnApi: { '2': { apiKey: API_KEY } } },
			});

			scope.done();
			expect(result.error).toBeUndefined();
			expect(result.output('Send').map((item) => item.json)).toEqual([{ ok: true }]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('fails the run with a clear error when the credential id is unknown', async () => {
		const result = await runWorkflow({
			workflow: workflowWith({ credentials: { testApi: { id: '99', name: 'Missing' } } }),
			nodeTypes,
			credentialTypes,
			credentials,
			items: people,
		});
		expect(result.error?.message).toMatch(
			/Credential with ID "99" does not exist for type "testApi"/,
		);
	});
});
