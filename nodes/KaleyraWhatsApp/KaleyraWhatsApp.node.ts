import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	NodeApiError,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { addressProperties, messageOptions } from './operations/common';
import { operations, operationsByValue } from './operations';
import type { KaleyraOperation, KaleyraRequest, ResolvedParameters } from './operations/types';
import type { KaleyraFailure } from './shared/errors';
import { toNodeApiError } from './shared/errors';
import { forEachItem, sendWithSafeRetries } from './shared/schedule';
import type { KaleyraAccount } from './shared/transport';
import { CREDENTIAL_TYPE, getAccount, sendRequest } from './shared/transport';
import { validateRequest } from './shared/validation';

function forOperation(operation: KaleyraOperation, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, resource: ['message'], operation: [operation.value] },
		},
	}));
}

const operationProperties = operations.flatMap((operation) =>
	forOperation(operation, [
		...addressProperties,
		...operation.properties,
		messageOptions(operation.value !== 'sendReplyButtons'),
	]),
);

type Prepared = { request: KaleyraRequest } | { error: NodeOperationError; json: IDataObject };

/** Resolves one item's fields (expressions included), builds its request and validates it. Sends nothing. */
function prepareItem(ctx: IExecuteFunctions, operation: KaleyraOperation, itemIndex: number): Prepared {
	const parameters: Record<string, unknown> = {};
	for (const name of new Set(['businessNumber', 'recipient', 'options', ...operation.properties.map((p) => p.name)])) {
		const fallback = name === 'options' ? {} : '';
		parameters[name] = ctx.getNodeParameter(name, itemIndex, fallback);
	}
	const request = operation.build(parameters as ResolvedParameters);
	const issues = validateRequest(operation, request);
	if (issues.length === 0) return { request };
	const [first, ...others] = issues;
	const more = others.map((issue) => `${issue.field}: ${issue.message}`).join(' ');
	const error = new NodeOperationError(ctx.getNode(), `${first.field}: ${first.message}`, {
		itemIndex,
		description: `Nothing was sent for item ${itemIndex + 1}.${more === '' ? '' : ` Also: ${more}`}`,
	});
	return {
		error,
		json: { error: error.message, description: error.description ?? null, code: 'INVALID_INPUT', field: first.field, httpStatus: null, retryable: false, maybeSent: false },
	};
}

function acceptedItem(request: KaleyraRequest, body: IDataObject, httpStatus: number): IDataObject {
	const data = body.data as IDataObject | IDataObject[] | undefined;
	const first = (Array.isArray(data) ? data[0] : data) ?? {};
	return {
		messageId: first.message_id ?? null,
		to: request.to,
		type: request.type,
		status: 'accepted',
		code: typeof body.code === 'string' ? body.code : null,
		httpStatus,
		...request.refs,
	};
}

function failedItem(request: KaleyraRequest, failure: KaleyraFailure, error: NodeApiError): IDataObject {
	return {
		error: error.message,
		description: error.description ?? null,
		code: failure.code,
		httpStatus: failure.httpStatus,
		retryable: failure.retryable,
		maybeSent: failure.maybeSent,
		...(Object.keys(failure.fieldErrors).length > 0 ? { fields: failure.fieldErrors } : {}),
		to: request.to,
		type: request.type,
		...request.refs,
	};
}

/**
 * A failed item for "On Error: Continue". n8n replaces the json of any item that carries `error`
 * with `{ error: message }` (WorkflowExecute.normalizeNodeErrors), which would drop code,
 * httpStatus, retryable and maybeSent, so the failure travels in the json only. n8n moves an item
 * without `error` to the error output only when its json has no keys but error, message and
 * details: there the rest goes under `details`, and n8n merges the input item in.
 */
function failureOutput(ctx: IExecuteFunctions, json: IDataObject, item: number): INodeExecutionData {
	if (ctx.getNode().onError !== 'continueErrorOutput') return { json, pairedItem: { item } };
	const { error, ...details } = json;
	return { json: { error, details }, pairedItem: { item } };
}

export class KaleyraWhatsApp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaleyra WhatsApp',
		name: 'kaleyraWhatsApp',
		icon: { light: 'file:../../icons/kaleyra.svg', dark: 'file:../../icons/kaleyra.dark.svg' },
		group: ['output'],
		version: 1,
		// A string literal, as n8n's scanner reads it: "sendReplyButtons" shows as "Send Reply Buttons", each operation's name.
		subtitle: '={{ $parameter["operation"].replace(/([A-Z])/g, " $1").replace(/^s/, "S") }}',
		description: 'Send WhatsApp text, replies, reactions, media and reply buttons through Kaleyra',
		defaults: { name: 'Kaleyra WhatsApp' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'message',
				options: [{ name: 'Message', value: 'message' }],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'sendText',
				displayOptions: { show: { resource: ['message'] } },
				options: operations.map(({ value, name, action, description }) => ({ value, name, action, description })),
			},
			...operationProperties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = operationsByValue[this.getNodeParameter('operation', 0) as string];
		const continueOnFail = this.continueOnFail();
		const output: INodeExecutionData[] = [];

		let account: KaleyraAccount;
		try {
			account = await getAccount(this);
		} catch (error) {
			const failure = error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
			if (!continueOnFail) throw failure;
			const json = {
				error: failure.message,
				description: failure.description ?? null,
				code: 'CREDENTIAL',
				httpStatus: null,
				retryable: false,
				maybeSent: false,
			};
			return [items.map((_, item) => failureOutput(this, json, item))];
		}

		// Every item is checked before the first is sent: a bad field in item 7 must not leave
		// items 1-6 sent and the rest not.
		const prepared = items.map((_, item) => prepareItem(this, operation, item));
		if (!continueOnFail) {
			const invalid = prepared.find((p): p is Extract<Prepared, { error: unknown }> => 'error' in p);
			if (invalid !== undefined) throw invalid.error;
		}

		let accepted = 0;
		await forEachItem(prepared.length, async (item) => {
			const current = prepared[item];
			if ('error' in current) {
				output.push(failureOutput(this, current.json, item));
				return;
			}
			const result = await sendWithSafeRetries(async () => await sendRequest(this, account, current.request));
			if (result.ok) {
				accepted++;
				output.push({ json: acceptedItem(current.request, result.body, result.httpStatus), pairedItem: { item } });
				return;
			}
			const note =
				!continueOnFail && accepted > 0
					? `The ${accepted} item(s) before this one were accepted by Kaleyra; running the whole workflow again would send them again.`
					: '';
			const error = toNodeApiError(this.getNode(), result.failure, item, note);
			if (!continueOnFail) throw error;
			output.push(failureOutput(this, failedItem(current.request, result.failure, error), item));
		});
		return [output];
	}
}
