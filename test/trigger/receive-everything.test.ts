/**
 * Issue 22, "Receive everything a customer sends", the trigger's items: a Flow's answer parsed,
 * customers known only by a username, status errors a builder can act on, and the two fields n8n's
 * AI Agent reads by default. Each test names the point it shows.
 */
import { ASHA, BUSINESS, INCOMING_ID, WHEN, incoming, message, statusCallback } from './payloads';
import { EVERYTHING, INCOMING_ONLY, TriggerUnderTest, withSecret } from './support';

const receive = async (body: unknown, events: string[] = EVERYTHING) =>
	await new TriggerUnderTest({ events }).receive({ body, headers: withSecret() });

/** WhatsApp's `nfm_reply`: a booking Flow answered, the form's fields as a JSON string. */
const flowAnswer = (responseJson: unknown) =>
	incoming([
		message('interactive', {
			interactive: {
				type: 'nfm_reply',
				nfm_reply: { name: 'flow', body: 'Sent', response_json: responseJson },
			},
			context: { from: BUSINESS, id: 'wamid.FLOW-QUESTION' },
		}),
	]);

describe('point 4: a WhatsApp Flow answer (nfm_reply) is read, never dropped', () => {
	const booking = { flow_token: 'booking-A-1001', date: '2026-12-24', slot: 'morning', people: 2 };

	it('point 4: the answer is parsed into flowResponse, with its flowToken and flowName, under the Flow Reply event', async () => {
		const answer = await receive(flowAnswer(JSON.stringify(booking)), ['flowReply']);
		expect(answer.body).toEqual({ received: 1, started: 1, notChosen: 0, duplicates: 0 });
		expect(answer.items).toHaveLength(1);
		expect(answer.items![0]).toMatchObject({
			event: 'message',
			type: 'nfm_reply',
			text: 'Sent',
			chatInput: 'Sent',
			replyTo: 'wamid.FLOW-QUESTION',
			flowResponse: booking,
			flowToken: 'booking-A-1001',
			flowName: 'flow',
			error: null,
		});
	});

	it('point 4: an answer that is not JSON is kept as text, with the reason in error', async () => {
		const answer = await receive(flowAnswer('{"flow_token": "booking-A-1001", "date": '), [
			'flowReply',
		]);
		expect(answer.items).toHaveLength(1);
		expect(answer.items![0]).toMatchObject({
			type: 'nfm_reply',
			text: '{"flow_token": "booking-A-1001", "date": ',
			flowResponse: null,
			flowToken: null,
			flowName: 'flow',
			error: {
				code: 'FLOW_RESPONSE_NOT_JSON',
				title: 'The Flow answer is not a JSON object',
				details: null,
				hint: "The customer's answer is kept as it arrived in `text` (and in `raw`); read it there.",
			},
		});
	});

	it('point 4: a trigger saved before Flow Reply existed (Other Incoming Message chosen) still starts on a Flow answer', async () => {
		const saved = INCOMING_ONLY.filter((kind) => kind !== 'flowReply');
		expect((await receive(flowAnswer(JSON.stringify(booking)), saved)).body).toEqual({
			received: 1,
			started: 1,
			notChosen: 0,
			duplicates: 0,
		});
		const withoutOther = saved.filter((kind) => kind !== 'otherMessage');
		expect((await receive(flowAnswer(JSON.stringify(booking)), withoutOther)).body).toEqual({
			received: 1,
			started: 0,
			notChosen: 1,
			duplicates: 0,
		});
	});
});

