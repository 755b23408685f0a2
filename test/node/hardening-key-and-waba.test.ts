/**
 * Issue 23, points 1 and 5: the API key is the same value wherever it is sent, compared or cut
 * out (a key saved with a stray space or newline), and the WABA ID is held to the SID's rule
 * before the template listing's path is built from it.
 */
import nock from 'nock';
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { KaleyraWhatsAppApi } from '../../credentials/KaleyraWhatsAppApi.credentials';
import { KaleyraWhatsApp } from '../../nodes/KaleyraWhatsApp/KaleyraWhatsApp.node';
import { callNodeMethod } from '../helpers/engine';
import {
	API_KEY,
	NODE_TYPE,
	POD_BASE_URLS,
	SID,
	type Account,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	loadFixture,
	run,
	setUpNock,
	testConnection,
	unexpectedRequests,
	verdict,
	withNode,
} from './support';

setUpNock();

const BASE = POD_BASE_URLS.in;
const WABA_ID = '104583920017284';
/** The key as a user may paste it: a space before, a newline after. */
const SAVED_KEY = ` ${API_KEY}\n`;
const ASHA = { phone: '+919811111111', name: 'Asha', orderId: '1042', arrives: 'Friday' };
const CONTINUE = 'continueRegularOutput' as const;

/** The account with the key as saved (untrimmed) and a WABA ID; `run` spreads it over the credential. */
const withSavedKey = (wabaId = WABA_ID) => ({ pod: 'in', apiKey: SAVED_KEY, wabaId }) as Account;

/**
 * A gateway that answers the next `count` requests with a 401 whose body echoes the api-key header
 * it received (raw, JSON-escaped in the body), and records the header it saw.
 */
function echoingGateway(method: 'GET' | 'POST', count = 1): string[] {
	const seen: string[] = [];
	nock(BASE)
		.intercept(/.*/, method)
		.times(count)
		.reply(function () {
			const key = String(this.req.headers['api-key']);
			seen.push(key);
			return [
				401,
				JSON.stringify({
					code: 'RBC001',
					message: `Invalid api-key ${key}`,
					echo: { headers: { 'api-key': key } },
				}),
			];
		});
	return seen;
}

/** No form of the key, trimmed or as saved, anywhere in `value`. */
function expectNoKeyIn(value: unknown): void {
	const text =
		JSON.stringify(value) +
		(value instanceof Error
			? `${value.message} ${String((value as { description?: unknown }).description)}`
			: '');
	expect(text).not.toContain(API_KEY);
	expect(text).not.toContain(JSON.stringify(SAVED_KEY).slice(1, -1));
}

