import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties } from './description';
import { nodeMethods } from './resources';
import { answerWebhook, answerWebhooks } from './resources/message/sendAndWait';
import { route } from './router';
import { withoutSecret } from './shared/redact';

export class KaleyraWhatsApp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaleyra WhatsApp',
		name: 'kaleyraWhatsApp',
		icon: { light: 'file:../../icons/kaleyra.svg', dark: 'file:../../icons/kaleyra.dark.svg' },
		group: ['output'],
		// 1.1: Send Reply Buttons' output says type "interactive", as every other interactive send's
		// does; a workflow saved on 1 keeps Kaleyra's v1 word "reply" it may already branch on.
		// 1.2: Send Media from Binary Data takes the media type from the file by default; a workflow
		// saved earlier keeps its Media Type (Image unless chosen otherwise).
		version: [1, 1.1, 1.2],
		defaultVersion: 1.2,
		// A string literal, as n8n's scanner reads it: "sendReplyButtons" shows as "Send Reply Buttons", "upload" as "Upload".
		subtitle:
			'={{ $parameter["operation"].replace(/([A-Z])/g, " $1").replace(/^./, $parameter["operation"].charAt(0).toUpperCase()) }}',
		description:
			"Send WhatsApp templates, text, media, buttons, lists, locations and contacts through Kaleyra; mark messages read; upload media; manage templates and Flows; read a number's standing",
		defaults: { name: 'Kaleyra WhatsApp' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// A literal, as n8n's linter and scanner read it (nodes/shared/credentials.ts names it for code).
		credentials: [{ name: 'kaleyraWhatsAppApi', required: true }],
		// Send and Wait for Reply resumes its waiting execution through these.
		webhooks: answerWebhooks,
		properties: nodeProperties,
	};

	methods = nodeMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await answerWebhook.call(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await withoutSecret(this, async () => await route(this));
	}
}
