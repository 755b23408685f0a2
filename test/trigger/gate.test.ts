/**
 * Who may start the workflow, on which callbacks, and how often: only your callback profile (401
 * for anyone else, nothing started, the secret in no answer), only the events you chose, and each
 * message or status once however often Kaleyra delivers it.
 */
import { NodeHelpers, type IDataObject, type INode } from 'n8n-workflow';

import { KaleyraWhatsAppTrigger } from '../../nodes/KaleyraWhatsAppTrigger/KaleyraWhatsAppTrigger.node';
import { SeenCallbacks } from '../../nodes/KaleyraWhatsAppTrigger/once';
import { NOT_SENT, incoming, message, statusCallback } from './payloads';
import { EVERYTHING, INCOMING_ONLY, SECRET, TriggerUnderTest, withSecret } from './support';

const TEXT = incoming([message('text', { text: { body: 'Hi, has my order shipped?' } })]);
const basic = (user: string, password: string) =>
	`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const REFUSED = {
	code: 401,
	message: 'Unauthorized: this callback is not from your Kaleyra callback profile',
};

describe('only your Kaleyra callback profile gets in', () => {
	it('with the secret header, the callback starts the workflow', async () => {
		const answer = await new TriggerUnderTest().receive({ body: TEXT, headers: withSecret() });
		expect(answer.status).toBeUndefined();
		expect(answer.items).toHaveLength(1);
		expect(answer.body).toEqual({ received: 1, started: 1, notChosen: 0, duplicates: 0 });
	});

	it('the header name is matched whatever its case', async () => {
		const answer = await new TriggerUnderTest().receive({
			body: TEXT,
			headers: { 'x-kaleyra-secret': SECRET },
		});
		expect(answer.items).toHaveLength(1);
	});

	it.each([
		['no header', {}],
		['a wrong secret', { 'X-Kaleyra-Secret': 'kly-cb-9Qm2-SECRET-x7Lp4Wy' }],
		['the secret with a space added', { 'X-Kaleyra-Secret': `${SECRET} ` }],
		['a prefix of the secret', { 'X-Kaleyra-Secret': SECRET.slice(0, -1) }],
		['the secret under another header name', { 'X-Secret': SECRET }],
	])(
		'%s gets 401, starts nothing and the answer does not contain the secret',
		async (_case, headers) => {
			const answer = await new TriggerUnderTest().receive({ body: TEXT, headers });
			expect(answer).toMatchObject({ status: 401, body: REFUSED, items: undefined });
			expect(answer.result).toEqual({ noWebhookResponse: true });
			expect(JSON.stringify(answer)).not.toContain(SECRET);
		},
	);

	it('a GET (notice) without the secret gets 401 too', async () => {
		const answer = await new TriggerUnderTest({ events: EVERYTHING }).receive({
			method: 'GET',
			query: { event: 'upgrade', display_phone_number: '919845098450' },
		});
		expect(answer).toMatchObject({ status: 401, items: undefined });
	});

	describe('Basic auth', () => {
		const PASSWORD = 'correct-horse-battery-staple-42';
		const basicTrigger = () =>
			new TriggerUnderTest({ authentication: 'basicAuth', user: 'kaleyra', password: PASSWORD });

		it('the right user and password start the workflow', async () => {
			const answer = await basicTrigger().receive({
				body: TEXT,
				headers: { Authorization: basic('kaleyra', PASSWORD) },
			});
			expect(answer.items).toHaveLength(1);
		});

		it.each([
			['a wrong password', basic('kaleyra', 'correct-horse-battery-staple-43')],
			['a wrong user', basic('someone', PASSWORD)],
			['a bearer token', `Bearer ${PASSWORD}`],
		])('%s gets 401 with a Basic challenge, and nothing starts', async (_case, authorization) => {
			const answer = await basicTrigger().receive({
				body: TEXT,
				headers: { Authorization: authorization },
			});
			expect(answer).toMatchObject({ status: 401, body: REFUSED, items: undefined });
			expect(answer.headers['www-authenticate']).toBe('Basic realm="Kaleyra WhatsApp Trigger"');
			expect(JSON.stringify(answer)).not.toContain(PASSWORD);
		});

		it('the secret header is not accepted instead', async () => {
			const answer = await basicTrigger().receive({ body: TEXT, headers: withSecret() });
			expect(answer.status).toBe(401);
		});
	});

	it('a trigger whose secret is too short refuses every callback, even one carrying that secret', async () => {
		const answer = await new TriggerUnderTest({ secret: 'short' }).receive({
			body: TEXT,
			headers: { 'X-Kaleyra-Secret': 'short' },
		});
		expect(answer.status).toBe(401);
	});
});

describe('activation (and "Listen for test event") checks the settings and names the field to fix', () => {
	it('passes with a header name and a long secret', async () => {
		await expect(new TriggerUnderTest().activate()).resolves.toBeUndefined();
	});

	it.each([
		[
			{ secret: '' },
			'Secret: enter at least 16 characters (a long random value), the same as in the Kaleyra callback profile',
		],
		[
			{ secret: '0123456789abcde' },
			'Secret: enter at least 16 characters (a long random value), the same as in the Kaleyra callback profile',
		],
		[
			{ headerName: 'X Kaleyra Secret' },
			'Header Name: enter an HTTP header name of letters, digits and dashes, e.g. X-Kaleyra-Secret',
		],
		[
			{ authentication: 'basicAuth', user: '', password: 'correct-horse-battery-staple' },
			'User: enter the user name set in the Kaleyra callback profile',
		],
		[
			{ authentication: 'basicAuth', user: 'a:b', password: 'correct-horse-battery-staple' },
			'User: Basic auth user names cannot contain ":"',
		],
		[
			{ authentication: 'basicAuth', user: 'kaleyra', password: 'short' },
			'Password: enter at least 16 characters (a long random value), the same as in the Kaleyra callback profile',
		],
		[{ events: [] }, 'Events: choose at least one kind of callback to start on'],
	])('fails for %j: %s', async (parameters, message) => {
		await expect(new TriggerUnderTest(parameters).activate()).rejects.toThrow(message);
	});

	it('the error for a wrong secret does not repeat it', async () => {
		const error = await new TriggerUnderTest({ secret: 'tooShortSecret' })
			.activate()
			.catch((caught: Error) => caught);
		expect(String(error)).not.toContain('tooShortSecret');
	});
});

describe('version 1.1: the secret lives in a Kaleyra WhatsApp Callback API credential, not in the workflow', () => {
	const HEADER = { authentication: 'secretHeader', headerName: 'X-Kaleyra-Secret', secret: SECRET };
	const PASSWORD = 'correct-horse-battery-staple-42';
	const current = (callback?: IDataObject, parameters: IDataObject = {}) =>
		new TriggerUnderTest(parameters, { version: 1.1, callback });

	it('new triggers are version 1.1, with the callback credential required and the secret fields gone from the node', () => {
		const { description } = new KaleyraWhatsAppTrigger();
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
		expect(description.credentials).toEqual([
			{
				name: 'kaleyraWhatsAppCallbackApi',
				required: true,
				testedBy: 'callbackSettings',
				displayOptions: { show: { '@version': [1.1] } },
			},
			{
				name: 'kaleyraWhatsAppApi',
				required: false,
				displayOptions: { show: { 'options.downloadMedia': [true] } },
			},
		]);
		const shownOn11 = description.properties.filter((property) =>
			NodeHelpers.displayParameter(
				{ events: ['text'] },
				property,
				{ typeVersion: 1.1 } as INode,
				description,
			),
		);
		expect(shownOn11.map((property) => property.name)).toEqual([
			'setupNotice',
			'events',
			'options',
		]);
		const shownOn1 = description.properties.filter((property) =>
			NodeHelpers.displayParameter(
				{ authentication: 'secretHeader' },
				property,
				{ typeVersion: 1 } as INode,
				description,
			),
		);
		expect(shownOn1.map((property) => property.name)).toEqual([
			'setupNotice',
			'authentication',
			'secretHeaderNotice',
			'headerName',
			'secret',
			'events',
			'options',
		]);
	});

	it("the credential's secret header lets the callback in; a wrong one gets 401 with the secret in no answer", async () => {
		const trigger = current(HEADER);
		await expect(trigger.activate()).resolves.toBeUndefined();
		const answer = await trigger.receive({ body: TEXT, headers: withSecret() });
		expect(answer.items).toHaveLength(1);
		const refused = await trigger.receive({
			body: TEXT,
			headers: { 'X-Kaleyra-Secret': 'kly-cb-9Qm2-SECRET-x7Lp4Wy' },
		});
		expect(refused).toMatchObject({ status: 401, body: REFUSED, items: undefined });
		expect(JSON.stringify(refused)).not.toContain(SECRET);
	});

	it("Basic auth from the credential; secret fields left in the node's parameters (an old export edited by hand) are ignored", async () => {
		const trigger = current(
			{ authentication: 'basicAuth', user: 'kaleyra', password: PASSWORD },
			{ headerName: 'X-Old', secret: 'an-old-node-secret-0123456789' },
		);
		expect(
			(
				await trigger.receive({
					body: TEXT,
					headers: { Authorization: basic('kaleyra', PASSWORD) },
				})
			).items,
		).toHaveLength(1);
		expect(
			(await trigger.receive({ body: TEXT, headers: { 'X-Old': 'an-old-node-secret-0123456789' } }))
				.status,
		).toBe(401);
	});

	it('without a credential chosen, activation names it and every callback gets 401', async () => {
		const trigger = current();
		await expect(trigger.activate()).rejects.toThrow(
			'Credential to connect with: choose or create a Kaleyra WhatsApp Callback API credential holding the secret of your Kaleyra callback profile',
		);
		expect((await trigger.receive({ body: TEXT, headers: withSecret() })).status).toBe(401);
	});

	it('a credential with a short secret: activation names the credential and its field, callbacks get 401', async () => {
		const trigger = current({ ...HEADER, secret: 'short' });
		await expect(trigger.activate()).rejects.toThrow(
			'Kaleyra WhatsApp Callback API credential → Secret: enter at least 16 characters (a long random value), the same as in the Kaleyra callback profile',
		);
		expect(
			(await trigger.receive({ body: TEXT, headers: { 'X-Kaleyra-Secret': 'short' } })).status,
		).toBe(401);
	});

	it("the credential's Test button checks the settings (nothing is called)", async () => {
		const test = new KaleyraWhatsAppTrigger().methods.credentialTest.callbackSettings;
		const run = async (data: IDataObject) =>
			await test.call({} as never, {
				id: '1',
				name: 'Kaleyra callback',
				type: 'kaleyraWhatsAppCallbackApi',
				data: data as never,
			});
		expect(await run(HEADER)).toEqual({
			status: 'OK',
			message: 'The settings are complete. Enter the same values in the Kaleyra callback profile.',
		});
		expect(await run({ ...HEADER, headerName: 'X Kaleyra' })).toEqual({
			status: 'Error',
			message:
				'Header Name: enter an HTTP header name of letters, digits and dashes, e.g. X-Kaleyra-Secret',
		});
		expect(await run({ authentication: 'basicAuth', user: 'kaleyra', password: 'short' })).toEqual({
			status: 'Error',
			message:
				'Password: enter at least 16 characters (a long random value), the same as in the Kaleyra callback profile',
		});
	});
});

describe('only the events you chose start the workflow', () => {
	it('by default every incoming message kind and no status', async () => {
		const trigger = new TriggerUnderTest();
		const statuses = await trigger.receive({
			body: statusCallback('delivered'),
			headers: withSecret(),
		});
		expect(statuses.items).toBeUndefined();
		expect(statuses.body).toEqual({ received: 1, started: 0, notChosen: 1, duplicates: 0 });
		const text = await trigger.receive({ body: TEXT, headers: withSecret() });
		expect(text.items).toHaveLength(1);
	});

	it('the default is the incoming kinds, listed in the node', async () => {
		const { KaleyraWhatsAppTrigger } =
			await import('../../nodes/KaleyraWhatsAppTrigger/KaleyraWhatsAppTrigger.node');
		const events = new KaleyraWhatsAppTrigger().description.properties.find(
			(property) => property.name === 'events',
		)!;
		expect(events.default).toEqual(INCOMING_ONLY);
		const incomingOptions = (events.options as Array<{ value: string }>)
			.map((option) => option.value)
			.slice(0, INCOMING_ONLY.length);
		expect(incomingOptions).toEqual(INCOMING_ONLY);
	});

	it('with statuses chosen, a status starts it', async () => {
		const answer = await new TriggerUnderTest({ events: ['delivered'] }).receive({
			body: statusCallback('delivered'),
			headers: withSecret(),
		});
		expect(answer.items).toMatchObject([{ event: 'status', status: 'delivered' }]);
	});

	it('only the chosen statuses: failed and not sent, but not read', async () => {
		const trigger = new TriggerUnderTest({ events: ['failed', 'notSent'] });
		expect(
			(await trigger.receive({ body: statusCallback('read'), headers: withSecret() })).items,
		).toBeUndefined();
		expect(
			(await trigger.receive({ body: statusCallback('failed'), headers: withSecret() })).items,
		).toHaveLength(1);
		expect((await trigger.receive({ body: NOT_SENT, headers: withSecret() })).items).toHaveLength(
			1,
		);
	});

	it('only button taps: a text is not chosen, a tap is', async () => {
		const trigger = new TriggerUnderTest({ events: ['buttonReply'] });
		expect((await trigger.receive({ body: TEXT, headers: withSecret() })).items).toBeUndefined();
		const tap = incoming([
			message('interactive', {
				interactive: { type: 'button_reply', button_reply: { id: 'no', title: 'No' } },
			}),
		]);
		expect((await trigger.receive({ body: tap, headers: withSecret() })).items).toMatchObject([
			{ buttonId: 'no' },
		]);
	});

	it('notices only when chosen', async () => {
		const query = {
			event: 'upgrade',
			display_phone_number: '919845098450',
			current_limit: 'TIER_10K',
		};
		expect(
			(await new TriggerUnderTest().receive({ method: 'GET', query, headers: withSecret() })).items,
		).toBeUndefined();
		expect(
			(
				await new TriggerUnderTest({ events: ['notice'] }).receive({
					method: 'GET',
					query,
					headers: withSecret(),
				})
			).items,
		).toHaveLength(1);
	});
});

describe('each message and status starts the workflow once, however often Kaleyra delivers it', () => {
	it('the same incoming message twice: the second starts nothing', async () => {
		const trigger = new TriggerUnderTest();
		expect((await trigger.receive({ body: TEXT, headers: withSecret() })).items).toHaveLength(1);
		const again = await trigger.receive({ body: TEXT, headers: withSecret() });
		expect(again.items).toBeUndefined();
		expect(again.body).toEqual({ received: 1, started: 0, notChosen: 0, duplicates: 1 });
	});

	it('the same message ID with a new status is news; the same status again is not', async () => {
		const trigger = new TriggerUnderTest({ events: ['sent', 'delivered', 'read'] });
		const receive = async (status: string) =>
			(await trigger.receive({ body: statusCallback(status), headers: withSecret() })).items
				?.length ?? 0;
		// Out of order, as Kaleyra may deliver them.
		expect([
			await receive('sent'),
			await receive('read'),
			await receive('delivered'),
			await receive('read'),
			await receive('sent'),
		]).toEqual([1, 1, 1, 0, 0]);
	});

	it('a callback carrying one new and one repeated message starts one item', async () => {
		const trigger = new TriggerUnderTest();
		await trigger.receive({ body: TEXT, headers: withSecret() });
		const both = incoming([
			message('text', { text: { body: 'Hi, has my order shipped?' } }),
			message('text', { text: { body: 'Hello?' } }, { id: 'wamid.new' }),
		]);
		const answer = await trigger.receive({ body: both, headers: withSecret() });
		expect(answer.items).toMatchObject([{ messageId: 'wamid.new', text: 'Hello?' }]);
		expect(answer.body).toEqual({ received: 2, started: 1, notChosen: 0, duplicates: 1 });
	});

	it('two deliveries racing each other still start once', async () => {
		const trigger = new TriggerUnderTest();
		const answers = await Promise.all(
			[1, 2, 3].map(() => trigger.receive({ body: TEXT, headers: withSecret() })),
		);
		expect(answers.map((answer) => answer.items?.length ?? 0).sort()).toEqual([0, 0, 1]);
	});

	it('a refused (401) delivery does not use up the message: the genuine one still starts', async () => {
		const trigger = new TriggerUnderTest();
		await trigger.receive({
			body: TEXT,
			headers: { 'X-Kaleyra-Secret': 'wrong-wrong-wrong-wrong' },
		});
		expect((await trigger.receive({ body: TEXT, headers: withSecret() })).items).toHaveLength(1);
	});

	it('a status that was not chosen does not use up the message either', async () => {
		const trigger = new TriggerUnderTest({ events: ['read'] });
		await trigger.receive({ body: statusCallback('delivered'), headers: withSecret() });
		expect(
			(await trigger.receive({ body: statusCallback('delivered'), headers: withSecret() })).items,
		).toBeUndefined();
		expect(
			(await trigger.receive({ body: statusCallback('read'), headers: withSecret() })).items,
		).toHaveLength(1);
	});

	it('two trigger nodes (two workflows) each get the message once', async () => {
		const first = await new TriggerUnderTest().receive({ body: TEXT, headers: withSecret() });
		const second = await new TriggerUnderTest().receive({ body: TEXT, headers: withSecret() });
		expect([first.items?.length, second.items?.length]).toEqual([1, 1]);
	});

	it('the test URL and the production URL remember separately, so testing uses up no production message', async () => {
		const trigger = new TriggerUnderTest();
		expect(
			(await trigger.receive({ body: TEXT, headers: withSecret() }, 'manual')).items,
		).toHaveLength(1);
		expect(
			(await trigger.receive({ body: TEXT, headers: withSecret() }, 'manual')).items,
		).toBeUndefined();
		expect(
			(await trigger.receive({ body: TEXT, headers: withSecret() }, 'webhook')).items,
		).toHaveLength(1);
	});

	it('memory stays bounded: past its capacity the oldest IDs are forgotten', () => {
		const seen = new SeenCallbacks(3);
		expect(['a', 'b', 'c', 'd'].map((key) => seen.firstTime('wf', key))).toEqual([
			true,
			true,
			true,
			true,
		]);
		expect(seen.size).toBe(3);
		expect(seen.firstTime('wf', 'd')).toBe(false);
		expect(seen.firstTime('wf', 'a')).toBe(true); // forgotten, so it counts as new
	});

	it('notices have no ID, so each one starts the workflow', async () => {
		const trigger = new TriggerUnderTest({ events: ['notice'] });
		const query = { event: 'flagged', display_phone_number: '919845098450' };
		const answers = [
			await trigger.receive({ method: 'GET', query, headers: withSecret() }),
			await trigger.receive({ method: 'GET', query, headers: withSecret() }),
		];
		expect(answers.map((answer) => answer.items?.length)).toEqual([1, 1]);
	});
});
