/**
 * What the user sees when Kaleyra says no, answers garbage, or the connection fails: a node error
 * that carries Kaleyra's code and text and says what to do, or (On Error: Continue) an item that
 * says the same, and which failures are retried (only those Kaleyra certainly did not act on).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { failureOutput } from '../../nodes/KaleyraWhatsApp/shared/items';

import {
	ASHA,
	BEN,
	CHEN,
	POD_BASE_URLS,
	SEND_NODE,
	type Reply,
	accepted,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	loadFixture,
	oneAtATime,
	run,
	setUpNock,
	withNode,
} from './support';

setUpNock();

const BASE = POD_BASE_URLS.in;
/** What the send-text fixture adds to every item about the message. */
const TEXT_TO_ASHA = { to: ASHA.phone, type: 'text', ref: 'A-1001', ref1: 'order-shipped' };
const BUTTONS_TO_ASHA = { to: ASHA.phone, type: 'reply' };

const CHECK_CREDENTIAL =
	'Open the Kaleyra WhatsApp API credential and check the SID and API key (Kaleyra console → Developers → API Keys), and that the pod is the one your account lives in.';
const NOT_JSON = "Kaleyra's API answers in JSON, so";

function kaleyraError(code: string, message: string, error: IDataObject = {}): IDataObject {
	return { code, message, data: {}, error };
}

interface Failure {
	title: string;
	fixture: 'send-text' | 'send-reply-buttons';
	reply: Reply;
	message: string;
	description: string;
	httpCode: string;
	/** The item with On Error: Continue, besides error and description. */
	item: IDataObject;
}

