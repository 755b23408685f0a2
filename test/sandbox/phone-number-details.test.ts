/** Issue 17 point 8: the sandbox answers Phone Number → Get Details as Kaleyra's page documents it. */
import { ACCOUNT, BUSINESS_NUMBER, OTHER_ACCOUNT, useSandbox } from './support';

const { call } = useSandbox();

const details = (number: string, apiKey = ACCOUNT.apiKey) =>
	call(`/v2/${ACCOUNT.sid}/whatsapp/${number}/phone_number_details`, {
		headers: { 'api-key': apiKey },
	});

describe('sandbox: GET /v2/<SID>/whatsapp/<number>/phone_number_details', () => {
	it("point 8: the account's number: 200 with Meta's fields under data", async () => {
		const reply = await details(BUSINESS_NUMBER.slice(1));
		expect(reply.status).toBe(200);
		expect(reply.json.data).toEqual({
			display_phone_number: BUSINESS_NUMBER,
			verified_name: 'Sandbox Business',
			status: 'CONNECTED',
			quality_rating: 'GREEN',
			quality_score: { score: 'GREEN' },
			messaging_limit_tier: 'TIER_1K',
			throughput: { level: 'STANDARD' },
			name_status: 'APPROVED',
			health_status: {
				can_send_message: 'AVAILABLE',
				entities: [{ entity_type: 'PHONE_NUMBER', can_send_message: 'AVAILABLE' }],
			},
		});
	});

	it("point 8: another account's number is WA401, a wrong key RBC001", async () => {
		expect((await details(OTHER_ACCOUNT.numbers[0].slice(1))).json.code).toBe('WA401');
		const wrongKey = await details(BUSINESS_NUMBER.slice(1), 'wrong');
		expect([wrongKey.status, wrongKey.json.code]).toEqual([401, 'RBC001']);
	});
});
