/**
 * What a workflow gets from each of Kaleyra's documented callbacks: one flat item per message or
 * status, every field named the same way whatever the type, and the callback itself under `raw`.
 */
import {
	ASHA,
	BUSINESS,
	CONVERSATION,
	INCOMING_ID,
	NOT_SENT,
	NOTHING,
	QUESTION_ID,
	SENT_ID,
	WHEN,
	WHEN_ISO,
	WINDOW_CLOSED,
	incoming,
	message,
	statusCallback,
} from './payloads';
import { EVERYTHING, TriggerUnderTest, withSecret } from './support';

const fromAsha = {
	event: 'message',
	from: `+${ASHA}`,
	to: `+${BUSINESS}`,
	name: 'Asha',
	sessionId: `+${ASHA}`,
	messageId: INCOMING_ID,
	timestamp: WHEN_ISO,
};
const toAsha = {
	event: 'status',
	from: `+${BUSINESS}`,
	to: `+${ASHA}`,
	sessionId: `+${ASHA}`,
	messageId: SENT_ID,
	ref: 'A-1001',
	ref1: 'order-confirmation',
	timestamp: WHEN_ISO,
};

async function itemsFor(body: unknown) {
	const answer = await new TriggerUnderTest({ events: EVERYTHING }).receive({
		body,
		headers: withSecret(),
	});
	return answer.items;
}