describe('point 5: customers with a WhatsApp username', () => {
	const USER_ID = 'IN.1648738043044942';
	/** Meta's shape for a customer who hides the number: a user ID and a username, no `from`, no `wa_id`. */
	const usernameOnly = () => ({
		meta_object: {
			field: 'messages',
			value: {
				messaging_product: 'whatsapp',
				metadata: { display_phone_number: BUSINESS, phone_number_id: '104735392345678' },
				contacts: [{ profile: { name: 'Asha', username: '@asha.k' }, user_id: USER_ID }],
				messages: [
					{
						from_user_id: USER_ID,
						id: INCOMING_ID,
						timestamp: WHEN,
						type: 'text',
						text: { body: 'Is my order shipped?' },
					},
				],
			},
		},
		extra_info: { ref: '', ref1: '', ref2: '' },
	});

	it('point 5: a message without a number has from null, the user ID and username, and the user ID as sessionId', async () => {
		const answer = await receive(usernameOnly());
		expect(answer.items).toHaveLength(1);
		expect(answer.items![0]).toMatchObject({
			event: 'message',
			from: null,
			userId: USER_ID,
			username: '@asha.k',
			name: 'Asha',
			sessionId: USER_ID,
			chatInput: 'Is my order shipped?',
			messageId: INCOMING_ID,
		});
	});

	it('point 5: the same message delivered twice is still one execution', async () => {
		const trigger = new TriggerUnderTest({ events: EVERYTHING });
		await trigger.receive({ body: usernameOnly(), headers: withSecret() });
		expect((await trigger.receive({ body: usernameOnly(), headers: withSecret() })).body).toEqual({
			received: 1,
			started: 0,
			notChosen: 0,
			duplicates: 1,
		});
	});

	it('point 5: with the number too, from is the number and sessionId stays the number', async () => {
		const body = incoming([message('text', { text: { body: 'Hi' }, from_user_id: USER_ID })]);
		const [item] = (await receive(body)).items!;
		expect([item.from, item.userId, item.sessionId]).toEqual([`+${ASHA}`, USER_ID, `+${ASHA}`]);
	});

	it("point 5: a status about a username-only customer carries Meta's recipient_user_id", async () => {
		const body = statusCallback('delivered', {
			recipient_id: undefined,
			recipient_user_id: USER_ID,
		});
		const [item] = (await receive(body)).items!;
		expect([item.to, item.userId, item.sessionId, item.chatInput]).toEqual([
			null,
			USER_ID,
			USER_ID,
			null,
		]);
	});
});

describe('point 6: status errors a builder can act on', () => {
	it.each([
		[
			'131042',
			'A payment or eligibility problem on the WhatsApp Business account: Meta stopped paid messages. Check the payment method and the account in Meta Business Manager, or ask Kaleyra.',
		],
		[
			'131026',
			'WhatsApp could not deliver to this number: it may not be on WhatsApp, has not accepted the new terms, or the app is too old. Check the number, or reach the customer another way; do not retry at once.',
		],
		[
			'131049',
			'Meta held this marketing message back to protect engagement. Do not re-send at once; try later or with another template.',
		],
		[
			'131050',
			'The customer has stopped marketing messages from your business. Do not send them marketing templates; utility and service messages still reach them.',
		],
		[
			'131056',
			'Too many messages to this one customer in a short time (the pair rate limit). Wait a few seconds between messages to the same number, then send again.',
		],
		[
			'131053',
			'WhatsApp could not download the media of your message. Check that the link is public HTTPS, answers quickly with the right content type, and is within the size limit; or upload the file first.',
		],
	])('point 6: a failed status with Meta code %s says what to do', async (code, hint) => {
		const body = statusCallback('failed', {
			errors: [{ code: Number(code), title: 'Failure', message: 'Failure' }],
		});
		const [item] = (await receive(body)).items!;
		expect(item.error).toEqual({ code, title: 'Failure', details: 'Failure', hint });
	});
});

describe('point 8: ready for an AI Agent behind the trigger', () => {
	it.each([
		[
			'a text',
			message('text', { text: { body: 'When does the shop open?' } }),
			'When does the shop open?',
		],
		[
			'a tapped reply button',
			message('interactive', {
				interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes, deliver' } },
			}),
			'Yes, deliver',
		],
		[
			'a picked list row',
			message('interactive', {
				interactive: { type: 'list_reply', list_reply: { id: 'slot-2', title: 'Friday 10–12' } },
			}),
			'Friday 10–12',
		],
		[
			'a photo with a caption',
			message('image', { image: { id: '1', caption: 'Broken on arrival' } }),
			'Broken on arrival',
		],
		[
			'a location without a name',
			message('location', { location: { latitude: 12.9, longitude: 77.6 } }),
			null,
		],
	])(
		'point 8: %s: sessionId is the customer, chatInput what they said',
		async (_label, incomingMessage, said) => {
			const [item] = (await receive(incoming([incomingMessage]))).items!;
			expect([item.sessionId, item.chatInput]).toEqual([`+${ASHA}`, said]);
		},
	);

	it('point 8: a quality notice has neither', async () => {
		const trigger = new TriggerUnderTest({ events: EVERYTHING });
		const [item] = (
			await trigger.receive({
				method: 'GET',
				query: { event: 'upgrade', display_phone_number: BUSINESS },
				headers: withSecret(),
			})
		).items!;
		expect([item.sessionId, item.chatInput]).toEqual([null, null]);
	});
});
