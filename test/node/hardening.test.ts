/**
 * Issue 6, hardening: hostile input and misbehaving answers, run through n8n's engine. Each test is
 * named after the point it proves; each fails on the release before it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { WorkflowFixture } from '../helpers/engine';
import {
	ASHA,
	BEN,
	CHEN,
	API_KEY,
	POD_BASE_URLS,
	SEND_NODE,
	SID,
	type Account,
	accepted,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	loadFixture,
	run,
	setUpNock,
	testConnection,
	withNode,
} from './support';

setUpNock();

const BASE = POD_BASE_URLS.in;
const CONTINUE = 'continueRegularOutput' as const;
/** One message at a time, so that scripted answers meet their requests in input order. */
const ONE_AT_A_TIME = {
	ref: '={{ $json.orderId }}',
	ref1: 'order-shipped',
	waSource: 'shopify',
	messagesInFlight: 1,
};

const sentBodies = (received: Array<{ body: unknown }>) =>
	received.map(
		(r) => ((r.body as IDataObject).messaging_object as IDataObject).text as IDataObject,
	);
const invalid = (field: string, error: string, item: IDataObject = {}) => ({
	error,
	description: expect.stringContaining('Nothing was sent') as unknown,
	code: 'INVALID_INPUT',
	field,
	httpStatus: null,
	retryable: false,
	maybeSent: false,
	...item,
});

function textWith(parameters: IDataObject, onError?: typeof CONTINUE): WorkflowFixture {
	return withNode(loadFixture('send-text'), {
		parameters: { options: ONE_AT_A_TIME, ...parameters },
		onError,
	});
}

