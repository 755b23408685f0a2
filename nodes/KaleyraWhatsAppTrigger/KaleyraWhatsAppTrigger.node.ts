import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	URL_TOKEN_PARAMETER,
	isAuthorized,
	reportedQuery,
	settingsProblem,
	type CallbackAuthentication,
} from './authentication';
import { callbackItems, isChosen, onceKey, type EventKind } from './callbacks';
import { triggerProperties } from './description';
import { handOverAnswers } from './handOver';
import { mediaDownloadOf, withMedia } from './media';
import { seenCallbacks } from './once';
import { recentSettings } from './recent-settings';
import { CALLBACK_CREDENTIAL } from '../shared/credentials';

/** The callback credential's type; the trigger's version 1.1 takes the secret from it. */

/** How callbacks are proven, from the callback credential's fields or (version 1) the node's own. */
function settingsFrom(read: (name: string) => string): CallbackAuthentication {
	if (read('authentication') === 'basicAuth') {
		return { kind: 'basicAuth', user: read('user'), password: read('password') };
	}
	if (read('authentication') === 'secretInUrl')
		return { kind: 'secretInUrl', token: read('token') };
	return { kind: 'secretHeader', headerName: read('headerName').trim(), secret: read('secret') };
}

function fromCredential(data: ICredentialDataDecryptedObject | undefined): CallbackAuthentication {
	return settingsFrom((name) =>
		data?.[name] === undefined || data[name] === null ? '' : String(data[name]),
	);
}

/**
 * The settings, or why there are none: on version 1.1 a trigger without its callback credential
 * (never chosen, deleted, or not shared with this workflow) refuses every callback.
 */
async function authenticationSettings(
	ctx: IHookFunctions | IWebhookFunctions,
): Promise<CallbackAuthentication | string> {
	if (ctx.getNode().typeVersion < 1.1)
		return settingsFrom((name) => String(ctx.getNodeParameter(name, '') ?? ''));
	try {
		return fromCredential(
			await ctx.getCredentials<ICredentialDataDecryptedObject>(CALLBACK_CREDENTIAL),
		);
	} catch {
		return 'Credential to connect with: choose or create a Kaleyra WhatsApp Callback API credential holding the secret of your Kaleyra callback profile';
	}
}

/**
 * The settings that let this callback in, or undefined: those used in the last seconds when they
 * do (version 1.1 reads them from the database otherwise), else a fresh read.
 */
async function admittingSettings(
	ctx: IWebhookFunctions,
	query: IDataObject,
): Promise<CallbackAuthentication | undefined> {
	const credentialId = ctx.getNode().credentials?.[CALLBACK_CREDENTIAL]?.id;
	const key =
		ctx.getNode().typeVersion < 1.1 || !credentialId
			? undefined
			: `${ctx.getWorkflow().id} ${ctx.getNode().id} ${credentialId}`;
	const recent = key === undefined ? undefined : recentSettings.get(key);
	if (recent !== undefined && isAuthorized(ctx.getHeaderData(), query, recent)) return recent;
	const auth = await authenticationSettings(ctx);
	if (typeof auth === 'string' || !isAuthorized(ctx.getHeaderData(), query, auth)) {
		// Basic auth's challenge; the answer says what failed, never what was expected.
		if (typeof auth !== 'string' && auth.kind === 'basicAuth')
			ctx
				.getResponseObject()
				.setHeader('WWW-Authenticate', 'Basic realm="Kaleyra WhatsApp Trigger"');
		return undefined;
	}
	if (key !== undefined) recentSettings.set(key, auth);
	return auth;
}

/** The problem with the settings, named as the builder sees them (in the credential on 1.1). */
async function settingsCheck(ctx: IHookFunctions): Promise<string | undefined> {
	const settings = await authenticationSettings(ctx);
	if (typeof settings === 'string') return settings;
	const problem = settingsProblem(settings);
	if (problem === undefined || ctx.getNode().typeVersion < 1.1) return problem;
	return `Kaleyra WhatsApp Callback API credential → ${problem}`;
}