const failures: Failure[] = [
	{
		title: 'RBC001 (401): wrong SID or API key → check the credential and its pod',
		fixture: 'send-text',
		reply: { status: 401, body: kaleyraError('RBC001', 'Incorrect SID or API key') },
		message: 'Kaleyra rejected the SID or API key [RBC001]: Incorrect SID or API key',
		description: CHECK_CREDENTIAL,
		httpCode: '401',
		item: { code: 'RBC001', httpStatus: 401, retryable: false, maybeSent: false, ...TEXT_TO_ASHA },
	},
	{
		title: 'WA401 (401): the business number is not in the account → check Business Number',
		fixture: 'send-text',
		reply: {
			status: 401,
			body: kaleyraError('WA401', 'Phone number is not present or does not belong to the account'),
		},
		message:
			'The business number is not in this Kaleyra account [WA401]: Phone number is not present or does not belong to the account',
		description:
			'Check the Business Number field: it must be a WhatsApp number registered in the account of this SID, with its country code.',
		httpCode: '401',
		item: { code: 'WA401', httpStatus: 401, retryable: false, maybeSent: false, ...TEXT_TO_ASHA },
	},
	{
		title:
			"WA401 as Kaleyra sends it (its message repeated under phone_number, with a period): said once, no '..'",
		fixture: 'send-text',
		reply: {
			status: 401,
			body: kaleyraError(
				'WA401',
				'Phone number is not present or does not belong to the account.',
				{
					phone_number: 'Phone number is not present or does not belong to the account.',
				},
			),
		},
		message:
			'The business number is not in this Kaleyra account [WA401]: Phone number is not present or does not belong to the account.',
		description:
			'Check the Business Number field: it must be a WhatsApp number registered in the account of this SID, with its country code.',
		httpCode: '401',
		item: {
			code: 'WA401',
			httpStatus: 401,
			retryable: false,
			maybeSent: false,
			fields: { phone_number: 'Phone number is not present or does not belong to the account.' },
			...TEXT_TO_ASHA,
		},
	},
	{
		title:
			"Kaleyra's generic { error: '…' } (WA500): shown as what Kaleyra says, not as a field named error",
		fixture: 'send-text',
		reply: {
			status: 500,
			body: kaleyraError('WA500', 'Please try again later', { error: 'Internal server error' }),
		},
		message: 'Kaleyra had an internal error [WA500]: Please try again later',
		description:
			'Try again in a few minutes; Kaleyra suggests up to 3 tries with a pause between them. Kaleyra says: Internal server error.',
		httpCode: '500',
		item: {
			code: 'WA500',
			httpStatus: 500,
			retryable: true,
			maybeSent: true,
			fields: { error: 'Internal server error' },
			...TEXT_TO_ASHA,
		},
	},
	{
		title: 'WA-401 (401): WhatsApp API v2 not enabled for the number → ask Kaleyra support',
		fixture: 'send-text',
		reply: { status: 401, body: kaleyraError('WA-401', 'API not available for this account') },
		message:
			'The WhatsApp API is not available for this account or number [WA-401]: API not available for this account',
		description:
			"The number may be set up on Kaleyra's other API version, or WhatsApp is not enabled for the account. Ask Kaleyra support to enable WhatsApp API v2 for this number.",
		httpCode: '401',
		item: { code: 'WA-401', httpStatus: 401, retryable: false, maybeSent: false, ...TEXT_TO_ASHA },
	},
	{
		title: "WA400 (400) naming the field 'to' → fix that field",
		fixture: 'send-text',
		reply: {
			status: 400,
			body: kaleyraError('WA400', 'Incorrect payload', {
				to: 'Recipient number is not a valid WhatsApp user',
			}),
		},
		message: 'Kaleyra rejected the message content [WA400]: Incorrect payload',
		description:
			'Fix the content Kaleyra objects to, then run the workflow again. Kaleyra says about the fields: to: Recipient number is not a valid WhatsApp user.',
		httpCode: '400',
		item: {
			code: 'WA400',
			httpStatus: 400,
			retryable: false,
			maybeSent: false,
			fields: { to: 'Recipient number is not a valid WhatsApp user' },
			...TEXT_TO_ASHA,
		},
	},
	{
		title: 'E110 (400): low balance → top up',
		fixture: 'send-text',
		reply: { status: 400, body: kaleyraError('E110', 'Insufficient balance') },
		message: 'The Kaleyra account balance is too low [E110]: Insufficient balance',
		description:
			'Top up the Kaleyra account (console → Billing), then run the workflow again. Nothing was sent for this item.',
		httpCode: '400',
		item: { code: 'E110', httpStatus: 400, retryable: false, maybeSent: false, ...TEXT_TO_ASHA },
	},
	{
		title:
			'WA500 (500): Kaleyra internal error → try again later (reported retryable, not retried)',
		fixture: 'send-text',
		reply: {
			status: 500,
			body: kaleyraError('WA500', 'Internal server error, please try again later'),
		},
		message: 'Kaleyra had an internal error [WA500]: Internal server error, please try again later',
		description:
			'Try again in a few minutes; Kaleyra suggests up to 3 tries with a pause between them.',
		httpCode: '500',
		item: { code: 'WA500', httpStatus: 500, retryable: true, maybeSent: true, ...TEXT_TO_ASHA },
	},
	{
		title: 'E413 (400) on a reply-button message naming the field body → fix that field',
		fixture: 'send-reply-buttons',
		reply: {
			status: 400,
			body: {
				code: 'E413',
				message: 'Invalid/incorrect inputs',
				data: [],
				error: { body: 'Body is required' },
			},
		},
		message: 'Kaleyra rejected the message content [E413]: Invalid/incorrect inputs',
		description:
			'Fix the content Kaleyra objects to, then run the workflow again. Kaleyra says about the fields: body: Body is required.',
		httpCode: '400',
		item: {
			code: 'E413',
			httpStatus: 400,
			retryable: false,
			maybeSent: false,
			fields: { body: 'Body is required' },
			...BUTTONS_TO_ASHA,
		},
	},
	{
		title: "WAV2101: the account's daily limit → not today",
		fixture: 'send-text',
		reply: { status: 400, body: kaleyraError('WAV2101', 'Daily limit reached') },
		message: "The account's daily WhatsApp limit is reached [WAV2101]: Daily limit reached",
		description:
			"Kaleyra sends no more messages from this account today. Try again tomorrow, or ask Kaleyra to raise the account's daily limit.",
		httpCode: '400',
		item: { code: 'WAV2101', httpStatus: 400, retryable: false, maybeSent: false, ...TEXT_TO_ASHA },
	},
	{
		title: 'an unknown code (422) → the code and text as Kaleyra gave them, and where to ask',
		fixture: 'send-text',
		reply: {
			status: 422,
			body: kaleyraError('WA999', 'Template paused', { template: 'paused by Meta' }),
		},
		message: 'Kaleyra refused the request (HTTP 422) [WA999]: Template paused',
		description:
			'Kaleyra support can explain an unknown code. Kaleyra says about the fields: template: paused by Meta.',
		httpCode: '422',
		item: {
			code: 'WA999',
			httpStatus: 422,
			retryable: false,
			maybeSent: false,
			fields: { template: 'paused by Meta' },
			...TEXT_TO_ASHA,
		},
	},
	{
		title: 'an HTML page (502) from a gateway → try later',
		fixture: 'send-text',
		reply: {
			status: 502,
			body: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>',
			headers: { 'content-type': 'text/html' },
		},
		message:
			'Kaleyra answered with a server error (HTTP 502): HTTP 502 with an HTML page instead of JSON',
		description:
			'The answer did not come from Kaleyra (a gateway in front of it), so the message may have reached Kaleyra: check its delivery status (the ref fields help) before sending it again, or try later.',
		httpCode: '502',
		item: { code: null, httpStatus: 502, retryable: true, maybeSent: true, ...TEXT_TO_ASHA },
	},
	{
		title: 'an empty body (404) → check the pod or base URL',
		fixture: 'send-text',
		reply: { status: 404, body: '' },
		message: 'Kaleyra does not know this address: HTTP 404 with an empty body',
		description: `Check the pod (or custom base URL) in the credential, the SID, and the Business Number field. ${NOT_JSON} an empty body usually means the base URL points at something else (a proxy or a login page).`,
		httpCode: '404',
		item: { code: null, httpStatus: 404, retryable: false, maybeSent: true, ...TEXT_TO_ASHA },
	},
	{
		title: 'a plain-text body (400) → quoted, and the base URL suspected',
		fixture: 'send-text',
		reply: {
			status: 400,
			body: 'Request blocked by policy',
			headers: { 'content-type': 'text/plain' },
		},
		message:
			'Kaleyra refused the request (HTTP 400): HTTP 400 with a non-JSON body ("Request blocked by policy")',
		description: `Kaleyra support can explain an unknown code. ${NOT_JSON} a non-JSON body ("Request blocked by policy") usually means the base URL points at something else (a proxy or a login page).`,
		httpCode: '400',
		item: { code: null, httpStatus: 400, retryable: false, maybeSent: true, ...TEXT_TO_ASHA },
	},
];

