import { z } from 'zod';

import type { KaleyraOperation } from '../../shared/types';
import { addressProperties, messageOptions } from './fields';
import {
	MEDIA_AND_TEXT_HEADERS,
	footerProperty,
	headerBinaryInput,
	headerProperties,
	interactiveBody,
	interactiveLabels,
	mediaHeaderLabels,
	interactiveMessage,
	interactiveSchema,
} from './interactive';
import { buttonsProperty, buttonsSchema, replyButtons } from './sendReplyButtons';

/**
 * Reply buttons on Kaleyra's API v2 (`interactive.type "button"`), for v2 numbers; Send Reply
 * Buttons stays on the v1 form API, so workflows saved with it send what they always sent.
 */
export const sendInteractiveButtons: KaleyraOperation = {
	value: 'sendInteractiveButtons',
	name: 'Send Reply Buttons (API V2)',
	action: 'Send a message with reply buttons through API v2',
	description:
		"Up to 3 tap-to-answer buttons through Kaleyra's API v2, under a text, image, video or document header (link, media ID or binary data); statuses go to your callback profile. Use this for a number on API v2.",
	properties: [
		...addressProperties,
		interactiveBody,
		buttonsProperty,
		footerProperty,
		...headerProperties(true),
		messageOptions(true),
	],
	fieldLabels: {
		...interactiveLabels,
		...mediaHeaderLabels,
		'body.messaging_object.interactive.action.buttons': 'buttons',
		'body.messaging_object.interactive.action.buttons.#.reply.title': 'buttons.button.title',
		'body.messaging_object.interactive.action.buttons.#.reply.id': 'buttons.button.id',
	},
	binaryInput: headerBinaryInput,
	build: (p) => interactiveMessage(p, 'button', { buttons: replyButtons(p.buttons) }),
	schema: interactiveSchema(MEDIA_AND_TEXT_HEADERS, z.object({ buttons: buttonsSchema })),
};
