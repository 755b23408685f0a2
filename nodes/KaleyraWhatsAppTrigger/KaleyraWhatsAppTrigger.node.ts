import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { isAuthorized, settingsProblem, type CallbackAuthentication } from './authentication';
import { callbackItems, eventKindOf, onceKey, type EventKind } from './callbacks';
import { triggerProperties } from './description';
import { seenCallbacks } from './once';

function authenticationSettings(ctx: IHookFunctions | IWebhookFunctions): CallbackAuthentication {
	const read = (name: string) => String(ctx.getNodeParameter(name, '') ?? '');
	if (read('authentication') === 'basicAuth') {
		return { kind: 'basicAuth', user: read('user'), password: read('password') };
	}
	return { kind: 'secretHeader', headerName: read('headerName').trim(), secret: read('secret') };
}

export class KaleyraWhatsAppTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaleyra WhatsApp Trigger',
		name: 'kaleyraWhatsAppTrigger',
		icon: { light: 'file:../../icons/kaleyra.svg', dark: 'file:../../icons/kaleyra.dark.svg' },
		group: ['trigger'],
		version: 1,
		// Says at a glance whether statuses start it too (each sent message can start three runs).
		subtitle:
			'={{ ["sent", "delivered", "read", "failed", "notSent"].some((status) => ($parameter["events"] || []).includes(status)) ? "Messages and statuses" : "Incoming messages" }}',
		description: 'Starts the workflow when a customer writes, taps a button or a message you sent changes status',
		defaults: { name: 'Kaleyra WhatsApp Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// The account the trigger belongs to. Callbacks are proven by the secret, not by the API key,
		// so receiving them does not need it; downloading inbound media will.
		credentials: [{ name: 'kaleyraWhatsAppApi', required: false }],
		webhooks: [
			// An empty responseData makes n8n answer with webhook()'s summary (received, started, …).
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'kaleyra' },
			// v1 status callbacks and quality/limit notices arrive as a GET with a query.
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', responseData: '', path: 'kaleyra' },
		],
		properties: triggerProperties,
	};

	/**
	 * Kaleyra has no API to point a number at a URL (that is done in its console), so there is
	 * nothing to register: activation, and "Listen for test event", only check the settings, so
	 * that a missing secret fails there with the field to fix instead of refusing every callback.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const problem = settingsProblem(authenticationSettings(this));
				if (problem !== undefined) throw new NodeOperationError(this.getNode(), problem);
				if ((this.getNodeParameter('events', []) as string[]).length === 0) {
					throw new NodeOperationError(this.getNode(), 'Events: choose at least one kind of callback to start on');
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const receivedAt = new Date();
		const response = this.getResponseObject();
		const auth = authenticationSettings(this);
		if (!isAuthorized(this.getHeaderData(), auth)) {
			// The answer says what failed, never what was expected.
			if (auth.kind === 'basicAuth') response.setHeader('WWW-Authenticate', 'Basic realm="Kaleyra WhatsApp Trigger"');
			response.status(401).json({ code: 401, message: 'Unauthorized: this callback is not from your Kaleyra callback profile' });
			return { noWebhookResponse: true };
		}

		const events = new Set(this.getNodeParameter('events', []) as EventKind[]);
		const payload = this.getWebhookName() === 'setup' ? this.getQueryData() : this.getBodyData();
		const received = callbackItems(payload, receivedAt);
		const chosen = received.filter((item) => events.has(eventKindOf(item) as EventKind));
		// The scope keeps the test URL's callbacks apart from the production URL's.
		const scope = `${this.getWorkflow().id} ${this.getNode().id} ${this.getMode()}`;
		const fresh = chosen.filter((item) => {
			const key = onceKey(item);
			return key === undefined || seenCallbacks.firstTime(scope, key);
		});

		const summary: IDataObject = {
			received: received.length,
			started: fresh.length,
			notChosen: received.length - chosen.length,
			duplicates: chosen.length - fresh.length,
		};
		if (fresh.length === 0) return { webhookResponse: summary };
		return { webhookResponse: summary, workflowData: [this.helpers.returnJsonArray(fresh)] };
	}
}
