/** Issue 17 point 8: the sandbox's Flows: created as DRAFT, listed by WABA with paging, published once. */
import { ACCOUNT, useSandbox } from './support';

const WABA = '100000000000888';
const { call } = useSandbox([{ ...ACCOUNT, wabaId: WABA }]);
const headers = { 'api-key': ACCOUNT.apiKey, 'content-type': 'application/json' };
const FLOW_JSON = JSON.stringify({ version: '6.0', screens: [{ id: 'A' }] });

describe('sandbox: Flows', () => {
	it('point 8: create (DRAFT), list, publish; a second publish and a Flow JSON without screens are refused', async () => {
		const bad = await call(`/v2/${ACCOUNT.sid}/whatsapp/${WABA}/flows`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ name: 'x', categories: ['OTHER'], flow_json: '{"version":"6.0"}' }),
		});
		expect([bad.status, bad.json.error]).toEqual([
			400,
			{ flow_json: 'must have a version and screens' },
		]);
		const created = await call(`/v2/${ACCOUNT.sid}/whatsapp/${WABA}/flows`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ name: 'Book', categories: ['OTHER'], flow_json: FLOW_JSON }),
		});
		const id = created.json.data.id as string;
		expect(created.json.data).toEqual({
			id: expect.stringMatching(/^\d+$/),
			success: true,
			validation_errors: [],
		});
		const listed = await call(`/v2/${ACCOUNT.sid}/whatsapp/${WABA}/flows?limit=10`, { headers });
		expect(listed.json).toEqual({
			data: [{ id, name: 'Book', status: 'DRAFT', categories: ['OTHER'], validation_errors: [] }],
			paging: {},
		});
		expect(
			(await call(`/v2/${ACCOUNT.sid}/whatsapp/${id}/publish`, { method: 'POST', headers })).status,
		).toBe(200);
		const again = await call(`/v2/${ACCOUNT.sid}/whatsapp/${id}/publish`, {
			method: 'POST',
			headers,
		});
		expect([again.status, again.json.error]).toEqual([
			400,
			{ flow_id: 'a PUBLISHED Flow cannot be published' },
		]);
	});
});
