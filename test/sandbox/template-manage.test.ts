/** Issue 17 point 8: the sandbox creates, edits and deletes templates as Kaleyra's pages describe. */
import { ACCOUNT, useSandbox } from './support';

const WABA = '100000000000777';
const { call } = useSandbox([{ ...ACCOUNT, wabaId: WABA }]);

const path = `/v2/${ACCOUNT.sid}/whatsapp/${WABA}/message_templates`;
const headers = { 'api-key': ACCOUNT.apiKey, 'content-type': 'application/json' };
const body = (name: string, language = 'en') => ({
	name,
	language,
	category: 'UTILITY',
	components: [{ type: 'BODY', text: 'Hello' }],
});

describe('sandbox: template management', () => {
	it('point 8: Create answers an ID and PENDING; the listing has it; an admin call approves it; Delete by name removes every language', async () => {
		const created = await call(path, {
			method: 'POST',
			headers,
			body: JSON.stringify(body('sandbox_new')),
		});
		expect(created.status).toBe(200);
		expect(created.json.data).toEqual({
			id: expect.stringMatching(/^\d+$/),
			status: 'PENDING',
			category: 'UTILITY',
		});
		await call(path, { method: 'POST', headers, body: JSON.stringify(body('sandbox_new', 'hi')) });
		const again = await call(path, {
			method: 'POST',
			headers,
			body: JSON.stringify(body('sandbox_new')),
		});
		expect([again.status, again.json.code]).toEqual([400, 'WA400']);
		const approved = await call('/__sandbox/template-status', {
			method: 'POST',
			body: JSON.stringify({ name: 'sandbox_new', language: 'en', status: 'APPROVED' }),
		});
		expect(approved.json).toEqual({ changed: 1 });
		const listed = await call(`${path}?name=sandbox_new`, { headers });
		expect(
			listed.json.data.map((t: { language: string; status: string }) => [t.language, t.status]),
		).toEqual([
			['en', 'APPROVED'],
			['hi', 'PENDING'],
		]);
		const deleted = await call(`${path}?name=sandbox_new`, { method: 'DELETE', headers });
		expect(deleted.status).toBe(200);
		expect((await call(`${path}?name=sandbox_new`, { headers })).json.data).toEqual([]);
	});

	it('point 8: Edit: a PENDING template is refused; an approved one once in 24 hours, and never its category', async () => {
		const created = await call(path, {
			method: 'POST',
			headers,
			body: JSON.stringify(body('sandbox_edit')),
		});
		const id = created.json.data.id as string;
		const edit = (change: object) =>
			call(path, { method: 'PUT', headers, body: JSON.stringify({ template_id: id, ...change }) });
		expect((await edit({ components: [{ type: 'BODY', text: 'Hi' }] })).json.error).toEqual({
			template_id: 'a PENDING template cannot be edited',
		});
		await call('/__sandbox/template-status', {
			method: 'POST',
			body: JSON.stringify({ name: 'sandbox_edit', status: 'APPROVED' }),
		});
		expect((await edit({ category: 'MARKETING' })).json.error).toEqual({
			category: "an approved template's category cannot change",
		});
		expect((await edit({ components: [{ type: 'BODY', text: 'Hi' }] })).status).toBe(200);
		expect((await edit({ components: [{ type: 'BODY', text: 'Hi again' }] })).json.error).toEqual({
			template_id: 'an approved template can be edited once in 24 hours and 10 times in 30 days',
		});
		await call(`${path}?name=sandbox_edit`, { method: 'DELETE', headers });
	});
});
