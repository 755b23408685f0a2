import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { clip, hasEmoji, isEmpty, kindOf, leaf, text } from '../../shared/checks';
import type { KaleyraOperation, ResolvedParameters } from '../../shared/types';
import { flowId } from '../flow/common';
import { addressProperties, messageOptions, str } from './fields';
import {
	buttonLabelProperty,
	footerProperty,
	headerProperties,
	interactiveBody,
	interactiveLabels,
	interactiveMessage,
	interactiveSchema,
} from './interactive';

/**
 * A WhatsApp Flow (a form inside WhatsApp: a booking, a sign-up, a survey) sent as Kaleyra's v2
 * interactive message of type `flow` (docs/kaleyra-api.md §6; Meta's interactive flow messages).
 * The customer's answer reaches the trigger as a Flow Reply, with `flowResponse` and `flowToken`.
 */

/** Meta's limit on the button that opens the Flow: 20 characters, no emoji. */
const FLOW_CTA_MAX = 20;

/** The one Flow message version Meta takes. */
const FLOW_MESSAGE_VERSION = '3';

/** Meta's word for opening the Flow at a screen the message names. */
const NAVIGATE = 'navigate';

/** Initial Data as the message carries it: an object, or the text as typed when it is not JSON (for the check to name). */
function initialDataOf(value: unknown): unknown {
	if (isEmpty(value)) return undefined;
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return value;
	}
}

function action(p: ResolvedParameters): IDataObject {
	const parameters: IDataObject = {
		flow_message_version: FLOW_MESSAGE_VERSION,
		flow_id: str(p.flowId).trim(),
		flow_cta: str(p.buttonText).trim(),
	};
	const token = str(p.flowReference).trim();
	if (token !== '') parameters.flow_token = token;
	parameters.flow_action = str(p.flowAction) || NAVIGATE;
	if (parameters.flow_action === NAVIGATE) {
		const payload: IDataObject = { screen: str(p.screen).trim() };
		const data = initialDataOf(p.initialData);
		if (data !== undefined) payload.data = data as IDataObject;
		parameters.flow_action_payload = payload;
	}
	return { name: 'flow', parameters };
}

const flowCta = leaf((value) => {
	const problem = text(FLOW_CTA_MAX, 'the text on the button that opens the Flow')(value);
	if (problem !== undefined) return problem;
	return hasEmoji(value as string)
		? 'WhatsApp takes no emoji on the button that opens a Flow. Remove it.'
		: undefined;
});

const screen = leaf((value) => {
	if (isEmpty(value))
		return 'it is empty. Enter the ID of the screen the Flow opens at, as its Flow JSON names it (e.g. APPOINTMENT).';
	if (typeof value !== 'string') return `expected text, got ${kindOf(value)}.`;
	return /\s/.test(value)
		? `"${clip(value)}" is not a screen ID: a screen's "id" in the Flow JSON has no spaces (e.g. APPOINTMENT).`
		: undefined;
});

const initialData = leaf((value) => {
	if (value === undefined) return undefined;
	if (typeof value === 'string') {
		try {
			JSON.parse(value);
		} catch (error) {
			return `it is not valid JSON (${(error as Error).message}). Enter an object such as { "customer": "Asha" }, or leave it empty.`;
		}
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value))
		return `expected an object such as { "customer": "Asha" }, got ${kindOf(value)}.`;
	return Object.keys(value).length === 0
		? 'WhatsApp takes no empty object here. Leave the field empty, or give the screen its data.'
		: undefined;
});

const flowToken = leaf((value) =>
	value === undefined || typeof value === 'string'
		? undefined
		: `expected text, got ${kindOf(value)}.`,
);

export const sendFlow: KaleyraOperation = {
	value: 'sendFlow',
	name: 'Send Flow',
	action: 'Send a WhatsApp Flow',
	description:
		'A message with a button that opens a published WhatsApp Flow (a form: booking, sign-up, survey)',
	properties: [
		...addressProperties,
		{
			displayName: 'Flow ID',
			name: 'flowId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '1234567890123456',
			description: 'The ID of a published Flow, as Flow → Get Many or Create shows it',
		},
		interactiveBody,
		buttonLabelProperty(
			'Book now',
			'The text on the button that opens the Flow, up to 20 characters, no emoji',
		),
		{
			displayName: 'First Screen From',
			name: 'flowAction',
			type: 'options',
			default: 'navigate',
			options: [
				{
					name: 'This Message',
					value: 'navigate',
					description: 'The Flow opens at the screen below, with the data below',
				},
				{
					name: "The Flow's Endpoint",
					value: 'data_exchange',
					description: "WhatsApp asks the Flow's endpoint for the first screen and its data",
				},
			],
		},
		{
			displayName: 'Screen',
			name: 'screen',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'APPOINTMENT',
			description: 'The ID of the screen the Flow opens at, as its Flow JSON names it',
			displayOptions: { show: { flowAction: ['navigate'] } },
		},
		{
			displayName: 'Initial Data',
			name: 'initialData',
			type: 'json',
			default: '',
			placeholder: '{ "customer": "Asha" }',
			description:
				"Values for the first screen's data fields (a JSON object); leave empty when it has none",
			displayOptions: { show: { flowAction: ['navigate'] } },
		},
		{
			displayName: 'Flow Reference',
			name: 'flowReference',
			type: 'string',
			default: '',
			placeholder: 'booking-A-1001',
			description:
				'Your identifier for this conversation (an order or booking ID): the answer comes back to the trigger with it as flowToken. Empty: WhatsApp\'s default, "unused".',
		},
		footerProperty,
		...headerProperties(false),
		messageOptions(true),
	],
	fieldLabels: {
		...interactiveLabels,
		'body.messaging_object.interactive.action.parameters.flow_id': 'flowId',
		'body.messaging_object.interactive.action.parameters.flow_cta': 'buttonText',
		'body.messaging_object.interactive.action.parameters.flow_token': 'flowReference',
		'body.messaging_object.interactive.action.parameters.flow_action': 'flowAction',
		'body.messaging_object.interactive.action.parameters.flow_action_payload.screen': 'screen',
		'body.messaging_object.interactive.action.parameters.flow_action_payload.data': 'initialData',
	},
	build: (p) => interactiveMessage(p, 'flow', action(p)),
	schema: interactiveSchema(
		['text'],
		z.object({
			parameters: z.object({
				flow_id: flowId,
				flow_cta: flowCta,
				flow_token: flowToken,
				flow_action: leaf((value) =>
					value === NAVIGATE || value === 'data_exchange'
						? undefined
						: `"${clip(str(value))}" is not a way to open a Flow. Choose This Message or The Flow's Endpoint.`,
				),
				flow_action_payload: z.object({ screen, data: initialData }).optional(),
			}),
		}),
	),
};
