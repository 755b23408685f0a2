import { z } from 'zod';

import type { Check } from '../../shared/checks';
import { emoji, leaf, messageId } from '../../shared/checks';
import type { KaleyraOperation } from '../../shared/types';
import { addressProperties, bool, messageOptions, str, v2Labels, v2Message } from './fields';

/** "\u2764", "\uD83D\uDC4D" and "\u{1F44D}" become the characters they stand for. */
/** An escape beyond U+10FFFF (\\u{110000}) stands for nothing: it is left as typed, for the check to refuse. */
export function decodeEmoji(value: string): string {
	return value
		.replace(/\\u\{([0-9a-fA-F]{1,6})\}/g, (escape, hex: string) => {
			const codePoint = parseInt(hex, 16);
			return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : escape;
		})
		.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Removing a reaction must be asked for: an Emoji that resolved to nothing is a mistake, not a removal. */
const removal: Check = (value) => (value === '' ? undefined : emoji(value));

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
				'One emoji, as the character (👍) or as an escape (\\uD83D\\uDC4D or \\u{1F44D})',
			displayOptions: { show: { removeReaction: [false] } },
		},
		{
			displayName: 'Remove Reaction',
			name: 'removeReaction',
			type: 'boolean',
			default: false,
			description: 'Whether to remove your earlier reaction on the message instead of reacting',
		},
		messageOptions(true),
	],
	fieldLabels: {
		...v2Labels,
		'body.messaging_object.reaction.message_id': 'messageId',
		'body.messaging_object.reaction.emoji': 'emoji',
	},
	build: (p) =>
		v2Message(p, 'reaction', {
			reaction: {
				message_id: str(p.messageId).trim(),
				emoji: bool(p.removeReaction) === true ? '' : decodeEmoji(str(p.emoji).trim()),
			},
		}),
	checkParameters: (p) => {
		if (bool(p.removeReaction) === true) return [];
		const problem = emoji(decodeEmoji(str(p.emoji).trim()));
		return problem === undefined ? [] : [{ field: 'Emoji', message: problem }];
	},
	schema: z.object({ reaction: z.object({ message_id: leaf(messageId), emoji: leaf(removal) }) }),
};