describe('Kaleyra refuses the first message', () => {
	describe.each(failures)('$title', (failure) => {
		it('fails the node with Kaleyra’s code and text and what to do, and (one at a time) sends no further item', async () => {
			const { received } = kaleyra(BASE, [failure.reply]);

			const result = await run(oneAtATime(failure.fixture), [ASHA, BEN]);

			expect(received).toHaveLength(1);
			expect(result.error).toMatchObject({
				name: 'NodeApiError',
				httpCode: failure.httpCode,
				context: { itemIndex: 0 },
			});
			expect({ message: result.error?.message, description: result.error?.description }).toEqual({
				message: failure.message,
				description: failure.description,
			});
			expect(result.output(SEND_NODE)).toEqual([]);
		});

		it('with On Error "Continue", outputs the failure in place of the item and goes on with the next', async () => {
			const { received } = kaleyra(BASE, [
				failure.reply,
				failure.fixture === 'send-text' ? accepted('wamid.2') : acceptedV1Reply(),
			]);

			const result = await run(
				withNode(oneAtATime(failure.fixture), { onError: 'continueRegularOutput' }),
				[ASHA, BEN],
			);

			expect(result.error).toBeUndefined();
			expect(received).toHaveLength(2);
			const [first, second] = itemsOf(result);
			expect(first).toEqual({
				json: { error: failure.message, description: failure.description, ...failure.item },
				pairedItem: { item: 0 },
			});
			expect(second).toMatchObject({
				json: { status: 'accepted', to: BEN.phone },
				pairedItem: { item: 1 },
			});
		});
	});
});

