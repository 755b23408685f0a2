/**
 * Issue 22 point 4, the sandbox's side: a Flow message is accepted only for a Flow the sandbox has
 * PUBLISHED and one of its screens, and the customer can answer it with WhatsApp's nfm_reply, which
 * carries the token the business sent.
 */
import { EVERYTHING, TriggerUnderTest, withSecret } from '../trigger/support';
import { ACCOUNT, BUSINESS_NUMBER, CUSTOMER, useSandbox } from './support';

const WABA = '100000000000888';
const context = useSandbox([{ ...ACCOUNT, wabaId: WABA }]);
const { call, sendV2 } = context;
const headers = { 'api-key': ACCOUNT.apiKey, 'content-type': 'application/json' };
const FLOW_JSON = JSON.stringify({ version: '6.0', screens: [{ id: 'BOOKING' }, { id: 'DONE' }] });
const AT = 'messaging_object.interactive.action.parameters';

async function createFlow(): Promise<string> {
	const created = await call(`/v2/${ACCOUNT.sid}/whatsapp/${WABA}/flows`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ name: 'Book', categories: ['OTHER'], flow_json: FLOW_JSON }),
	});
	return created.json.data.id as string;
}

const publish = (id: string) =>
	call(`/v2/${ACCOUNT.sid}/whatsapp/${id}/publish`, { method: 'POST', headers });

function flowMessage(parameters: Record<string, unknown>) {
	return {
		messaging_object: {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: CUSTOMER,
			type: 'interactive',
			interactive: {
				type: 'flow',
				header: { type: 'text', text: 'Book a visit' },
				body: { text: 'Pick a day and time.' },
				action: {
					name: 'flow',
					parameters: {
						flow_message_version: '3',
						flow_cta: 'Book now',
						flow_action: 'navigate',
						flow_token: 'booking-A-1001',
						...parameters,
					},
				},
			},
		},
	};
}

describe('sandbox: Flow messages', () => {
	it('a published Flow is sent, and the customer answers it with nfm_reply carrying the token the business sent', async () => {
		const id = await createFlow();
		const draft = await sendV2(
			flowMessage({ flow_id: id, flow_action_payload: { screen: 'BOOKING' } }),
		);
		expect([draft.status, draft.json.error]).toEqual([
			400,
			{ [`${AT}.flow_id`]: 'the Flow is DRAFT; only a PUBLISHED Flow can be sent' },
		]);
		await publish(id);
		const sent = await sendV2(
			flowMessage({
				flow_id: id,
				flow_action_payload: { screen: 'BOOKING', data: { customer: 'Asha' } },
			}),
		);
		expect(sent.status).toBe(202);
		const messageId = sent.json.data.message_id as string;

		const answered = await context.sandbox.customer({
			kind: 'flow',
			question: messageId,
			response: { date: '2026-12-09', time: '10:30' },
		});
		const message = answered.payload.meta_object.value.messages[0];
		expect(message).toEqual({
			from: CUSTOMER.slice(1),
			id: answered.messageId,
			timestamp: expect.stringMatching(/^\d+$/),
			type: 'interactive',
			interactive: {
				type: 'nfm_reply',
				nfm_reply: {
					name: 'flow',
					body: 'Sent',
					response_json: JSON.stringify({
						flow_token: 'booking-A-1001',
						date: '2026-12-09',
						time: '10:30',
					}),
				},
			},
			context: { from: BUSINESS_NUMBER.slice(1), id: messageId },
		});
	});

	it("the trigger reads the sandbox's Flow answer: flowResponse, flowToken and flowName, replyTo the Flow message", async () => {
		const id = await createFlow();
		await publish(id);
		const sent = await sendV2(
			flowMessage({ flow_id: id, flow_action_payload: { screen: 'BOOKING' } }),
		);
		const messageId = sent.json.data.message_id as string;
		const answered = await context.sandbox.customer({
			kind: 'flow',
			question: messageId,
			response: { date: '2026-12-09' },
		});
		const trigger = new TriggerUnderTest({ events: EVERYTHING });
		const { items } = await trigger.receive({ body: answered.payload, headers: withSecret() });
		expect(items).toMatchObject([
			{
				event: 'message',
				type: 'nfm_reply',
				from: CUSTOMER,
				replyTo: messageId,
				flowName: 'flow',
				flowToken: 'booking-A-1001',
				flowResponse: { flow_token: 'booking-A-1001', date: '2026-12-09' },
			},
		]);
	});

	it('an unknown Flow, a screen the Flow does not have, a CTA over 20 characters and data_exchange with a payload are refused, each naming its field', async () => {
		const id = await createFlow();
		await publish(id);
		const unknown = await sendV2(
			flowMessage({ flow_id: '123', flow_action_payload: { screen: 'BOOKING' } }),
		);
		expect(unknown.json.error).toEqual({ [`${AT}.flow_id`]: 'no Flow with this ID in the WABA' });
		const screen = await sendV2(
			flowMessage({ flow_id: id, flow_action_payload: { screen: 'PAYMENT' } }),
		);
		expect(screen.json.error).toEqual({
			[`${AT}.flow_action_payload.screen`]:
				'the Flow has no screen "PAYMENT" (it has BOOKING, DONE)',
		});
		const shape = await sendV2(
			flowMessage({
				flow_id: id,
				flow_cta: 'Book your visit with us now',
				flow_action: 'data_exchange',
				flow_action_payload: { screen: 'BOOKING' },
			}),
		);
		expect([shape.status, shape.json.error]).toEqual([
			400,
			{
				[`${AT}.flow_cta`]: 'must be at most 20 characters (got 27)',
				[`${AT}.flow_action_payload`]: 'must be omitted for data_exchange',
			},
		]);
	});

	it('a Flow answer to a message that is not a Flow message is refused', async () => {
		await expect(
			context.sandbox.customer({ kind: 'flow', question: 'wamid.NOPE' }),
		).rejects.toThrow('wamid.NOPE is not a Flow message the sandbox accepted');
	});
});
