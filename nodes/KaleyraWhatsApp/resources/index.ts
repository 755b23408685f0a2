import type { INodeType } from 'n8n-workflow';

import type { KaleyraOperation, KaleyraResource } from '../shared/types';
import { create as createFlow } from './flow/create';
import { getMany as getManyFlows } from './flow/getMany';
import { publish as publishFlow } from './flow/publish';
import { download } from './media/download';
import { upload } from './media/upload';
import { markAsRead } from './message/markAsRead';
import { requestLocation } from './message/requestLocation';
import { sendContacts } from './message/sendContacts';
import { sendFlow } from './message/sendFlow';
import { sendCtaUrl } from './message/sendCtaUrl';
import { sendInteractiveButtons } from './message/sendInteractiveButtons';
import { sendList } from './message/sendList';
import { sendLocation } from './message/sendLocation';
import { sendMedia } from './message/sendMedia';
import { sendReaction } from './message/sendReaction';
import { sendReply } from './message/sendReply';
import { sendReplyButtons } from './message/sendReplyButtons';
import { sendTemplate } from './message/sendTemplate';
import { sendText } from './message/sendText';
import { getDetails } from './phoneNumber/getDetails';
import { create as createTemplate } from './template/create';
import { deleteTemplate } from './template/delete';
import { edit as editTemplate } from './template/edit';
import { get as getTemplate } from './template/get';
import { getMany as getManyTemplates } from './template/getMany';

/**
 * Every resource and operation of the node. Adding an operation: one file under
 * resources/<resource>/ (fields, build, schema) and one entry here.
 */
export const resources: KaleyraResource[] = [
	{
		value: 'message',
		name: 'Message',
		operations: [
			sendText,
			sendTemplate,
			sendReply,
			sendReaction,
			sendMedia,
			sendReplyButtons,
			sendInteractiveButtons,
			sendList,
			sendCtaUrl,
			requestLocation,
			sendLocation,
			sendContacts,
			sendFlow,
			markAsRead,
		],
	},
	{ value: 'media', name: 'Media', operations: [upload, download] },
	{ value: 'phoneNumber', name: 'Phone Number', operations: [getDetails] },
	{
		value: 'template',
		name: 'Template',
		operations: [getManyTemplates, getTemplate, createTemplate, editTemplate, deleteTemplate],
	},
	{ value: 'flow', name: 'Flow', operations: [getManyFlows, createFlow, publishFlow] },
];

/** Every operation's editor methods (list searches, resource mappers), merged for the node. */
export const nodeMethods: NonNullable<INodeType['methods']> = {};
for (const operation of resources.flatMap((resource) => resource.operations)) {
	for (const [kind, methods] of Object.entries(operation.methods ?? {})) {
		const merged = (nodeMethods as Record<string, Record<string, unknown>>)[kind] ?? {};
		(nodeMethods as Record<string, Record<string, unknown>>)[kind] = { ...merged, ...methods };
	}
}

/** The operation a node's Resource and Operation fields select. */
export function operationFor(resource: string, operation: string): KaleyraOperation {
	const found = resources
		.find((r) => r.value === resource)
		?.operations.find((o) => o.value === operation);
	if (found === undefined)
		throw new Error(`The Kaleyra WhatsApp node has no operation "${operation}" for "${resource}"`);
	return found;
}