function acceptedV1Reply(): Reply {
	return {
		status: 200,
		body: {
			id: 'u-2',
			type: 'reply',
			totalCount: 1,
			data: [{ message_id: 'u-2:0', recipient: '919822222222' }],
			error: {},
		},
	};
}

describe('On Error "Continue (using error output)"', () => {
	it('routes the refused item, with its input data and the failure details, to the error output and the others to the main output', async () => {
		const { received } = kaleyra(BASE, [
			accepted('wamid.1'),
			{ status: 400, body: kaleyraError('E110', 'Insufficient balance') },
			accepted('wamid.3'),
		]);

		const result = await run(
			withNode(oneAtATime('send-text'), { onError: 'continueErrorOutput' }),
			[ASHA, BEN, CHEN],
		);

		expect(result.error).toBeUndefined();
		expect(received).toHaveLength(3);
		expect(itemsOf(result, 0).map(({ json, pairedItem }) => [json.messageId, pairedItem])).toEqual([
			['wamid.1', { item: 0 }],
			['wamid.3', { item: 2 }],
		]);
		expect(itemsOf(result, 1)).toEqual([
			{
				json: {
					...BEN,
					error: {
						message: 'The Kaleyra account balance is too low [E110]: Insufficient balance',
						description:
							'Top up the Kaleyra account (console → Billing), then run the workflow again. Nothing was sent for this item.',
						code: 'E110',
						httpStatus: 400,
						retryable: false,
						maybeSent: false,
						to: BEN.phone,
						type: 'text',
						ref: 'A-1002',
						ref1: 'order-shipped',
					},
				},
				pairedItem: { item: 1 },
			},
		]);
	});
});

describe('the error-output item on both n8n lines', () => {
	it('carries only `error` (n8n 1.x routes only `{ error }` or `{ error, message }`; 2.x also `details`), with every fact under it', () => {
		const ctx = {
			getNode: () => ({ onError: 'continueErrorOutput' }),
		} as unknown as IExecuteFunctions;
		const { json, pairedItem } = failureOutput(
			ctx,
			{ error: 'Refused', description: 'Top up', code: 'E110', maybeSent: false, to: '+1' },
			3,
		);
		// The rules of WorkflowExecute.handleNodeErrorOutput in n8n-core 1.123 and 2.41.
		const keys = Object.keys(json);
		const routedBy1x =
			Boolean(json.error) && (keys.length === 1 || (keys.length === 2 && Boolean(json.message)));
		const routedBy2x =
			Boolean(json.error) && keys.every((key) => ['error', 'message', 'details'].includes(key));
		expect([routedBy1x, routedBy2x]).toEqual([true, true]);
		expect(json).toEqual({
			error: {
				message: 'Refused',
				description: 'Top up',
				code: 'E110',
				maybeSent: false,
				to: '+1',
			},
		});
		expect(pairedItem).toEqual({ item: 3 });
		const regular = {
			getNode: () => ({ onError: 'continueRegularOutput' }),
		} as unknown as IExecuteFunctions;
		expect(failureOutput(regular, { error: 'Refused', code: 'E110' }, 0).json).toEqual({
			error: 'Refused',
			code: 'E110',
		});
	});
});

