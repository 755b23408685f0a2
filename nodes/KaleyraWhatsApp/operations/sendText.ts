import { bodyProperty, bool, previewUrlProperty, str, v2Labels, v2Message } from './common';
import type { KaleyraOperation } from './types';

export const sendText: KaleyraOperation = {
	value: 'sendText',
	name: 'Send Text',
	action: 'Send a text message',
	description: 'Send a text message (inside the 24-hour customer service window)',
	properties: [bodyProperty('The message text.', 4096), previewUrlProperty],
	fieldLabels: {
		...v2Labels,
		'body.messaging_object.text.body': 'Body',
		'body.messaging_object.text.preview_url': 'Link Preview',
	},
	build: (p) =>
		v2Message(p, 'text', { text: { body: str(p.body), preview_url: bool(p.previewUrl) } }),
};
