/**
 * Second hardening pass of the trigger (issue 23): outside names looked up in the trigger's
 * tables, and callbacks that must not share one de-duplication key.
 */
import { incoming, message, statusCallback } from './payloads';
import { EVERYTHING, TriggerUnderTest, withSecret } from './support';

const INHERITED_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];

describe('point 8: lookups in plain objects answer for names like `constructor`', () => {
	it.each(INHERITED_NAMES)(
		'point 8: an incoming message of type %s starts the workflow as Other Incoming Message',
		async (type) => {
			const trigger = new TriggerUnderTest({ events: ['otherMessage'] });
			const answer = await trigger.receive({
				body: incoming([message(type, {})]),
				headers: withSecret(),
			});
			expect(answer.body).toEqual({ received: 1, started: 1, notChosen: 0, duplicates: 0 });
			expect(answer.items).toHaveLength(1);
			expect(answer.items![0]).toMatchObject({ event: 'message', type });
		},
	);

	it.each(INHERITED_NAMES)(
		'point 8: a failed status with error code %s has no hint',
		async (code) => {
			const trigger = new TriggerUnderTest({ events: EVERYTHING });
			const body = statusCallback('failed', { errors: [{ code, title: 'Odd', message: 'Odd' }] });
			const answer = await trigger.receive({ body, headers: withSecret() });
			expect(answer.items).toHaveLength(1);
			expect(answer.items![0].error).toEqual({ code, title: 'Odd', details: 'Odd', hint: null });
		},
	);

	it.each(INHERITED_NAMES)(
		'point 8: a status named %s is not chosen (no event of that name exists)',
		async (status) => {
			const trigger = new TriggerUnderTest({ events: EVERYTHING });
			const answer = await trigger.receive({ body: statusCallback(status), headers: withSecret() });
			expect(answer.body).toEqual({ received: 1, started: 0, notChosen: 1, duplicates: 0 });
			expect(answer.items).toBeUndefined();
		},
	);
});

describe('point 9: two different callbacks can share one de-duplication key', () => {
	it('point 9: a "sent" for message ID `wamid.A not` and a "not sent" for `wamid.A` both start the workflow', async () => {
		const trigger = new TriggerUnderTest({ events: EVERYTHING });
		const first = await trigger.receive({
			body: statusCallback('sent', { id: 'wamid.A not' }),
			headers: withSecret(),
		});
		const notSent = {
			status: 'not sent',
			message_id: 'wamid.A',
			code: 'WAV2101',
			reason: 'Daily limit reached',
		};
		const second = await trigger.receive({ body: notSent, headers: withSecret() });
		expect(first.items!.map((item) => [item.messageId, item.status])).toEqual([
			['wamid.A not', 'sent'],
		]);
		expect(second.body).toEqual({ received: 1, started: 1, notChosen: 0, duplicates: 0 });
		expect(second.items!.map((item) => [item.messageId, item.status])).toEqual([
			['wamid.A', 'not sent'],
		]);
	});

	it('point 9: the same status delivered twice is still started once', async () => {
		const trigger = new TriggerUnderTest({ events: EVERYTHING });
		await trigger.receive({ body: statusCallback('sent'), headers: withSecret() });
		const again = await trigger.receive({ body: statusCallback('sent'), headers: withSecret() });
		expect(again.body).toEqual({ received: 1, started: 0, notChosen: 0, duplicates: 1 });
	});
});

describe('point 13: trigger items for callbacks without an ID start a run for every repeat', () => {
	const v1Incoming = {
		from: '919812345678',
		wanumber: '919845098450',
		name: 'Asha',
		type: 'text',
		body: 'Is my order shipped?',
		created_at: '2021-11-19 08:47:16+00:00',
	};

	it('point 13: a version-1 incoming POST without an ID delivered twice starts the workflow once', async () => {
		const trigger = new TriggerUnderTest({ events: EVERYTHING });
		const first = await trigger.receive({ body: v1Incoming, headers: withSecret() });
		const again = await trigger.receive({ body: v1Incoming, headers: withSecret() });
		expect(first.items!.map((item) => [item.messageId, item.text])).toEqual([
			[null, 'Is my order shipped?'],
		]);
		expect(again.body).toEqual({ received: 1, started: 0, notChosen: 0, duplicates: 1 });
		expect(again.items).toBeUndefined();
	});

	it('point 13: another message from the same sender at another time or with other words still starts', async () => {
		const trigger = new TriggerUnderTest({ events: EVERYTHING });
		await trigger.receive({ body: v1Incoming, headers: withSecret() });
		const later = await trigger.receive({
			body: { ...v1Incoming, created_at: '2021-11-19 08:48:16+00:00' },
			headers: withSecret(),
		});
		const other = await trigger.receive({
			body: { ...v1Incoming, body: 'Thanks' },
			headers: withSecret(),
		});
		expect(later.body).toEqual({ received: 1, started: 1, notChosen: 0, duplicates: 0 });
		expect(other.body).toEqual({ received: 1, started: 1, notChosen: 0, duplicates: 0 });
	});
});

describe('point 10: every trigger item carries the whole callback as `raw`', () => {
	// A customer's real text: WhatsApp's long message ID and a sentence or two.
	const texts = (count: number) =>
		Array.from({ length: count }, (_, index) =>
			message(
				'text',
				{
					text: {
						body: `Hello, this is message ${index}: could you tell me when order A-${1000 + index} ships, and whether the blue one is still in stock? Thanks!`,
					},
				},
				{
					id: `wamid.HBgMOTE5ODEyMzQ1Njc4FQIAEhggQTNFQjRDMEFBNzNGQjdGMkY5RDM1RTBCQjVC${String(index).padStart(4, '0')}`,
				},
			),
		);
	const itemsSize = async (body: object) => {
		const answer = await new TriggerUnderTest({ events: EVERYTHING }).receive({
			body,
			headers: withSecret(),
		});
		return { items: answer.items!, size: JSON.stringify(answer.items).length };
	};

	it('point 10: 100 messages in one callback give items whose raw holds only their own message, a few times the callback in all (was 100×)', async () => {
		const messages = texts(100);
		const body = incoming(messages);
		const { items, size } = await itemsSize(body);
		expect(items).toHaveLength(100);
		items.forEach((item, index) => {
			expect(item.raw).toEqual({
				...body,
				meta_object: {
					...body.meta_object,
					value: { ...body.meta_object.value, messages: [messages[index]] },
				},
			});
		});
		// Each item repeats the envelope (number, references) and its 32 fields beside its message, so
		// about 5× for short texts; the old code was 100× (every item held all 100 messages).
		expect(size).toBeLessThanOrEqual(6 * JSON.stringify(body).length);
		// Proportional: twice the messages, twice the size (was four times).
		expect((await itemsSize(incoming(texts(200)))).size).toBeLessThanOrEqual(2.1 * size);
	});
});
