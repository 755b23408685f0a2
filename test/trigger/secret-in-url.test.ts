/**
 * Issue 22, point 1: "Secret in URL", the callback credential's third way to prove a request comes
 * from Kaleyra. The number's Incoming URL is a bare URL (no custom header), so only a secret the URL
 * itself carries surely reaches the trigger from there.
 */
import type { IDataObject } from 'n8n-workflow';

import { KaleyraWhatsAppTrigger } from '../../nodes/KaleyraWhatsAppTrigger/KaleyraWhatsAppTrigger.node';

import { incoming, message } from './payloads';
import { EVERYTHING, SECRET, TriggerUnderTest } from './support';

const TOKEN = 'kly-url-7Hq2-TOKEN-p9Wm4Zx3';
const inUrl = (token = TOKEN) => ({ authentication: 'secretInUrl', token });
const trigger = (settings: IDataObject = inUrl()) =>
	new TriggerUnderTest({ events: EVERYTHING }, { version: 1.1, callback: settings });
const TEXT = incoming([message('text', { text: { body: 'Hi from the Incoming URL' } })]);
const REFUSED = {
	code: 401,
	message: 'Unauthorized: this callback is not from your Kaleyra callback profile',
};

describe('point 1: Secret in URL', () => {
	it('point 1: an incoming message whose URL carries the token starts the workflow', async () => {
		const answer = await trigger().receive({ body: TEXT, query: { token: TOKEN } });
		expect(answer.body).toEqual({ received: 1, started: 1, notChosen: 0, duplicates: 0 });
		expect(answer.items![0]).toMatchObject({ event: 'message', text: 'Hi from the Incoming URL' });
		expect(JSON.stringify(answer)).not.toContain(TOKEN);
	});

	it.each([
		['no token', {}],
		['a wrong token', { token: 'kly-url-7Hq2-TOKEN-p9Wm4Zx4' }],
		['the token cut short', { token: TOKEN.slice(0, -1) }],
		['the token as a list (?token=a&token=b)', { token: [TOKEN, TOKEN] }],
	])('point 1: %s gets 401 and starts nothing, the token in no answer', async (_label, query) => {
		const answer = await trigger().receive({ body: TEXT, query: query as IDataObject });
		expect([answer.status, answer.body, answer.items]).toEqual([401, REFUSED, undefined]);
		expect(JSON.stringify(answer.body)).not.toContain(TOKEN);
	});

	it('point 1: a secret header does not stand in for the token', async () => {
		const answer = await trigger().receive({ body: TEXT, headers: { 'X-Kaleyra-Secret': TOKEN } });
		expect(answer.status).toBe(401);
	});

	it("point 1: a GET callback (v1 status, notice) with the token: the token is in no item's fields or raw", async () => {
		const query = {
			token: TOKEN,
			event: 'upgrade',
			display_phone_number: '919845098450',
			current_limit: 'TIER_10K',
		};
		const answer = await trigger().receive({ method: 'GET', query });
		expect(answer.items).toHaveLength(1);
		expect(answer.items![0]).toMatchObject({
			event: 'notice',
			type: 'upgrade',
			raw: { event: 'upgrade', display_phone_number: '919845098450', current_limit: 'TIER_10K' },
		});
		expect(JSON.stringify(answer.items)).not.toContain(TOKEN);
	});

	it('point 1: with Secret Header chosen, a query named token stays what Kaleyra sent', async () => {
		const header = new TriggerUnderTest(
			{ events: EVERYTHING },
			{
				version: 1.1,
				callback: {
					authentication: 'secretHeader',
					headerName: 'X-Kaleyra-Secret',
					secret: SECRET,
				},
			},
		);
		const query = {
			token: 'kaleyra-said-this',
			event: 'upgrade',
			display_phone_number: '919845098450',
		};
		const answer = await header.receive({
			method: 'GET',
			query,
			headers: { 'X-Kaleyra-Secret': SECRET },
		});
		expect(answer.items![0].raw).toEqual(query);
	});

	it.each([
		[
			'short',
			'Token: enter at least 16 characters (a long random value), the same as at the end of the URL you give Kaleyra (?token=…)',
		],
		[
			'a token with spaces in it',
			'Token: use only letters, digits and - . _ ~ so that the URL carries it unchanged',
		],
		[
			'kly/url+7Hq2=TOKEN',
			'Token: use only letters, digits and - . _ ~ so that the URL carries it unchanged',
		],
	])(
		'point 1: the token %j fails activation and the Test button, naming the Token field; every request gets 401',
		async (token, problem) => {
			const bad = trigger(inUrl(token));
			await expect(bad.activate()).rejects.toThrow(
				`Kaleyra WhatsApp Callback API credential → ${problem}`,
			);
			expect((await bad.receive({ body: TEXT, query: { token } })).status).toBe(401);
			const test = new KaleyraWhatsAppTrigger().methods.credentialTest.callbackSettings;
			expect(
				await test.call({} as never, {
					id: '1',
					name: 'Kaleyra callback',
					type: 'kaleyraWhatsAppCallbackApi',
					data: inUrl(token) as never,
				}),
			).toEqual({ status: 'Error', message: problem });
		},
	);

	it('point 1: the Test button says what to paste into Kaleyra', async () => {
		const test = new KaleyraWhatsAppTrigger().methods.credentialTest.callbackSettings;
		expect(
			await test.call({} as never, {
				id: '1',
				name: 'Kaleyra callback',
				type: 'kaleyraWhatsAppCallbackApi',
				data: inUrl() as never,
			}),
		).toEqual({
			status: 'OK',
			message:
				"The settings are complete. Give Kaleyra the trigger's Production URL followed by ?token= and this Token.",
		});
	});
});