describe('1. An API key saved with a stray space or newline is sent, and redacted, trimmed', () => {
	it('point 1: Send Text: the key is sent trimmed, and neither the node error nor the Continue item holds it', async () => {
		const stops = echoingGateway('POST');
		const stopped = await run(loadFixture('send-text'), [ASHA], withSavedKey());
		expect(stops).toEqual([API_KEY]);
		expect(stopped.error).toBeDefined();
		expect(stopped.error!.message).toContain('[redacted]');
		expectNoKeyIn(stopped.error);
		expectNoKeyIn(stopped.runData);

		const continues = echoingGateway('POST');
		const continued = await run(
			withNode(loadFixture('send-text'), { onError: CONTINUE }),
			[ASHA],
			withSavedKey(),
		);
		expect(continues).toEqual([API_KEY]);
		const items = itemsOf(continued);
		expect(items).toHaveLength(1);
		expect(items[0].json.httpStatus).toBe(401);
		expect(JSON.stringify(items[0].json)).toContain('[redacted]');
		expectNoKeyIn(items);
		expectNoKeyIn(continued.runData);
	});

	it("point 1: Send Template: the listing lookup's echoed key is in neither the node error nor the Continue item", async () => {
		const fixture = loadFixture('send-template-order-shipped');
		const stops = echoingGateway('GET');
		const stopped = await run(fixture, [ASHA], withSavedKey());
		expect(stops).toEqual([API_KEY]);
		expect(stopped.error).toBeDefined();
		expectNoKeyIn(stopped.error);
		expectNoKeyIn(stopped.runData);

		const continues = echoingGateway('GET');
		const continued = await run(withNode(fixture, { onError: CONTINUE }), [ASHA], withSavedKey());
		expect(continues).toEqual([API_KEY]);
		const items = itemsOf(continued);
		expect(items).toHaveLength(1);
		expect(JSON.stringify(items[0].json)).toContain('[redacted]');
		expectNoKeyIn(items);
	});

	it("point 1: the editor's template picker: the echoed key is not in the error it shows", async () => {
		const seen = echoingGateway('GET');
		const shown = await callNodeMethod(
			{
				nodeType: new KaleyraWhatsApp(),
				node: {
					type: NODE_TYPE,
					parameters: { resource: 'message', operation: 'sendTemplate' } as never,
					credentials: { kaleyraWhatsAppApi: { id: '1', name: 'Kaleyra' } },
				},
				credentialTypes: [new KaleyraWhatsAppApi()],
				credentials: {
					kaleyraWhatsAppApi: {
						'1': { pod: 'in', sid: SID, apiKey: SAVED_KEY, wabaId: WABA_ID } as never,
					},
				},
				path: 'parameters.template',
			},
			async (ctx: ILoadOptionsFunctions, type) => {
				try {
					return await (type as KaleyraWhatsApp).methods.listSearch!.searchTemplates.call(ctx);
				} catch (error) {
					return error;
				}
			},
		);
		expect(seen).toEqual([API_KEY]);
		expectNoKeyIn(shown);
	});

	it('point 1: the connection test sends the key trimmed', async () => {
		const seen: string[] = [];
		nock(BASE)
			.get(`/v1/${SID}/callback/profiles`)
			.query(true)
			.reply(function () {
				seen.push(String(this.req.headers['api-key']));
				return [200, { data: [] }];
			});
		const tested = await testConnection({ pod: 'in', apiKey: SAVED_KEY });
		expect(seen).toEqual([API_KEY]);
		expect(verdict(tested).status).toBe('OK');
	});
});

describe('5. The WABA ID is held to the rule of the SID before a path is built from it', () => {
	const REFUSED =
		'WABA ID of the Kaleyra WhatsApp API credential is refused: a WhatsApp Business Account ID has only letters, digits, _ and -';

	it.each(['.', '..', '10458/../v1', '1045?x=1', '1045#frag'])(
		'point 5: WABA ID %j: Send Template is refused naming the WABA ID field; no request is made',
		async (wabaId) => {
			const result = await run(loadFixture('send-template-order-shipped'), [ASHA], {
				pod: 'in',
				wabaId,
			} as Account);
			expect(unexpectedRequests).toEqual([]);
			expect(result.error?.message).toBe(REFUSED);
			expect(String(result.error?.description)).toContain('WABA ID field');
			expect(result.output('Send WhatsApp')).toEqual([]);
		},
	);

	// As for a SID the node refuses: n8n shows the tester's "Invalid URL", and the key goes nowhere.
	it.each(['.', '..'])(
		'point 5: WABA ID %j: the connection test fails and makes no request',
		async (wabaId) => {
			const tested = await testConnection({ pod: 'in', wabaId } as Account);
			expect(unexpectedRequests).toEqual([]);
			expect(verdict(tested).status).toBe('Error');
		},
	);

	it('point 5: a WABA ID with spaces around it is trimmed and used as before', async () => {
		const paths: string[] = [];
		nock(BASE)
			.get(/.*/)
			.reply(function (uri) {
				paths.push(uri);
				return [200, { data: [] }];
			});
		const result = await run(
			withNode(loadFixture('send-template-order-shipped'), { onError: CONTINUE }),
			[ASHA],
			{ pod: 'in', wabaId: ` ${WABA_ID} ` } as Account,
		);
		expect(paths).toEqual([
			`/v2/${SID}/whatsapp/${WABA_ID}/message_templates?limit=100&name=order_shipped`,
		]);
		expect(itemsOf(result)).toHaveLength(1);
	});
});

itKeepsTheApiKeyOutOfEverythingUsersSee();
