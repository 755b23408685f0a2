/**
 * Issue 23, points 8 and 9 (trigger side): a callback's message type and error code are outside
 * data, read as unknown when they are named like an object's own members; and two different
 * statuses never share one de-duplication key.
 */
import { ASHA, SENT_ID, WHEN, incoming, message, statusCallback } from './payloads';
import { EVERYTHING, INCOMING_ONLY, TriggerUnderTest, withSecret } from './support';

describe('point 8: a type or code named like an object member', () => {
	it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('an incoming message of type %s is an Other Incoming Message item', async (type) => {
		const body = incoming([message(type, { [type]: { body: 'x' } })]);
		const answer = await new TriggerUnderTest({ events: INCOMING_ONLY.filter((kind) => kind !== 'text') }).receive({ body, headers: withSecret() });
		expect(answer.items).toHaveLength(1);
		expect(answer.items![0]).toMatchObject({ event: 'message', type, text: null });
	});

	it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('a failed status with error code %s has no hint', async (code) => {
		const body = statusCallback('failed', { errors: [{ code, title: 'Odd' }] });
		const answer = await new TriggerUnderTest({ events: EVERYTHING }).receive({ body, headers: withSecret() });
		expect(answer.items![0].error).toEqual({ code, title: 'Odd', details: null, hint: null });
	});
});

describe('point 9: two different callbacks never share a de-duplication key', () => {
	it('"sent" for message ID "wamid.A not" and "not sent" for "wamid.A" both start the workflow', async () => {
		const trigger = new TriggerUnderTest({ events: EVERYTHING });
		const sent = statusCallback('sent', { id: 'wamid.A not' });
		const notSent = { code: 'WAV2101', status: 'not sent', reason: 'Daily limit exhausted', message_id: 'wamid.A', extra_info: { ref: '', ref1: '', ref2: '' } };
		const first = await trigger.receive({ body: { ...sent, message_id: 'wamid.A not' }, headers: withSecret() });
		const second = await trigger.receive({ body: notSent, headers: withSecret() });
		expect(first.items?.map((item) => [item.messageId, item.status])).toEqual([['wamid.A not', 'sent']]);
		expect(second.items?.map((item) => [item.messageId, item.status])).toEqual([['wamid.A', 'not sent']]);
	});

	it('the same status twice still starts it once', async () => {
		const trigger = new TriggerUnderTest({ events: EVERYTHING });
		const body = statusCallback('delivered', { id: SENT_ID, timestamp: WHEN, recipient_id: ASHA });
		expect((await trigger.receive({ body, headers: withSecret() })).items).toHaveLength(1);
		expect((await trigger.receive({ body, headers: withSecret() })).items).toBeUndefined();
	});
});