describe('a customer writes: one item per incoming message', () => {
	it('a text gives its words in `text`, the customer as `from` (E.164) and the message ID to reply to', async () => {
		const body = incoming([
			message('text', { text: { body: 'Hi, has my order A-1001 shipped yet?' } }),
		]);
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...fromAsha,
				type: 'text',
				text: 'Hi, has my order A-1001 shipped yet?',
				chatInput: 'Hi, has my order A-1001 shipped yet?',
				raw: body,
			},
		]);
	});

	it("an image gives Kaleyra's download URL in `mediaUrl` and the caption in `text`", async () => {
		const body = incoming(
			[
				message('image', {
					image: {
						id: '1479537139650973',
						mime_type: 'image/jpeg',
						sha256: 'b1946ac9…',
						caption: 'The parcel arrived like this',
					},
				}),
			],
			{ media_url: 'https://media.kaleyra.example/v2/HXIN01/media/1479537139650973' },
		);
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...fromAsha,
				type: 'image',
				text: 'The parcel arrived like this',
				chatInput: 'The parcel arrived like this',
				mediaUrl: 'https://media.kaleyra.example/v2/HXIN01/media/1479537139650973',
				raw: body,
			},
		]);
	});

	it.each(['video', 'audio', 'document', 'sticker'])(
		'a %s message is media too, with its download URL',
		async (type) => {
			const body = incoming(
				[message(type, { [type]: { id: '88', mime_type: 'application/octet-stream' } })],
				{ media_url: `https://media.kaleyra.example/${type}/88` },
			);
			expect(await itemsFor(body)).toEqual([
				{
					...NOTHING,
					...fromAsha,
					type,
					mediaUrl: `https://media.kaleyra.example/${type}/88`,
					raw: body,
				},
			]);
		},
	);

	it('a shared location gives latitude and longitude as numbers, with its name and address', async () => {
		const body = incoming([
			message('location', {
				location: {
					latitude: 12.9716,
					longitude: '77.5946',
					name: 'Home',
					address: '12 MG Road, Bengaluru',
				},
			}),
		]);
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...fromAsha,
				type: 'location',
				text: 'Home',
				chatInput: 'Home',
				location: {
					latitude: 12.9716,
					longitude: 77.5946,
					name: 'Home',
					address: '12 MG Road, Bengaluru',
				},
				raw: body,
			},
		]);
	});

	it('shared contacts give each card with its phones, whether `phones` is a list or one object', async () => {
		const body = incoming([
			message('contacts', {
				contacts: [
					{
						name: { formatted_name: 'Rahul Mehta', first_name: 'Rahul' },
						phones: [
							{ phone: '+91 98765 43210', type: 'CELL', wa_id: '919876543210' },
							{ phone: '080-2222-3333' },
						],
					},
					{
						name: { first_name: 'Mei', last_name: 'Ling' },
						phones: { phone: '+6591234567', type: 'HOME' },
					},
				],
			}),
		]);
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...fromAsha,
				type: 'contacts',
				contacts: [
					{ name: 'Rahul Mehta', phones: ['+919876543210', '080-2222-3333'] },
					{ name: 'Mei Ling', phones: ['+6591234567'] },
				],
				raw: body,
			},
		]);
	});

	it('a tap on a reply button gives its ID and title, and the question it answers in `replyTo`', async () => {
		const body = incoming([
			message('interactive', {
				interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
				context: { from: BUSINESS, id: QUESTION_ID },
			}),
		]);
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...fromAsha,
				type: 'button_reply',
				text: 'Yes',
				chatInput: 'Yes',
				buttonId: 'yes',
				buttonTitle: 'Yes',
				replyTo: QUESTION_ID,
				raw: body,
			},
		]);
	});

	it('a pick from a list gives the row ID and title', async () => {
		const body = incoming([
			message('interactive', {
				interactive: {
					type: 'list_reply',
					list_reply: {
						id: 'slot-10-12',
						title: 'Tomorrow 10-12',
						description: 'Morning delivery',
					},
				},
				context: { from: BUSINESS, id: QUESTION_ID },
			}),
		]);
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...fromAsha,
				type: 'list_reply',
				text: 'Tomorrow 10-12',
				chatInput: 'Tomorrow 10-12',
				listId: 'slot-10-12',
				listTitle: 'Tomorrow 10-12',
				replyTo: QUESTION_ID,
				raw: body,
			},
		]);
	});

	it("a tap on a template's quick-reply button gives its payload as `buttonId`", async () => {
		const body = incoming([
			message('button', {
				button: { payload: 'reschedule', text: 'Reschedule' },
				context: { from: BUSINESS, id: QUESTION_ID },
			}),
		]);
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...fromAsha,
				type: 'quick_reply',
				text: 'Reschedule',
				chatInput: 'Reschedule',
				buttonId: 'reschedule',
				buttonTitle: 'Reschedule',
				replyTo: QUESTION_ID,
				raw: body,
			},
		]);
	});

	it('a reaction gives the emoji in `text` and the message reacted to in `replyTo`', async () => {
		const body = incoming([
			message('reaction', { reaction: { message_id: SENT_ID, emoji: '❤️' } }),
		]);
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...fromAsha,
				type: 'reaction',
				text: '❤️',
				chatInput: '❤️',
				replyTo: SENT_ID,
				raw: body,
			},
		]);
	});

	it('a text that quotes an earlier message names it in `replyTo`; references Kaleyra echoes come along', async () => {
		const body = incoming(
			[message('text', { text: { body: 'This one' }, context: { from: BUSINESS, id: SENT_ID } })],
			{ ref: 'A-1001' },
		);
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...fromAsha,
				type: 'text',
				text: 'This one',
				chatInput: 'This one',
				replyTo: SENT_ID,
				ref: 'A-1001',
				raw: body,
			},
		]);
	});

	it("a kind this node does not know (an order) still arrives, with WhatsApp's word for it", async () => {
		const body = incoming([message('order', { order: { catalog_id: '42', product_items: [] } })]);
		expect(await itemsFor(body)).toEqual([{ ...NOTHING, ...fromAsha, type: 'order', raw: body }]);
	});

	it('several messages in one callback give one item each, in order, each with the callback holding only its own message as `raw`', async () => {
		const first = message('text', { text: { body: 'First' } }, { id: 'wamid.first' });
		const second = message(
			'text',
			{ text: { body: 'Second' } },
			{ id: 'wamid.second', timestamp: String(Number(WHEN) + 5) },
		);
		const body = incoming([first, second]);
		const only = (own: object) => ({
			...body,
			meta_object: { ...body.meta_object, value: { ...body.meta_object.value, messages: [own] } },
		});
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...fromAsha,
				type: 'text',
				messageId: 'wamid.first',
				text: 'First',
				chatInput: 'First',
				raw: only(first),
			},
			{
				...NOTHING,
				...fromAsha,
				type: 'text',
				messageId: 'wamid.second',
				text: 'Second',
				chatInput: 'Second',
				timestamp: '2025-01-01T06:20:05.000Z',
				raw: only(second),
			},
		]);
	});

	it('a v1 incoming message (flat fields) reads the same way', async () => {
		const body = {
			from: ASHA,
			name: 'Asha',
			type: 'text',
			body: 'Hello from v1',
			created_at: '2025-01-01 06:20:00+00:00',
			wanumber: BUSINESS,
		};
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...fromAsha,
				messageId: null,
				type: 'text',
				text: 'Hello from v1',
				chatInput: 'Hello from v1',
				raw: body,
			},
		]);
	});
});