describe('1. Every field is refused or accepted in time and memory linear in its size (1 MB values)', () => {
	it('1. a 1 MB Emoji of 262,144 thumbs-ups is refused naming the Emoji field; nothing is sent', async () => {
		const huge = '👍'.repeat(262_144);
		const result = await run(withNode(loadFixture('send-reaction'), { onError: CONTINUE }), [
			{ from: '919811111111', messageId: 'wamid.IN-1', emoji: huge },
		]);
		expect(itemsOf(result)).toEqual([
			{
				json: invalid(
					'Emoji',
					'Emoji: "👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍👍… (524288 characters)" is not a single emoji. Enter exactly one emoji such as 👍, or an escape such as \\u2764; to remove a reaction, turn on Remove Reaction.',
				),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('1. a 1 MB Body, a 1 MB reference and a 1 MB recipient are each refused naming the field, with a short message', async () => {
		const mb = 'x'.repeat(1_048_576);
		const result = await run(
			textWith(
				{
					body: '={{ $json.body ?? "Hi" }}',
					recipient: '={{ $json.phone }}',
					options: { ...ONE_AT_A_TIME, ref: '={{ $json.orderId }}' },
				},
				CONTINUE,
			),
			[
				{ ...ASHA, body: mb },
				{ ...BEN, orderId: mb },
				{ ...CHEN, phone: mb },
			],
		);
		const json = itemsOf(result).map((item) => [
			item.json.field,
			String(item.json.error).length < 400,
		]);
		expect(json).toEqual([
			['Body', true],
			['Options → Reference (Ref)', true],
			['Recipient', true],
		]);
		expect(itemsOf(result)[0].json.error).toBe(
			'Body: WhatsApp allows at most 4096 characters; this has 1048576. Shorten it.',
		);
	});
});

describe('2. Redirects are never followed', () => {
	it.each([301, 302, 307])(
		'2. a %i to another host is a failure naming that host, maybeSent true, and the key goes nowhere',
		async (status) => {
			const { received } = kaleyra(BASE, [
				{ status, body: '', headers: { location: 'http://collector.example.net/steal' } },
			]);
			const result = await run(textWith({}, CONTINUE), [ASHA]);
			expect(received).toHaveLength(1);
			expect(itemsOf(result)).toEqual([
				{
					json: {
						error: `Kaleyra's address answered with a redirect (HTTP ${status}), which the node does not follow: it points to collector.example.net`,
						description: expect.stringContaining(
							`Following it would send the API key${status === 307 ? ' and the message again' : ''} to collector.example.net.`,
						),
						code: null,
						httpStatus: status,
						retryable: false,
						maybeSent: true,
						to: ASHA.phone,
						type: 'text',
						ref: 'A-1001',
						ref1: 'order-shipped',
					},
					pairedItem: { item: 0 },
				},
			]);
		},
	);
});

const REFUSED_BASE_URLS = [
	'http://localhost:x@collector.example.net',
	'https://api.kaleyra.io?tenant=acme',
	'https://api.kaleyra.io#x',
	'https://api.kaleyra.io/v2/../..',
	'https://gateway.example.com/./kaleyra',
	'http://gateway.example.com',
];

describe('3. The connection test and the node apply one base URL rule', () => {
	it.each(REFUSED_BASE_URLS)(
		'3. %s is refused by both, and neither sends anything',
		async (baseUrl) => {
			const account: Account = { pod: 'custom', baseUrl };
			const tested = await testConnection(account);
			const sent = await run('send-text', [ASHA], account);
			expect(tested.error).toBeDefined();
			expect(sent.error?.message).toMatch(
				/^Base URL of the Kaleyra WhatsApp API credential is refused: /,
			);
		},
	);

	it.each(['https://gateway.example.com/kaleyra', 'http://127.0.0.1:4010', 'https://[::1]:8443/k'])(
		'3. %s is accepted by both',
		async (baseUrl) => {
			const account: Account = { pod: 'custom', baseUrl };
			const origin = new URL(baseUrl).origin;
			kaleyra(origin, [{ status: 200, body: { data: [] } }], 'GET');
			const send = kaleyra(origin, [accepted('wamid.1')]);
			expect((await testConnection(account)).error).toBeUndefined();
			expect(itemsOf(await run('send-text', [ASHA], account))[0].json.messageId).toBe('wamid.1');
			expect(send.received).toHaveLength(1);
		},
	);
});

describe('4. One bad expression fails only its item', () => {
	const body = '={{ $json.when.toDateTime().toFormat("d LLL") }} — {{ $json.name }}';

	it('4. with On Error → Continue, the item whose expression throws is an INVALID_INPUT failure naming Body; the others are sent', async () => {
		const { received } = kaleyra(BASE, [accepted('wamid.1'), accepted('wamid.3')]);
		const result = await run(textWith({ body }, CONTINUE), [
			{ ...ASHA, when: '2026-12-02' },
			{ ...BEN, when: null },
			{ ...CHEN, when: '2026-12-03' },
		]);
		expect(sentBodies(received).map((t) => t.body)).toEqual(['2 Dec — Asha', '3 Dec — Chen']);
		const out = itemsOf(result);
		expect(out.map((i) => i.json.messageId ?? i.json.code)).toEqual([
			'wamid.1',
			'INVALID_INPUT',
			'wamid.3',
		]);
		expect(out[1].json).toMatchObject({ field: 'Body', maybeSent: false });
		expect(String(out[1].json.error)).toMatch(/^Body: its expression failed: /);
	});

	it('4. an unknown node and an Emoji escape beyond U+10FFFF fail only their item', async () => {
		const { received } = kaleyra(BASE, [accepted('wamid.1')]);
		const result = await run(
			textWith(
				{ body: '={{ $json.missing ? $("Missing node").item.json.x : "Hi " + $json.name }}' },
				CONTINUE,
			),
			[ASHA, { ...BEN, missing: true }],
		);
		expect(received).toHaveLength(1);
		expect(itemsOf(result).map((i) => i.json.field ?? i.json.messageId)).toEqual([
			'wamid.1',
			'Body',
		]);

		const reaction = await run(withNode(loadFixture('send-reaction'), { onError: CONTINUE }), [
			{ from: '919811111111', messageId: 'wamid.IN-1', emoji: '\\u{110000}' },
		]);
		expect(itemsOf(reaction)[0].json).toMatchObject({ code: 'INVALID_INPUT', field: 'Emoji' });
	});

	it('4. without Continue, the node fails naming the field and the item before anything is sent', async () => {
		const result = await run(textWith({ body }), [
			{ ...ASHA, when: '2026-12-02' },
			{ ...BEN, when: null },
		]);
		expect(result.error?.message).toMatch(/^Body: its expression failed: /);
		expect(result.error?.description).toBe('Nothing was sent for item 1.');
	});
});

describe('5. Recipients: normalise only what is certain', () => {
	it('5. a spreadsheet number and a trunk (0) after the country code are normalised; nothing else gains or keeps a digit', async () => {
		const { received } = kaleyra(BASE, [
			accepted('wamid.1'),
			accepted('wamid.2'),
			accepted('wamid.3'),
			accepted('wamid.4'),
		]);
		const result = await run(textWith({}, CONTINUE), [
			{ ...ASHA, phone: '919811111111.0' },
			{ ...ASHA, phone: 919811111111 },
			{ ...ASHA, phone: '+44 (0) 20 7946 0958' },
			{ ...ASHA, phone: '+49 (0)30 1234567' },
			{ ...ASHA, phone: '+44 20 (0)7946 0958' },
			{ ...ASHA, phone: '9198111.5' },
		]);
		expect(
			received.map((r) => ((r.body as IDataObject).messaging_object as IDataObject).to),
		).toEqual(['+919811111111', '+919811111111', '+442079460958', '+49301234567']);
		expect(
			itemsOf(result)
				.slice(4)
				.map((i) => [i.json.field, i.json.error]),
		).toEqual([
			[
				'Recipient',
				'Recipient: "+44 20 (0)7946 0958" is not a phone number in international format. Use + and the country code followed by the number (8 to 15 digits), e.g. +919900000000.',
			],
			[
				'Recipient',
				'Recipient: "9198111.5" is not a phone number in international format. Use + and the country code followed by the number (8 to 15 digits), e.g. +919900000000.',
			],
		]);
	});
});

describe('6. Objects, lists and NaN never become text', () => {
	it('6. an object, a list and NaN in Body, and an object in a reference, are refused naming the field and the type; numbers in references are kept', async () => {
		const { received } = kaleyra(BASE, [accepted('wamid.1')]);
		const result = await run(
			textWith(
				{
					body: '={{ $json.kind === "nan" ? NaN : $json.body }}',
					options: { ...ONE_AT_A_TIME, ref: '={{ $json.ref }}' },
				},
				CONTINUE,
			),
			[
				{ ...ASHA, body: { text: 'Hi' }, ref: 'A-1' },
				{ ...ASHA, body: ['a', 'b'], ref: 'A-2' },
				{ ...ASHA, kind: 'nan', ref: 'A-3' },
				{ ...ASHA, body: 'Hi', ref: { id: 7 } },
				{ ...ASHA, body: 'Hi', ref: 1042 },
			],
		);
		expect(itemsOf(result).map((i) => i.json.error ?? i.json.messageId)).toEqual([
			'Body: expected text, got an object. Map a text value (for an object, pick one of its fields, or use JSON.stringify()).',
			'Body: expected text, got a list (array). Map a text value (for an object, pick one of its fields, or use JSON.stringify()).',
			'Body: expected text, got NaN.',
			'Options → Reference (Ref): expected text, got an object. Map a text value (for an object, pick one of its fields, or use JSON.stringify()).',
			'wamid.1',
		]);
		expect((received[0].body as IDataObject).extra_info).toMatchObject({ ref: '1042' });
	});

	it('6. a list as a button title and an object as a message ID are refused naming Button 1 → Title and Message ID', async () => {
		const buttons = await run(
			withNode(loadFixture('send-reply-buttons'), {
				parameters: { buttons: { button: [{ id: 'yes', title: '={{ $json.labels }}' }] } },
				onError: CONTINUE,
			}),
			[{ ...ASHA, labels: ['Yes', 'No'] }],
		);
		expect(itemsOf(buttons)[0].json).toMatchObject({
			field: 'Button 1 → Title',
			code: 'INVALID_INPUT',
		});
		const reaction = await run(withNode(loadFixture('send-reaction'), { onError: CONTINUE }), [
			{ from: '919811111111', messageId: { id: 'wamid.1' }, emoji: '👍' },
		]);
		expect(itemsOf(reaction)[0].json).toMatchObject({
			field: 'Message ID',
			error: expect.stringContaining('expected text, got an object'),
		});
	});
});

describe("7. n8n's Retry On Fail never sends an accepted message twice", () => {
	it('7. with WA400 on item 3, the retried run sends only item 3: 4 requests, 3 accepted items', async () => {
		// A refusal (surely not sent) is sent again on the retry; a WA500 (maybe sent) is not: issue 23's tests.
		const wa400 = {
			status: 400,
			body: { code: 'WA400', message: 'Invalid payload', data: {}, error: {} },
		};
		const { received } = kaleyra(BASE, [
			accepted('wamid.1'),
			accepted('wamid.2'),
			wa400,
			accepted('wamid.3'),
		]);
		const fixture = textWith({});
		const node = fixture.nodes.find((n) => n.name === SEND_NODE)!;
		Object.assign(node, { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 });
		const result = await run(fixture, [ASHA, BEN, CHEN]);
		expect(
			received.map((r) => ((r.body as IDataObject).messaging_object as IDataObject).to),
		).toEqual([ASHA.phone, BEN.phone, CHEN.phone, CHEN.phone]);
		expect(result.error).toBeUndefined();
		expect(itemsOf(result).map((i) => i.json.messageId)).toEqual(['wamid.1', 'wamid.2', 'wamid.3']);
	});
});

describe('8. maybeSent says "not sent" only when Kaleyra shows it did not act', () => {
	it.each([
		[
			'502 HTML from a gateway',
			{
				status: 502,
				body: '<html><body>Bad Gateway</body></html>',
				headers: { 'content-type': 'text/html' },
			},
			true,
			true,
		],
		[
			'504 text from a gateway',
			{ status: 504, body: 'Gateway Timeout', headers: { 'content-type': 'text/plain' } },
			true,
			true,
		],
		[
			'400 WA400 from Kaleyra',
			{ status: 400, body: { code: 'WA400', message: 'Invalid payload', data: {}, error: {} } },
			false,
			false,
		],
		[
			'500 WA500 from Kaleyra (a 5xx: it may have queued the message before failing)',
			{ status: 500, body: { code: 'WA500', message: 'Internal error', data: {}, error: {} } },
			true,
			true,
		],
	])('8. %s → maybeSent %s', async (_, reply, maybeSent, retryable) => {
		kaleyra(BASE, [reply]);
		const result = await run(textWith({}, CONTINUE), [ASHA]);
		expect(itemsOf(result)[0].json).toMatchObject({ maybeSent, retryable });
	});
});

describe('9. A 2xx without a message ID is not an acceptance', () => {
	it.each([
		['202 {}', { status: 202, body: {} }, null],
		['200 []', { status: 200, body: [] }, null],
		[
			'202 carrying WA400',
			{
				status: 202,
				body: { code: 'WA400', message: 'Invalid payload', data: {}, error: { to: 'invalid' } },
			},
			'WA400',
		],
	])("9. %s is a failure with maybeSent true and Kaleyra's code", async (_, reply, code) => {
		kaleyra(BASE, [reply]);
		const result = await run(textWith({}, CONTINUE), [ASHA]);
		const json = itemsOf(result)[0].json;
		expect(json).toMatchObject({
			code,
			maybeSent: true,
			retryable: false,
			httpStatus: reply.status,
		});
		expect(json.status).toBeUndefined();
		expect(String(json.error)).toMatch(
			new RegExp(`^Kaleyra answered HTTP ${reply.status} without a message ID`),
		);
	});
});

describe("10. The message a user sees is always the node's", () => {
	it.each([
		'upstream ECONNRESET while validating',
		'socket ETIMEDOUT at provider',
		'template preexisting in another language',
	])('10. Kaleyra text "%s" keeps the node\'s title and Kaleyra\'s code', async (text) => {
		kaleyra(BASE, [{ status: 400, body: { code: 'WA400', message: text, data: {}, error: {} } }]);
		const result = await run(textWith({}), [ASHA]);
		expect(result.error?.message).toBe(`Kaleyra rejected the message content [WA400]: ${text}`);
	});
});

describe('11. An echoed header never leaks the key', () => {
	it('11. an error body echoing the request headers has the key cut out of fields, description and run data', async () => {
		kaleyra(BASE, [
			{
				status: 400,
				body: {
					code: 'WA400',
					message: `bad request (api-key: ${API_KEY})`,
					data: {},
					error: { headers: `api-key: ${API_KEY}`, echo: { 'api-key': API_KEY } },
				},
			},
		]);
		const result = await run(textWith({}, CONTINUE), [ASHA]);
		expect(itemsOf(result)[0].json.fields).toEqual({
			headers: 'api-key: [redacted]',
			echo: '{"api-key":"[redacted]"}',
		});
		expect(itemsOf(result)[0].json.error).toBe(
			'Kaleyra rejected the message content [WA400]: bad request (api-key: [redacted])',
		);
		expect(JSON.stringify(result.runData)).not.toContain(API_KEY);

		kaleyra(BASE, [
			{ status: 400, body: { code: 'WA400', message: `echo ${API_KEY}`, data: {}, error: {} } },
		]);
		const failed = await run(textWith({}), [ASHA]);
		expect(JSON.stringify(failed.run)).not.toContain(API_KEY);
		expect(failed.error?.message).toBe(
			'Kaleyra rejected the message content [WA400]: echo [redacted]',
		);
	});
});

describe('12. Odd base URLs and SIDs are refused naming the credential field', () => {
	it.each([
		[
			'https://api.kaleyra.io?tenant=acme',
			'it has a query (?…), which would swallow the API path; remove it',
		],
		[
			'https://api.kaleyra.io#x',
			'it has a fragment (#…), which would drop the API path; remove it',
		],
		[
			'https://api.kaleyra.io/a/../b',
			'it has a "." or ".." segment, which would move the API path; remove it',
		],
	])('12. base URL %s', async (baseUrl, problem) => {
		const result = await run('send-text', [ASHA], { pod: 'custom', baseUrl });
		expect(result.error?.message).toBe(
			`Base URL of the Kaleyra WhatsApp API credential is refused: ${problem}`,
		);
	});

	it.each(['..', 'HX/../../v1', 'HX?x=1'])('12. SID %s', async (sid) => {
		const result = await run('send-text', [ASHA], { pod: 'in', sid });
		expect(result.error?.message).toBe(
			'SID of the Kaleyra WhatsApp API credential is refused: a Kaleyra SID has only letters, digits, _ and -',
		);
	});
});

describe('13. Smaller', () => {
	it('13. the connection test trims the SID as the node does', async () => {
		const { received } = kaleyra(BASE, [{ status: 200, body: { data: [] } }], 'GET');
		await testConnection({ pod: 'in', sid: `  ${SID} ` });
		expect(received.map((r) => r.url)).toEqual([
			`${BASE}/v1/${SID}/callback/profiles?limit=1&offset=0`,
		]);
	});

	it('13. the plain-http error does not echo a password written into the URL', async () => {
		const result = await run('send-text', [ASHA], {
			pod: 'custom',
			baseUrl: 'http://admin:hunter2@gateway.example.com',
		});
		expect(`${result.error?.message} ${result.error?.description}`).not.toContain('hunter2');
	});

	it('13. an Emoji that resolves to null, undefined or only whitespace is refused; removing needs Remove Reaction', async () => {
		const result = await run(withNode(loadFixture('send-reaction'), { onError: CONTINUE }), [
			{ from: '919811111111', messageId: 'wamid.IN-1', emoji: null },
			{ from: '919811111111', messageId: 'wamid.IN-2' },
			{ from: '919811111111', messageId: 'wamid.IN-3', emoji: '   ' },
		]);
		expect(itemsOf(result).map((i) => [i.json.field, i.json.error])).toEqual(
			Array(3).fill([
				'Emoji',
				'Emoji: it is empty. Enter one emoji such as 👍; to remove your earlier reaction, turn on Remove Reaction.',
			]),
		);
	});

	it('13. a Body or button title of zero-width characters, and a lone surrogate, are refused', async () => {
		const text = await run(textWith({ body: '={{ $json.body }}' }, CONTINUE), [
			{ ...ASHA, body: '\u200B\u200D\uFEFF' },
			{ ...ASHA, body: 'Hi \uD83D there' },
		]);
		expect(itemsOf(text).map((i) => i.json.error)).toEqual([
			'Body: it contains only spaces or invisible characters. Enter the message text.',
			'Body: it contains a broken character at position 4 (half of an emoji or other UTF-16 pair), which WhatsApp would show as �. Fix the text or the escape that produced it.',
		]);
		const buttons = await run(
			withNode(loadFixture('send-reply-buttons'), {
				parameters: { buttons: { button: [{ id: 'yes', title: '\u200B\u200B' }] } },
				onError: CONTINUE,
			}),
			[ASHA],
		);
		expect(itemsOf(buttons)[0].json).toMatchObject({
			field: 'Button 1 → Title',
			code: 'INVALID_INPUT',
		});
	});
});

itKeepsTheApiKeyOutOfEverythingUsersSee();
