import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { boolean, leaf, messageId } from '../../shared/checks';
import type { KaleyraOperation } from '../../shared/types';
import { addressProperties, bool, str, toE164 } from './fields';

/**
 * Blue ticks for a customer's message (and every earlier one in the chat). Meta also takes a
 * typing indicator in the same call: shown until the reply is sent, or 25 seconds.
 */
export const markAsRead: KaleyraOperation = {
	value: 'markAsRead',
	name: 'Mark as Read',
	action: 'Mark a message as read',
	description:
		"Show the customer's message as read (blue ticks), optionally with a typing indicator",
	properties: [
		addressProperties[0],
		{
			displayName: 'Message ID',
			name: 'messageId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'wamid.HBgMOTE5OTAwMDAwMDAwFQIAEhgg...',
			description:
				'The incoming message to mark as read (starts with wamid.); earlier messages of the chat are marked too',
		},
		{
			displayName: 'Show Typing Indicator',
			name: 'typingIndicator',
			type: 'boolean',
			default: false,
			description:
				'Whether the customer sees "typing…" until your reply arrives (at most 25 seconds)',
		},
	],
	fieldLabels: {
		from: 'businessNumber',
		'body.messaging_object.message_id': 'messageId',
		'body.messaging_object.typing_indicator': 'typingIndicator',
	},
	build: (p) => {
		const typing = bool(p.typingIndicator);
		const messagingObject: IDataObject = {
			messaging_product: 'whatsapp',
			status: 'read',
			message_id: str(p.messageId).trim(),
		};
		if (typing !== false)
			messagingObject.typing_indicator =
				typing === true ? { type: 'text' } : (typing as IDataObject);
		return {
			api: 'v2',
			type: 'read',
			from: toE164(p.businessNumber),
			to: null,
			refs: {},
			body: { messaging_object: messagingObject },
		};
	},
	schema: z.object({
		message_id: leaf(messageId),
		typing_indicator: z.unknown().superRefine((value, ctx) => {
			if (value === undefined) return;
			const problem = boolean(value === null || typeof value !== 'object' ? value : true);
			if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
		}),
	}),
	output: (request, { code, httpStatus }) => {
		const messagingObject = (
			request.api === 'v2' ? request.body.messaging_object : {}
		) as IDataObject;
		return {
			messageId: messagingObject.message_id,
			status: 'read',
			typingIndicator: messagingObject.typing_indicator !== undefined,
			code,
			httpStatus,
		};
	},
};
