/**
 * A waiting execution from the engine harness, resumed the way n8n resumes one: a request to its
 * resume URL goes through what n8n's waiting-webhooks service does (the execution must be waiting,
 * the URL's signature must be this instance's HMAC over its path and query, the node must have a
 * restart webhook for the method), then the node's webhook() runs in n8n-core's WebhookContext over
 * the stored execution, and, when it returns items, the execution continues with them as the
 * node's output. The time limit passing is n8n's wait tracker running the execution again.
 */
import { createHmac } from 'node:crypto';

import { Container } from '@n8n/di';
import { InstanceSettings, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	SEND_AND_WAIT_OPERATION,
	type IDataObject,
	type INodeExecutionData,
	type IRun,
	type IWebhookData,
	type IWebhookDescription,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import type { RunWorkflowResult } from './engine';

export interface ResumeRequest {
	method: 'GET' | 'POST';
	url: string;
	body?: IDataObject;
	headers?: Record<string, string>;
}

/** What the caller of the resume URL gets back. */
export interface ResumeAnswer {
	status: number;
	body: unknown;
	headers: Record<string, string>;
	/** Whether the execution ran on from the waiting node. */
	resumed: boolean;
}

const WAITING_PATH = /^\/webhook-waiting\/([^/]+)\/([^/]+)$/;

export class WaitingExecution {
	run: IRun;

	constructor(private readonly first: RunWorkflowResult) {
		this.run = first.run;
	}

	get status() {
		return this.run.status;
	}

	get waitTill(): Date | undefined {
		return this.run.data.waitTill ?? undefined;
	}

	/** Items of the node's last run on its main output, after a resume too. */
	output(nodeName: string): INodeExecutionData[] {
		const runs = this.run.data.resultData.runData[nodeName] ?? [];
		return runs[runs.length - 1]?.data?.main?.[0] ?? [];
	}

	/** A request to a resume URL of this instance (n8n's /webhook-waiting/<execution>/<node>). */
	async call(request: ResumeRequest): Promise<ResumeAnswer> {
		const url = new URL(request.url);
		const answer: ResumeAnswer = { status: 200, body: undefined, headers: {}, resumed: false };
		const path = WAITING_PATH.exec(url.pathname);
		if (url.origin !== 'http://localhost:5678' || path === null)
			return { ...answer, status: 404, body: { message: 'not a waiting webhook' } };
		const [, executionId, nodeId] = path;
		const { workflow, additionalData, mode } = this.first;
		if (executionId !== additionalData.executionId)
			return {
				...answer,
				status: 404,
				body: { message: `The execution "${executionId}" does not exist.` },
			};
		const node = Object.values(workflow.nodes).find((candidate) => candidate.id === nodeId);
		const signature = url.searchParams.get('signature') ?? '';
		url.searchParams.delete('signature');
		if (node?.parameters.operation === SEND_AND_WAIT_OPERATION) {
			const expected = createHmac('sha256', Container.get(InstanceSettings).hmacSignatureSecret)
				.update(`${url.pathname}${url.search}`)
				.digest('hex');
			if (signature !== expected) return { ...answer, status: 401, body: 'form-invalid-token' };
		}
		// n8n renders its "no action required" page for a Send and Wait execution no longer waiting.
		if (this.run.status !== 'waiting')
			return { ...answer, status: 200, body: 'send-and-wait-no-action-required' };
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node!.type, node!.typeVersion);
		const description = (nodeType.description.webhooks ?? []).find(
			(webhook: IWebhookDescription) =>
				webhook.httpMethod === request.method && webhook.restartWebhook === true,
		);
		if (description === undefined || nodeType.webhook === undefined)
			return { ...answer, status: 404, body: { message: 'no waiting webhook for this method' } };

		const response = {
			status(code: number) {
				answer.status = code;
				return response;
			},
			setHeader(name: string, value: string) {
				answer.headers[name.toLowerCase()] = value;
				return response;
			},
			json(body: unknown) {
				answer.body = body;
				return response;
			},
			send(body: unknown) {
				answer.body = body;
				return response;
			},
		};
		const query: IDataObject = Object.fromEntries(url.searchParams.entries());
		query.signature = signature;
		const webhookData: IWebhookData = {
			httpMethod: request.method,
			node: node!.name,
			path: nodeId,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
		};
		const context = new WebhookContext(
			workflow,
			node!,
			{
				...additionalData,
				httpRequest: {
					method: request.method,
					body: request.body ?? {},
					query,
					headers: request.headers ?? {},
					params: {},
				},
				httpResponse: response,
			} as unknown as IWorkflowExecuteAdditionalData,
			mode,
			webhookData,
			[],
			this.run.data,
		);
		const result = await nodeType.webhook.call(context);
		if (result.noWebhookResponse === true) return answer;
		answer.body = result.webhookResponse ?? { message: 'Webhook call received' };
		if (result.workflowData === undefined) return answer;

		// What n8n does next: the node is not run again, its output is the webhook's items.
		const data = this.run.data;
		const stack = data.executionData!.nodeExecutionStack;
		stack[0].node.disabled = true;
		stack[0].data.main = result.workflowData;
		data.waitTill = undefined;
		data.resultData.runData[node!.name].pop();
		this.run = await new WorkflowExecute(additionalData, mode, data).processRunExecutionData(
			workflow,
		);
		return { ...answer, resumed: true };
	}

	/** The time limit passes: n8n's wait tracker runs the execution on from the waiting node. */
	async timeOut(): Promise<void> {
		const { workflow, additionalData, mode } = this.first;
		this.run = await new WorkflowExecute(
			additionalData,
			mode,
			this.run.data,
		).processRunExecutionData(workflow);
	}
}