describe('a message you sent changes status: one item per status', () => {
	it.each(['sent', 'delivered', 'read'])(
		'%s names the message, the customer as `to` and your references',
		async (status) => {
			const body = statusCallback(status, CONVERSATION);
			expect(await itemsFor(body)).toEqual([{ ...NOTHING, ...toAsha, status, raw: body }]);
		},
	);

	it('failed 131047 says what happened and what to do: send a template', async () => {
		const body = statusCallback('failed', WINDOW_CLOSED);
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				...toAsha,
				status: 'failed',
				error: {
					code: '131047',
					title: 'Re-engagement message',
					details:
						'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
					hint: 'More than 24 hours have passed since the customer last wrote, so WhatsApp delivers only approved templates. Send a template message instead, or wait until the customer writes again.',
				},
				raw: body,
			},
		]);
	});

	it('a failure code without advice keeps its code and title, with no hint', async () => {
		const body = statusCallback('failed', {
			errors: [{ code: 131000, title: 'Something went wrong' }],
		});
		const [item] = (await itemsFor(body))!;
		expect(item.error).toEqual({
			code: '131000',
			title: 'Something went wrong',
			details: null,
			hint: null,
		});
	});

	it("not sent (Kaleyra's own refusal, no WhatsApp envelope) is a status with Kaleyra's code", async () => {
		const receivedBefore = Date.now();
		const [item] = (await itemsFor(NOT_SENT))!;
		expect({ ...item, timestamp: undefined }).toEqual({
			...NOTHING,
			event: 'status',
			messageId: SENT_ID,
			status: 'not sent',
			error: {
				code: 'WAV2101',
				title: 'Daily limit exhausted',
				details: null,
				// One table of codes for both nodes (nodes/shared/codes.ts): the send node's words for WAV2101.
				hint: "Kaleyra sends no more messages from this account today. Try again tomorrow, or ask Kaleyra to raise the account's daily limit.",
			},
			ref: 'A-1001',
			ref1: 'order-confirmation',
			raw: NOT_SENT,
			timestamp: undefined,
		});
		// It carries no time of its own: the item says when it arrived.
		expect(Date.parse(item.timestamp as string)).toBeGreaterThanOrEqual(receivedBefore - 1000);
	});

	it('a v1 status (flat fields, as a reply-button send reports it) reads the same way', async () => {
		const body = {
			id: 'f2a4c1e8-4e7d-4621-a36a-43ad7c1d7fbb:0',
			status: 'DELIVERED',
			mobile: ASHA,
			ref: 'A-1001',
			ref1: 'delivery-slot',
			created_at: WHEN,
		};
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING,
				event: 'status',
				to: `+${ASHA}`,
				sessionId: `+${ASHA}`,
				messageId: 'f2a4c1e8-4e7d-4621-a36a-43ad7c1d7fbb:0',
				status: 'delivered',
				ref: 'A-1001',
				ref1: 'delivery-slot',
				timestamp: WHEN_ISO,
				raw: body,
			},
		]);
	});

	it('a v1 failed status keeps its error code', async () => {
		const body = {
			id: 'f2a4:0',
			status: 'failed',
			mobile: ASHA,
			error: 'Re-engagement message',
			error_code: '131047',
			created_at: WHEN,
		};
		const [item] = (await itemsFor(body))!;
		expect(item.error).toMatchObject({
			code: '131047',
			title: 'Re-engagement message',
			details: null,
		});
	});
});

describe('a quality or limit notice (GET with a query)', () => {
	it('gives the event name as `type` and the number it is about as `to`', async () => {
		const query = { display_phone_number: BUSINESS, event: 'upgrade', current_limit: 'TIER_10K' };
		const answer = await new TriggerUnderTest({ events: EVERYTHING }).receive({
			method: 'GET',
			query,
			headers: withSecret(),
		});
		const [item] = answer.items!;
		expect({ ...item, timestamp: undefined }).toEqual({
			...NOTHING,
			event: 'notice',
			type: 'upgrade',
			to: `+${BUSINESS}`,
			raw: query,
			timestamp: undefined,
		});
	});

	it('a v1 status sent as a GET query is a status', async () => {
		const query = { id: 'f2a4:0', status: 'read', mobile: ASHA, ref: 'A-1001', created_at: WHEN };
		const answer = await new TriggerUnderTest({ events: EVERYTHING }).receive({
			method: 'GET',
			query,
			headers: withSecret(),
		});
		expect(answer.items).toEqual([
			{
				...NOTHING,
				event: 'status',
				to: `+${ASHA}`,
				sessionId: `+${ASHA}`,
				messageId: 'f2a4:0',
				status: 'read',
				ref: 'A-1001',
				timestamp: WHEN_ISO,
				raw: query,
			},
		]);
	});
});

describe("something that is none of Kaleyra's callbacks", () => {
	it('starts nothing and says so in the answer', async () => {
		const answer = await new TriggerUnderTest({ events: EVERYTHING }).receive({
			body: { hello: 'world' },
			headers: withSecret(),
		});
		expect(answer.items).toBeUndefined();
		expect(answer.body).toEqual({ received: 0, started: 0, notChosen: 0, duplicates: 0 });
	});
});