describe('Retries: only when Kaleyra certainly did not act', () => {
	it('retries a 429 with Retry-After: 0 and outputs the accepted message (exactly 2 identical requests)', async () => {
		const { received } = kaleyra(BASE, [
			{ status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': '0' } },
			accepted('wamid.1'),
		]);

		const result = await run('send-text', [ASHA]);

		expect(result.error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(received[1]).toEqual(received[0]);
		expect(itemsOf(result)).toEqual([
			{
				json: {
					messageId: 'wamid.1',
					status: 'accepted',
					code: 'WA202',
					httpStatus: 202,
					...TEXT_TO_ASHA,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('gives up after 3 throttled tries and says Kaleyra is throttling', async () => {
		const throttled: Reply = {
			status: 429,
			body: { message: 'Too many requests' },
			headers: { 'retry-after': '0' },
		};
		const { received } = kaleyra(BASE, [throttled, throttled, throttled]);

		const result = await run('send-text', [ASHA]);

		expect(received).toHaveLength(3);
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '429' });
		expect({ message: result.error?.message, description: result.error?.description }).toEqual({
			message: 'Kaleyra is throttling this account: Too many requests',
			description: 'Too many messages per second. Send fewer at once, or try again shortly.',
		});
	});

	it('does not retry a reset connection, and says the message may have been sent', async () => {
		const { received } = kaleyra(BASE, [{ networkError: 'ECONNRESET' }]);
		// One at a time: with several in flight, BEN's request would leave before ASHA's reset comes back.
		const result = await run(oneAtATime('send-text'), [ASHA, BEN]);

		expect(received).toHaveLength(1);
		expect(result.error).toMatchObject({ name: 'NodeApiError', context: { itemIndex: 0 } });
		expect({ message: result.error?.message, description: result.error?.description }).toEqual({
			message: 'The connection to Kaleyra broke before it answered',
			description:
				'Kaleyra may or may not have accepted this message. Check the delivery status (ref fields help) before sending it again, or it may arrive twice.',
		});
	});

	it('with On Error "Continue", marks a reset connection maybeSent and not retryable', async () => {
		kaleyra(BASE, [{ networkError: 'ECONNRESET' }]);

		const result = await run(
			withNode(loadFixture('send-text'), { onError: 'continueRegularOutput' }),
			[ASHA],
		);

		expect(itemsOf(result)).toEqual([
			{
				json: {
					error: 'The connection to Kaleyra broke before it answered',
					description:
						'Kaleyra may or may not have accepted this message. Check the delivery status (ref fields help) before sending it again, or it may arrive twice.',
					code: 'ECONNRESET',
					httpStatus: null,
					retryable: false,
					maybeSent: true,
					...TEXT_TO_ASHA,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('retries a refused connection (the request never left) and outputs the accepted message', async () => {
		const { received } = kaleyra(BASE, [{ networkError: 'ECONNREFUSED' }, accepted('wamid.1')]);

		const result = await run('send-text', [ASHA]);

		expect(result.error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(received[1]).toEqual(received[0]);
		expect(itemsOf(result).map((item) => item.json.messageId)).toEqual(['wamid.1']);
	});

	it('does not retry a WA500 by itself (Kaleyra may have acted on it)', async () => {
		const { received } = kaleyra(BASE, [
			{ status: 500, body: kaleyraError('WA500', 'Internal server error') },
		]);

		const result = await run('send-text', [ASHA]);

		expect(received).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Kaleyra had an internal error [WA500]: Internal server error',
		);
	});
});

describe('A failure after some items were accepted', () => {
	it('stops at item 3 and says the 2 items before it were accepted, so re-running would send them again', async () => {
		const { received } = kaleyra(BASE, [
			accepted('wamid.1'),
			accepted('wamid.2'),
			{ status: 500, body: kaleyraError('WA500', 'Internal server error, please try again later') },
		]);

		const result = await run(oneAtATime('send-text'), [ASHA, BEN, CHEN]);

		expect(
			received.map((r) => ((r.body as IDataObject).messaging_object as IDataObject).to),
		).toEqual([ASHA.phone, BEN.phone, CHEN.phone]);
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '500',
			context: { itemIndex: 2 },
		});
		expect(result.error?.description).toBe(
			'Try again in a few minutes; Kaleyra suggests up to 3 tries with a pause between them. ' +
				'Kaleyra accepted 2 of the 3 item(s) before the node stopped; their indexes (from 0): 0–1. Running the whole workflow again would send them again. No other item was sent.',
		);
	});
});

itKeepsTheApiKeyOutOfEverythingUsersSee();
