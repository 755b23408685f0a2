import { z } from 'zod';

import { emoji, leaf, messageId } from '../../shared/checks';
import type { KaleyraOperation } from '../../shared/types';
import { addressProperties, messageOptions, str, v2Labels, v2Message } from './fields';

/** "\u2764", "\uD83D\uDC4D" and "\u{1F44D}" become the characters they stand for. */
export function decodeEmoji(value: string): string {
	return value
		.replace(/\\u\{([0-9a-fA-F]{1,6})\}/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
		.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export const sendReaction: KaleyraOperation = {
	value: 'sendReaction',
	name: 'Send Reaction',
	action: 'React to a message',
	description: "Put an emoji reaction on a message in the customer's chat, or remove it",
	properties: [
		...addressProperties,
		{
			displayName: 'Message ID',
			name: 'messageId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'wamid.HBgMOTE5OTAwMDAwMDAwFQIAEhgg...',
			description:
				'The message to react to (starts with wamid.). WhatsApp cannot react to messages older than 30 days, deleted ones or reactions; such a reaction fails later, in the status callback.',
		},
		{
			displayName: 'Emoji',
			name: 'emoji',
			type: 'string',
			default: '👍',
			description:
				'One emoji, as the character (👍) or as an escape (\\uD83D\\uDC4D or \\u{1F44D}). Leave empty to remove your earlier reaction.',
		},
		messageOptions(true),
	],
	fieldLabels: {
		...v2Labels,
		'body.messaging_object.reaction.message_id': 'Message ID',
		'body.messaging_object.reaction.emoji': 'Emoji',
	},
	build: (p) =>
		v2Message(p, 'reaction', {
			reaction: { message_id: str(p.messageId).trim(), emoji: decodeEmoji(str(p.emoji).trim()) },
		}),
	schema: z.object({ reaction: z.object({ message_id: leaf(messageId), emoji: leaf(emoji) }) }),
};
