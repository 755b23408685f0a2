import { z } from 'zod';

import { leaf, text } from '../../shared/checks';
import { LIMITS } from '../../shared/limits';
import type { KaleyraOperation } from '../../shared/types';
import { addressProperties, bodyProperty, messageOptions, v2Labels } from './fields';
import { interactiveMessage } from './interactive';

export const requestLocation: KaleyraOperation = {
	value: 'requestLocation',
	name: 'Request Location',
	action: "Ask for the customer's location",
	description:
		'A message with a "Send location" button; the shared location comes back as an incoming message',
	properties: [
		...addressProperties,
		bodyProperty('Why you ask for the location.', LIMITS.body),
		messageOptions(true),
	],
	fieldLabels: { ...v2Labels, 'body.messaging_object.interactive.body.text': 'body' },
	build: (p) => interactiveMessage(p, 'location_request_message', { name: 'send_location' }),
	schema: z.object({
		interactive: z.object({
			body: z.object({ text: leaf(text(LIMITS.body, 'the message text')) }),
		}),
	}),
};
