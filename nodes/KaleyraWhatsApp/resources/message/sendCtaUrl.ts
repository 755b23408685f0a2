import { z } from 'zod';

import { leaf, link, text } from '../../shared/checks';
import { LIMITS } from '../../shared/limits';
import type { KaleyraOperation } from '../../shared/types';
import { addressProperties, messageOptions, str } from './fields';
import {
	MEDIA_AND_TEXT_HEADERS,
	buttonLabelProperty,
	footerProperty,
	headerBinaryInput,
	headerProperties,
	interactiveBody,
	interactiveLabels,
	mediaHeaderLabels,
	interactiveMessage,
	interactiveSchema,
} from './interactive';

export const sendCtaUrl: KaleyraOperation = {
	value: 'sendCtaUrl',
	name: 'Send Link Button',
	action: 'Send a message with a call-to-action link button',
	description: 'A message with one button that opens a web page (track the order, pay, book)',
	properties: [
		...addressProperties,
		interactiveBody,
		buttonLabelProperty(
			'Track order',
			`The text on the button, up to ${LIMITS.buttonLabel} characters`,
		),
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://shop.example.com/orders/A-1001',
			description: 'The page the button opens, a full http(s) URL',
		},
		footerProperty,
		...headerProperties(true),
		messageOptions(true),
	],
	fieldLabels: {
		...interactiveLabels,
		...mediaHeaderLabels,
		'body.messaging_object.interactive.action.parameters.display_text': 'buttonText',
		'body.messaging_object.interactive.action.parameters.url': 'url',
	},
	binaryInput: headerBinaryInput,
	build: (p) =>
		interactiveMessage(p, 'cta_url', {
			name: 'cta_url',
			parameters: { display_text: str(p.buttonText).trim(), url: str(p.url).trim() },
		}),
	schema: interactiveSchema(
		MEDIA_AND_TEXT_HEADERS,
		z.object({
			parameters: z.object({
				display_text: leaf(text(LIMITS.buttonLabel, 'the button label')),
				url: leaf(link('page the button opens')),
			}),
		}),
	),
};
