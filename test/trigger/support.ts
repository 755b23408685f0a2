/**
 * Calls the trigger the way n8n's webhook server does: n8n-core's own WebhookContext (parameters,
 * expressions, headers, query, the response object) around a request, and HookContext for
 * activation. Only the HTTP request and response are stand-ins, recording what the trigger answers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, WebhookContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { KaleyraWhatsAppApi } from '../../credentials/KaleyraWhatsAppApi.credentials';
import { KaleyraWhatsAppCallbackApi } from '../../credentials/KaleyraWhatsAppCallbackApi.credentials';
import { KaleyraWhatsAppTrigger } from '../../nodes/KaleyraWhatsAppTrigger/KaleyraWhatsAppTrigger.node';
import { TestCredentialsHelper } from '../helpers/credentials-helper';

const CALLBACK_CREDENTIAL = 'kaleyraWhatsAppCallbackApi';
const API_CREDENTIAL = 'kaleyraWhatsAppApi';

export const TRIGGER_TYPE = 'n8n-nodes-kaleyra-whatsapp.kaleyraWhatsAppTrigger';
/** Distinctive, so a scan of answers and logs for it cannot match by accident. */
export const SECRET = 'kly-cb-9Qm2-SECRET-x7Lp4Wz';
export const INCOMING_ONLY = [
	'text',
	'media',
	'location',
	'contacts',
	'buttonReply',
	'listReply',
	'quickReply',
	'reaction',
	'flowReply',
	'otherMessage',
];
export const EVERYTHING = [
	...INCOMING_ONLY,
	'sent',
	'delivered',
	'read',
	'failed',
	'notSent',
	'notice',
];

const trigger = new KaleyraWhatsAppTrigger();

const nodeTypes: INodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: (_type: string, version?: number): INodeType =>
		NodeHelpers.getVersionedNodeType(trigger, version),
	getKnownTypes: () => ({}),
};

export interface CallbackRequest {
	method?: 'POST' | 'GET';
	body?: unknown;
	query?: IDataObject;
	headers?: Record<string, string>;
}

export interface TriggerAnswer {
	/** What n8n would start the workflow with: the items, or undefined when nothing starts. */
	items: IDataObject[] | undefined;
	/** Set when the trigger answered itself (401); otherwise n8n answers with `webhookResponse`. */
	status: number | undefined;
	headers: Record<string, string>;
	body: unknown;
	result: IWebhookResponseData;
}

let workflowCounter = 0;

/** One trigger node in its own workflow: each has its own memory of callbacks already seen. */
export class TriggerUnderTest {
	readonly node: INode;
	readonly workflow: Workflow;

	private readonly credentialsHelper: TestCredentialsHelper;

	/**
	 * Version 1 (the default here, as saved by the first release) takes the secret from its own
	 * fields; version 1.1 from the Kaleyra WhatsApp Callback API credential given as `callback`
	 * (none: the node has no credential chosen).
	 */
	constructor(
		parameters: IDataObject = {},
		{
			version = 1,
			callback,
			api,
		}: { version?: number; callback?: IDataObject; api?: IDataObject } = {},
	) {
		workflowCounter += 1;
		this.node = {
			id: `trigger-${workflowCounter}`,
			name: 'Kaleyra WhatsApp Trigger',
			type: TRIGGER_TYPE,
			typeVersion: version,
			position: [0, 0],
			webhookId: `hook-${workflowCounter}`,
			// The tests' parameters are plain data; n8n's parameter type is a narrower union of the same.
			parameters: (version < 1.1
				? { headerName: 'X-Kaleyra-Secret', secret: SECRET, ...parameters }
				: parameters) as INodeParameters,
			credentials: {
				...(callback === undefined
					? {}
					: { [CALLBACK_CREDENTIAL]: { id: 'callback-1', name: 'Kaleyra callback' } }),
				// The optional account credential (Download Media sends its key to the account's own host).
				...(api === undefined
					? {}
					: { [API_CREDENTIAL]: { id: 'api-1', name: 'Kaleyra account' } }),
			},
		};
		this.credentialsHelper = new TestCredentialsHelper(
			[new KaleyraWhatsAppCallbackApi(), new KaleyraWhatsAppApi()],
			{
				[CALLBACK_CREDENTIAL]:
					callback === undefined
						? {}
						: { 'callback-1': callback as ICredentialDataDecryptedObject },
				[API_CREDENTIAL]:
					api === undefined ? {} : { 'api-1': api as ICredentialDataDecryptedObject },
			},
		);
		this.workflow = new Workflow({
			id: `workflow-${workflowCounter}`,
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
		});
	}

	private webhookData(name: 'default' | 'setup'): IWebhookData {
		const description = trigger.description.webhooks!.find((webhook) => webhook.name === name)!;
		return {
			httpMethod: description.httpMethod as 'POST' | 'GET',
			node: this.node.name,
			path: `${this.node.webhookId}/kaleyra`,
			webhookDescription: description,
			workflowId: this.workflow.id,
			workflowExecuteAdditionalData: {} as IWorkflowExecuteAdditionalData,
		};
	}

	/** A callback reaching the production URL (mode 'webhook') or, with mode 'manual', the test URL. */
	async receive(
		request: CallbackRequest,
		mode: WorkflowExecuteMode = 'webhook',
	): Promise<TriggerAnswer> {
		const method = request.method ?? 'POST';
		const answer: Omit<TriggerAnswer, 'items' | 'result'> = {
			status: undefined,
			headers: {},
			body: undefined,
		};
		const response = {
			setHeader(name: string, value: string) {
				answer.headers[name.toLowerCase()] = value;
				return response;
			},
			status(code: number) {
				answer.status = code;
				return response;
			},
			json(body: unknown) {
				answer.body = body;
				return response;
			},
		};
		const additionalData = {
			httpRequest: {
				method,
				body: request.body ?? {},
				query: request.query ?? {},
				headers: Object.fromEntries(
					Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
				),
				params: {},
			},
			httpResponse: response,
			credentialsHelper: this.credentialsHelper,
			webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		} as unknown as IWorkflowExecuteAdditionalData;
		const context = new WebhookContext(
			this.workflow,
			this.node,
			additionalData,
			mode,
			this.webhookData(method === 'GET' ? 'setup' : 'default'),
			[],
			null,
		);
		const result = await trigger.webhook.call(context);
		if (answer.status === undefined) answer.body = result.webhookResponse;
		return { ...answer, items: result.workflowData?.[0].map((item) => item.json), result };
	}

	/** What n8n does on activation and on "Listen for test event": check, then create the webhook. */
	async activate(): Promise<void> {
		const additionalData = {
			credentialsHelper: this.credentialsHelper,
		} as unknown as IWorkflowExecuteAdditionalData;
		const context = new HookContext(
			this.workflow,
			this.node,
			additionalData,
			'webhook',
			'activate',
			this.webhookData('default'),
		);
		const methods = trigger.webhookMethods.default;
		if (!(await methods.checkExists.call(context))) await methods.create.call(context);
	}
}

export const withSecret = (headers: Record<string, string> = {}) => ({
	'X-Kaleyra-Secret': SECRET,
	...headers,
});

/** The trigger behind a real HTTP server, answering as n8n would. */
export async function serveTrigger(trigger: TriggerUnderTest) {
	const items: Array<Record<string, unknown>> = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', async () => {
			const headers = Object.fromEntries(
				Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
			);
			const answer = await trigger.receive({
				body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
				headers,
			});
			items.push(...(answer.items ?? []));
			res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(answer.body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/hook/kaleyra`;
	return { url, items, close: () => new Promise((resolve) => server.close(resolve)) };
}
