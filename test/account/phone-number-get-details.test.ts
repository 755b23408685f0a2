/**
 * Issue 17 point 6: Phone Number → Get Details, a call operation: one GET to Kaleyra's
 * phone_number_details, its answer as one item; a refused business number sends nothing.
 */
import {
	BUSINESS_DIGITS,
	BUSINESS_NUMBER,
	INDIA,
	SID,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	run,
	setUpNock,
} from '../node/support';
import { GET_HEADERS, accountWorkflow } from './support';

setUpNock();

const BASE = 'https://api.in.kaleyra.io';
const DETAILS_URL = `${BASE}/v2/${SID}/whatsapp/${BUSINESS_DIGITS}/phone_number_details`;

const ANSWER = {
	code: 'WA200',
	message: 'Phone number details fetched successfully',
	data: {
		display_phone_number: BUSINESS_NUMBER,
		verified_name: 'Asha Stores',
		status: 'CONNECTED',
		quality_rating: 'YELLOW',
		quality_score: { score: 'YELLOW' },
		messaging_limit_tier: 'TIER_10K',
		throughput: { level: 'HIGH' },
		name_status: 'APPROVED',
		health_status: {
			can_send_message: 'LIMITED',
			entities: [
				{
					entity_type: 'WABA',
					can_send_message: 'LIMITED',
					errors: [
						{
							error_code: 141006,
							error_description: 'Payment method issue',
							possible_solution: 'Add a payment method',
						},
					],
				},
			],
		},
	},
};

const getDetails = (businessNumber: string) =>
	accountWorkflow({ resource: 'phoneNumber', operation: 'getDetails', businessNumber });

describe('Phone Number → Get Details', () => {
	it("point 6: one GET to the number's phone_number_details; the answer is one item with rating, tier, throughput, name status, can send", async () => {
		const { received } = kaleyra(BASE, [{ status: 200, body: ANSWER }], 'GET');
		const result = await run(getDetails('+91 98450 98450'), [{}], INDIA);
		expect(result.error).toBeUndefined();
		expect(received).toEqual([{ method: 'GET', url: DETAILS_URL, headers: GET_HEADERS, body: '' }]);
		expect(itemsOf(result)).toEqual([
			{
				json: {
					businessNumber: BUSINESS_NUMBER,
					verifiedName: 'Asha Stores',
					status: 'CONNECTED',
					qualityRating: 'YELLOW',
					qualityScore: 'YELLOW',
					messagingTier: 'TIER_10K',
					throughput: 'HIGH',
					nameStatus: 'APPROVED',
					canSendMessage: 'LIMITED',
					canReceiveCall: null,
					errors: [
						{
							entityType: 'WABA',
							code: '141006',
							description: 'Payment method issue',
							possibleSolution: 'Add a payment method',
						},
					],
					raw: ANSWER,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('point 6: one item per input item, each from its own number, in order', async () => {
		const { received } = kaleyra(
			BASE,
			[
				{ status: 200, body: { data: { quality_rating: 'GREEN' } } },
				{ status: 200, body: { quality_rating: 'RED' } },
			],
			'GET',
		);
		const result = await run(
			accountWorkflow({
				resource: 'phoneNumber',
				operation: 'getDetails',
				businessNumber: '={{ $json.number }}',
			}),
			[{ number: '+919845098450' }, { number: '+14155550100' }],
		);
		expect(received.map((request) => request.url)).toEqual([
			DETAILS_URL,
			`${BASE}/v2/${SID}/whatsapp/14155550100/phone_number_details`,
		]);
		expect(
			itemsOf(result).map(({ json, pairedItem }) => [
				json.businessNumber,
				json.qualityRating,
				json.canSendMessage,
				pairedItem,
			]),
		).toEqual([
			['+919845098450', 'GREEN', null, { item: 0 }],
			['+14155550100', 'RED', null, { item: 1 }],
		]);
	});

	it('point 6: a business number that is not a phone number is refused naming the field, and nothing is asked of Kaleyra', async () => {
		const result = await run(getDetails('my shop'), [{}]);
		expect(result.error?.message).toBe(
			'Business Number: "my shop" is not a phone number in international format. Use + and the country code followed by the number (8 to 15 digits), e.g. +919900000000.',
		);
		expect(result.error?.description).toBe('Nothing was sent for item 0.');
	});

	it("point 6: Kaleyra's WA401 under On Error → Continue is the item's failure, with the code and hint", async () => {
		kaleyra(
			BASE,
			[
				{
					status: 401,
					body: {
						code: 'WA401',
						message: 'Phone number is not present or does not belong to the account.',
						data: {},
						error: { phone_number: 'not present' },
					},
				},
			],
			'GET',
		);
		const result = await run(
			accountWorkflow(
				{ resource: 'phoneNumber', operation: 'getDetails', businessNumber: BUSINESS_NUMBER },
				'continueRegularOutput',
			),
			[{}],
		);
		expect(result.error).toBeUndefined();
		const [item] = itemsOf(result);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toEqual({
			error: expect.stringContaining('The business number is not in this Kaleyra account'),
			description: expect.stringContaining('Check the Business Number field'),
			code: 'WA401',
			httpStatus: 401,
			retryable: false,
			maybeSent: false,
			fields: { phone_number: 'not present' },
		});
	});

	itKeepsTheApiKeyOutOfEverythingUsersSee();
});
