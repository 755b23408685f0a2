/**
 * Issue 17 point 6, the campaign option: with Options → Check Number Can Send First on, the node
 * reads the business number's details (as Phone Number → Get Details does) before its first
 * message, and refuses to start when WhatsApp has blocked the number, naming Meta's reason.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	BUSINESS_DIGITS,
	BUSINESS_NUMBER,
	SID,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	loadFixture,
	run,
	setUpNock,
	withNode,
} from '../node/support';
import { GET_HEADERS } from './support';

setUpNock();

const BASE = 'https://api.in.kaleyra.io';
const DETAILS_URL = `${BASE}/v2/${SID}/whatsapp/${BUSINESS_DIGITS}/phone_number_details`;
const CUSTOMERS = [
	{ phone: '+919811111111', name: 'Asha', orderId: 'A-1001' },
	{ phone: '+919822222222', name: 'Ravi', orderId: 'A-1002' },
];

const details = (canSend: string, errors: IDataObject[] = []) => ({
	code: 'WA200',
	data: {
		quality_rating: 'RED',
		messaging_limit_tier: 'TIER_1K',
		health_status: {
			can_send_message: canSend,
			entities: [{ entity_type: 'PHONE_NUMBER', can_send_message: canSend, errors }],
		},
	},
});
const BLOCKED_BY_PAYMENT = details('BLOCKED', [
	{
		error_code: 141006,
		error_description: 'There is an error with the payment method',
		possible_solution: 'Add a valid payment method to the WhatsApp Business account',
	},
]);

const accepted = (n: number) => ({
	status: 202,
	body: { code: 'WA202', message: 'Request Accepted', data: { message_id: `wamid.${n}` } },
});

/** Send Text to each customer, Options → Check Number Can Send First as given (one at a time, for a fixed order). */
const campaign = (checkNumberFirst: unknown, onError?: 'continueErrorOutput') =>
	withNode(loadFixture('send-text'), {
		parameters: {
			options: {
				ref: '={{ $json.orderId }}',
				messagesInFlight: 1,
				...(checkNumberFirst === undefined ? {} : { checkNumberFirst }),
			},
		},
		onError,
	});

describe('Options → Check Number Can Send First', () => {
	it('a blocked number: one GET of its details, no message sent, the error names the number and Meta’s reason', async () => {
		// No send is answered: one would be an unexpected request, which fails the test (setUpNock).
		const check = kaleyra(BASE, [{ status: 200, body: BLOCKED_BY_PAYMENT }], 'GET');
		const result = await run(campaign(true), CUSTOMERS);
		expect(check.received).toEqual([
			{ method: 'GET', url: DETAILS_URL, headers: GET_HEADERS, body: '' },
		]);
		expect(result.error?.message).toBe(
			`Options → Check Number Can Send First: WhatsApp says ${BUSINESS_NUMBER} cannot send (BLOCKED)`,
		);
		expect(result.error?.description).toBe(
			"PHONE_NUMBER: There is an error with the payment method (141006). Add a valid payment method to the WhatsApp Business account. Nothing was sent. Phone Number → Get Details shows the number's standing; send again once it can.",
		);
	});

	it('with Continue (using error output), every item fails with that reason and nothing is sent', async () => {
		kaleyra(BASE, [{ status: 200, body: BLOCKED_BY_PAYMENT }], 'GET');
		const result = await run(campaign(true, 'continueErrorOutput'), CUSTOMERS);
		expect(itemsOf(result, 0)).toEqual([]);
		expect(itemsOf(result, 1)).toEqual(
			CUSTOMERS.map((customer, item) => ({
				json: {
					...customer,
					error: {
						message: `Options → Check Number Can Send First: WhatsApp says ${BUSINESS_NUMBER} cannot send (BLOCKED)`,
						description:
							"PHONE_NUMBER: There is an error with the payment method (141006). Add a valid payment method to the WhatsApp Business account. Nothing was sent. Phone Number → Get Details shows the number's standing; send again once it can.",
						code: 'NUMBER_CANNOT_SEND',
						httpStatus: null,
						retryable: false,
						maybeSent: false,
					},
				},
				pairedItem: { item },
			})),
		);
	});

	it('a number that can send (AVAILABLE) or is only LIMITED: one check, then every message once', async () => {
		for (const standing of ['AVAILABLE', 'LIMITED']) {
			const check = kaleyra(BASE, [{ status: 200, body: details(standing) }], 'GET');
			const sends = kaleyra(BASE, [accepted(1), accepted(2)], 'POST');
			const result = await run(campaign(true), CUSTOMERS);
			expect(result.error).toBeUndefined();
			expect(check.received.map((r) => r.url)).toEqual([DETAILS_URL]);
			expect(
				sends.received.map((r) => (r.body as { extra_info: IDataObject }).extra_info.ref),
			).toEqual(['A-1001', 'A-1002']);
			expect(itemsOf(result).map(({ json }) => json.messageId)).toEqual(['wamid.1', 'wamid.2']);
		}
	});

	it('when Kaleyra cannot say (the details call fails), nothing is sent and the error says how to go on', async () => {
		kaleyra(BASE, [{ status: 401, body: { code: 'RBC001', message: 'Invalid API key' } }], 'GET');
		const result = await run(campaign(true), CUSTOMERS);
		expect(result.error?.message).toMatch(
			new RegExp(
				`^Options → Check Number Can Send First: Kaleyra did not say whether \\${BUSINESS_NUMBER} can send: .*\\[RBC001\\]`,
			),
		);
		expect(result.error?.description).toMatch(
			/Nothing was sent\. Try again, or remove the option to send without the check\.$/,
		);
	});

	it('off (the default, and as saved before the option existed): no details call, the messages go out', async () => {
		for (const option of [undefined, false]) {
			// A details GET would be an unexpected request, which fails the test (setUpNock).
			const sends = kaleyra(BASE, [accepted(1), accepted(2)], 'POST');
			const result = await run(campaign(option), CUSTOMERS);
			expect(result.error).toBeUndefined();
			expect(sends.received.map((r) => r.method)).toEqual(['POST', 'POST']);
		}
	});

	it('an expression that gives neither true nor false refuses the run, naming the option', async () => {
		const result = await run(campaign('={{ "yes please" }}'), CUSTOMERS);
		expect(result.error?.message).toBe(
			'Options → Check Number Can Send First: expected true or false',
		);
	});

	itKeepsTheApiKeyOutOfEverythingUsersSee();
});
