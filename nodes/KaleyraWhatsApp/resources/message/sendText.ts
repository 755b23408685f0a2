import { z } from 'zod';

import { boolean, leaf, text } from '../../shared/checks';
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

export const sendText: KaleyraOperation = {
	value: 'sendText',
	name: 'Send Text',
	action: 'Send a text message',
	description: 'Send a text message (inside the 24-hour customer service window)',
	properties: [
		...addressProperties,
		bodyProperty('The message text.', LIMITS.textBody),
		previewUrlProperty,
		messageOptions(true),
	],
	fieldLabels: {
		...v2Labels,
		'body.messaging_object.text.body': 'body',
		'body.messaging_object.text.preview_url': 'previewUrl',
	},
	build: (p) =>
		v2Message(p, 'text', { text: { body: str(p.body), preview_url: bool(p.previewUrl) } }),
	schema: z.object({
		text: z.object({
			body: leaf(text(LIMITS.textBody, 'the message text')),
			preview_url: leaf(boolean),
		}),
	}),
};
