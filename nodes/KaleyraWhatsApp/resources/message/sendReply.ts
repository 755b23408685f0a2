import { z } from 'zod';

import { boolean, leaf, messageId, text } from '../../shared/checks';
import { LIMITS } from '../../shared/limits';
import type { KaleyraOperation } from '../../shared/types';
import {
	addressProperties,
	bodyProperty,
	bool,
	messageOptions,
	previewUrlProperty,
	str,
	v2Labels,
	v2Message,
} from './fields';

export const sendReply: KaleyraOperation = {
	value: 'sendReply',
	name: 'Send Reply',
	action: 'Reply to a message',
	description:
		'Send a text that quotes a message the customer sent, shown as a reply in their chat',
	properties: [
		...addressProperties,
		{
			displayName: 'Reply To Message ID',
			name: 'replyToMessageId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'wamid.HBgMOTE5OTAwMDAwMDAwFQIAEhgg...',
			description:
				'The ID of the message to quote (starts with wamid.). From an incoming-message callback it is the message ID in meta_object.value.messages[0].',
		},
		bodyProperty('The reply text.', LIMITS.textBody),
		previewUrlProperty,
		messageOptions(true),
	],
	fieldLabels: {
		...v2Labels,
		'body.messaging_object.context.message_id': 'replyToMessageId',
		'body.messaging_object.text.body': 'body',
		'body.messaging_object.text.preview_url': 'previewUrl',
	},
	build: (p) =>
		v2Message(p, 'text', {
			context: { message_id: str(p.replyToMessageId).trim() },
			text: { body: str(p.body), preview_url: bool(p.previewUrl) },
		}),
	schema: z.object({
		context: z.object({ message_id: leaf(messageId) }),
		text: z.object({
			body: leaf(text(LIMITS.textBody, 'the message text')),
			preview_url: leaf(boolean),
		}),
	}),
};
