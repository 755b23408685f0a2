/**
 * Issue 22, point 4: Message → Send Flow. A published WhatsApp Flow (a booking form) sent as
 * Kaleyra's v2 interactive message of type flow: the exact request, and the refusals, each naming
 * the field, for what Meta would refuse (its limits are checked before anything is sent).
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { accountWorkflow } from '../account/support';
import {
	ASHA,
	BEN,
	BUSINESS_NUMBER,
	JSON_HEADERS,
	POD_BASE_URLS,
	accepted,
	acceptedItem,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	run,
	setUpNock,
	v2Body,
	v2Url,
} from './support';

setUpNock();

const BASE = POD_BASE_URLS.in;
const FLOW_ID = '1187351835876543';

/** Send Flow as a builder fills it in after an order: open the booking screen with the customer's name. */
const BOOKING: IDataObject = {
	resource: 'message',
	operation: 'sendFlow',
	businessNumber: BUSINESS_NUMBER,
	recipient: '={{ $json.phone }}',
	flowId: FLOW_ID,
	body: '=Hi {{ $json.name }}, pick a day for your fitting.',
	buttonText: 'Book now',
	screen: 'APPOINTMENT',
	initialData: '={{ JSON.stringify({ customer: $json.name }) }}',
	flowReference: '=booking-{{ $json.orderId }}',
	footer: 'Reply STOP to opt out',
	headerType: 'text',
	headerText: 'Book your fitting',
	options: { ref: '={{ $json.orderId }}' },
};

const sendFlow = (parameters: IDataObject = {}, onError?: INode['onError']) =>
	accountWorkflow({ ...BOOKING, ...parameters }, onError);

function flowMessage(
	customer: { phone: string; name: string; orderId: string },
	parameters: IDataObject,
) {
	return v2Body(
		customer.phone,
		'interactive',
		{
			interactive: {
				type: 'flow',
				header: { type: 'text', text: 'Book your fitting' },
				body: { text: `Hi ${customer.name}, pick a day for your fitting.` },
				footer: { text: 'Reply STOP to opt out' },
				action: { name: 'flow', parameters },
			},
		},
		{ ref: customer.orderId },
	);
}

describe('point 4: Message → Send Flow', () => {
	it("sends a published Flow opening at the booking screen with the customer's data and a token per order, one message per customer", async () => {
		const { received } = kaleyra(BASE, [accepted('wamid.F1'), accepted('wamid.F2')]);
		const result = await run(
			sendFlow({ options: { ref: '={{ $json.orderId }}', messagesInFlight: 1 } }),
			[ASHA, BEN],
		);
		expect(received).toEqual(
			[ASHA, BEN].map((customer) => ({
				method: 'POST',
				url: v2Url(BASE),
				headers: JSON_HEADERS,
				body: flowMessage(customer, {
					flow_message_version: '3',
					flow_id: FLOW_ID,
					flow_cta: 'Book now',
					flow_token: `booking-${customer.orderId}`,
					flow_action: 'navigate',
					flow_action_payload: { screen: 'APPOINTMENT', data: { customer: customer.name } },
				}),
			})),
		);
		expect(itemsOf(result)).toEqual([
			{
				json: acceptedItem('wamid.F1', ASHA.phone, 'interactive', { ref: ASHA.orderId }),
				pairedItem: { item: 0 },
			},
			{
				json: acceptedItem('wamid.F2', BEN.phone, 'interactive', { ref: BEN.orderId }),
				pairedItem: { item: 1 },
			},
		]);
	});

	it("First Screen From The Flow's Endpoint (data_exchange) sends no screen; no token and no data leave them out", async () => {
		const { received } = kaleyra(BASE, [accepted('wamid.F3')]);
		await run(
			sendFlow({
				flowAction: 'data_exchange',
				flowReference: '',
				initialData: '{ "ignored": true }',
			}),
			[ASHA],
		);
		expect(received.map((request) => request.body)).toEqual([
			flowMessage(ASHA, {
				flow_message_version: '3',
				flow_id: FLOW_ID,
				flow_cta: 'Book now',
				flow_action: 'data_exchange',
			}),
		]);
	});

	it.each([
		[
			'a Flow ID that is not digits',
			{ flowId: 'booking-flow' },
			'Flow ID: "booking-flow" is not a Flow ID: Meta\'s IDs are digits, as Flow → Get Many shows them.',
		],
		[
			'a button label over 20 characters',
			{ buttonText: 'Book your fitting now' },
			'Button Label: WhatsApp allows at most 20 characters; this has 21. Shorten it.',
		],
		[
			'an emoji on the button',
			{ buttonText: 'Book 📅' },
			'Button Label: WhatsApp takes no emoji on the button that opens a Flow. Remove it.',
		],
		[
			'a screen that an expression leaves empty',
			{ screen: '={{ $json.screen }}' },
			'Screen: it is empty. Enter the ID of the screen the Flow opens at, as its Flow JSON names it (e.g. APPOINTMENT).',
		],
		[
			'a screen with a space',
			{ screen: 'PICK DAY' },
			'Screen: "PICK DAY" is not a screen ID: a screen\'s "id" in the Flow JSON has no spaces (e.g. APPOINTMENT).',
		],
		[
			'initial data that is not JSON',
			{ initialData: '{ customer: Asha }' },
			expect.stringMatching(
				/^Initial Data: it is not valid JSON \(.+\)\. Enter an object such as \{ "customer": "Asha" \}, or leave it empty\.$/,
			),
		],
		[
			'initial data that is an empty object',
			{ initialData: '{}' },
			'Initial Data: WhatsApp takes no empty object here. Leave the field empty, or give the screen its data.',
		],
		[
			'initial data that is a list',
			{ initialData: '["Asha"]' },
			'Initial Data: expected an object such as { "customer": "Asha" }, got a list (array).',
		],
		[
			'a header over 60 characters',
			{ headerText: 'B'.repeat(61) },
			'Header Text: WhatsApp allows at most 60 characters; this has 61. Shorten it.',
		],
		[
			'a body over 1024 characters',
			{ body: 'x'.repeat(1025) },
			'Body: WhatsApp allows at most 1024 characters; this has 1025. Shorten it.',
		],
		[
			'a footer over 60 characters',
			{ footer: 'f'.repeat(61) },
			'Footer: at most 60 characters are allowed; this has 61. Shorten it.',
		],
	])('refuses %s before anything is sent, naming the field', async (_story, change, message) => {
		const result = await run(sendFlow(change), [ASHA]);
		expect(result.error?.message).toEqual(message);
	});

	it('one bad item among many: nothing is sent for any of them', async () => {
		const result = await run(sendFlow({ screen: '={{ $json.screen }}' }), [
			{ ...ASHA, screen: 'APPOINTMENT' },
			{ ...BEN, screen: '' },
		]);
		expect(result.error?.message).toMatch(/^Screen: it is empty\./);
	});

	itKeepsTheApiKeyOutOfEverythingUsersSee();
});