export class KaleyraWhatsAppTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaleyra WhatsApp Trigger',
		name: 'kaleyraWhatsAppTrigger',
		icon: { light: 'file:../../icons/kaleyra.svg', dark: 'file:../../icons/kaleyra.dark.svg' },
		group: ['trigger'],
		// 1.1: the callback secret lives in a credential (encrypted, out of exported workflows); 1 keeps it in node fields.
		version: [1, 1.1],
		defaultVersion: 1.1,
		// Says at a glance whether statuses start it too (each sent message can start three runs).
		subtitle:
			'={{ ["sent", "delivered", "read", "failed", "notSent"].some((status) => ($parameter["events"] || []).includes(status)) ? "Messages and statuses" : "Incoming messages" }}',
		// n8n's nodes panel shows the node and its trigger as one entry, "Kaleyra WhatsApp", and gives
		// that entry the trigger's description (n8n 2.41's generateMergedNodesAndActions), so it says
		// what both do; the trigger's own events are listed under it.
		description:
			'Send WhatsApp templates, messages and media through Kaleyra, and start a workflow when a customer writes, taps a button or a message you sent changes status',
		defaults: { name: 'Kaleyra WhatsApp Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// n8n's editor fills a new node with the most recently saved credential of any type it shows
		// (n8n 2.41.1), not of the first type: with both shown, a Kaleyra WhatsApp API credential saved
		// after the callback credential took a new trigger's slot and left the required one empty. The
		// API credential is used only to fetch incoming files, so it is shown only with Download Media
		// on; callbacks are proven by the secret, not by the API key.
		credentials: [
			{
				name: 'kaleyraWhatsAppCallbackApi',
				required: true,
				testedBy: 'callbackSettings',
				displayOptions: { show: { '@version': [1.1] } },
			},
			{
				name: 'kaleyraWhatsAppApi',
				required: false,
				displayOptions: { show: { 'options.downloadMedia': [true] } },
			},
		],
		webhooks: [
			// An empty responseData makes n8n answer with webhook()'s summary (received, started, …).
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: 'kaleyra',
			},
			// v1 status callbacks and quality/limit notices arrive as a GET with a query.
			{
				name: 'setup',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				responseData: '',
				path: 'kaleyra',
			},
		],
		properties: triggerProperties,
	};

	/**
	 * Kaleyra has no API to point a number at a URL (that is done in its console), so there is
	 * nothing to register: activation, and "Listen for test event", only check the settings, so
	 * that a missing secret fails there with the field to fix instead of refusing every callback.
	 */
	methods = {
		credentialTest: {
			/** The callback credential calls nothing, so its test checks what the trigger will require. */
			async callbackSettings(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const settings = fromCredential(credential.data);
				const problem = settingsProblem(settings);
				if (problem !== undefined) return { status: 'Error', message: problem };
				if (settings.kind === 'secretInUrl') {
					return {
						status: 'OK',
						message: `The settings are complete. Give Kaleyra the trigger's Production URL followed by ?${URL_TOKEN_PARAMETER}= and this Token.`,
					};
				}
				return {
					status: 'OK',
					message:
						'The settings are complete. Enter the same values in the Kaleyra callback profile.',
				};
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const problem = await settingsCheck(this);
				if (problem !== undefined) throw new NodeOperationError(this.getNode(), problem);
				if ((this.getNodeParameter('events', []) as string[]).length === 0) {
					throw new NodeOperationError(
						this.getNode(),
						'Events: choose at least one kind of callback to start on',
					);
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
		const query = this.getQueryData() as IDataObject;
		const auth = await admittingSettings(this, query);
		if (auth === undefined) {
			this.getResponseObject().status(401).json({
				code: 401,
				message: 'Unauthorized: this callback is not from your Kaleyra callback profile',
			});
			return { noWebhookResponse: true };
		}

		const events = new Set(this.getNodeParameter('events', []) as EventKind[]);
		const payload =
			this.getWebhookName() === 'setup' ? reportedQuery(query, auth) : this.getBodyData();
		const received = callbackItems(payload, receivedAt);
		// The scope keeps the test URL's callbacks apart from the production URL's.
		const scope = `${this.getWorkflow().id} ${this.getNode().id} ${this.getMode()}`;
		const { passOn, answered } = await handOverAnswers(this, received, scope);
		const chosen = passOn.filter((item) => isChosen(item, events));
		const fresh = chosen.filter((item) => {
			const key = onceKey(item);
			return key === undefined || seenCallbacks.firstTime(scope, key);
		});

		const summary: IDataObject = {
			received: received.length,
			started: fresh.length,
			notChosen: passOn.length - chosen.length,
			duplicates: chosen.length - fresh.length,
			...(answered > 0 ? { answered } : {}),
		};
		if (fresh.length === 0) return { webhookResponse: summary };
		const download = mediaDownloadOf(this.getNodeParameter('options', {}) as IDataObject);
		if (download === undefined)
			return { webhookResponse: summary, workflowData: [this.helpers.returnJsonArray(fresh)] };
		return { webhookResponse: summary, workflowData: [await withMedia(this, fresh, download)] };
	}
}
