/**
 * A campaign through the node inside n8n's engine, with Kaleyra played by nock answering after a
 * few milliseconds, so that many requests are open at once. The scheduler's clock is the test's
 * (a pause on throttling costs no wall time).
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import * as schedule from '../../nodes/KaleyraWhatsApp/shared/schedule';
import { VirtualClock } from '../helpers/virtual-clock';
import {
	BUSINESS_DIGITS,
	SID,
	SEND_NODE,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	loadFixture,
	run,
	setUpNock,
	withNode,
} from './support';

setUpNock();

const URL_PATH = `/v2/${SID}/whatsapp/${BUSINESS_DIGITS}/messages`;

beforeEach(() => {
	const clock = new VirtualClock();
	jest.spyOn(schedule.clock, 'now').mockImplementation(clock.now);
	jest.spyOn(schedule.clock, 'sleep').mockImplementation(clock.sleep);
});
afterEach(() => jest.restoreAllMocks());

interface Received {
	to: string;
	ref: string;
}

/**
 * Kaleyra answering `count` sends with `answer`, after `latencyMs` (wall time) or, with
 * `answerInBatchesOf`, only once that many requests are open (or the last one arrived): then how
 * many the node keeps open does not depend on how fast this machine is. Records the order
 * requests arrived in, and the most open at once, overall and per recipient.
 */
function slowKaleyra(
	count: number,
	answer: (received: Received, n: number) => [number, IDataObject],
	{ latencyMs = 5, answerInBatchesOf = 0 } = {},
) {
	const arrived: Received[] = [];
	const openTo = new Map<string, number>();
	const held: Array<() => void> = [];
	let open = 0;
	let maxOpen = 0;
	let maxOpenToOne = 0;
	let safety: NodeJS.Timeout | undefined;
	const releaseHeld = () => {
		clearTimeout(safety);
		for (const release of held.splice(0)) release();
	};
	nock('https://api.in.kaleyra.io')
		.post(URL_PATH)
		.times(count)
		.reply((_uri, body, callback) => {
			const message = (body as IDataObject).messaging_object as IDataObject;
			const received = {
				to: String(message.to),
				ref: String(((body as IDataObject).extra_info as IDataObject).ref),
			};
			arrived.push(received);
			const n = arrived.length;
			open++;
			maxOpen = Math.max(maxOpen, open);
			openTo.set(received.to, (openTo.get(received.to) ?? 0) + 1);
			maxOpenToOne = Math.max(maxOpenToOne, openTo.get(received.to)!);
			const reply = () => {
				open--;
				openTo.set(received.to, openTo.get(received.to)! - 1);
				const [status, json] = answer(received, n);
				callback(null, [status, JSON.stringify(json)]);
			};
			if (answerInBatchesOf === 0) {
				setTimeout(reply, latencyMs);
				return;
			}
			held.push(reply);
			if (held.length >= answerInBatchesOf || n === count) releaseHeld();
			// Never hangs a run whose node opens fewer (the assertion on maxOpen then says so).
			else if (held.length === 1) safety = setTimeout(releaseHeld, 5000);
		});
	return { arrived, maxOpen: () => maxOpen, maxOpenToOne: () => maxOpenToOne };
}

const acceptedBody = (ref: string) => ({
	code: 'WA202',
	message: 'Request Accepted',
	data: { message_id: `wamid.${ref}` },
	error: {},
});

/** 240 orders to 24 customers, each customer's orders spread through the list. */
const campaign = (count = 240, customers = 24) =>
	Array.from({ length: count }, (_, i) => ({
		phone: `+9198${String(1_000_000 + (i % customers)).padStart(8, '0')}`,
		order: `A-${i}`,
	}));

const campaignNode = (options: IDataObject = {}, onError?: 'continueRegularOutput') =>
	withNode(loadFixture('send-text'), {
		parameters: {
			recipient: '={{ $json.phone }}',
			body: 'Order {{ $json.order }} shipped',
			options: { ref: '={{ $json.order }}', ...options },
		},
		...(onError === undefined ? {} : { onError }),
	});

describe('A campaign, many messages in flight', () => {
	it('outputs exactly one item per input, in input order, paired to it; a customer’s messages never overlap and arrive in order', async () => {
		const items = campaign();
		const kaleyra = slowKaleyra(items.length, (received) => [202, acceptedBody(received.ref)], {
			answerInBatchesOf: 12,
		});

		const result = await run(
			campaignNode({ messagesInFlight: 12, messagesPerSecond: 1000 }),
			items,
		);

		expect(result.error).toBeUndefined();
		expect(
			itemsOf(result).map(({ json, pairedItem }) => [json.messageId, json.to, pairedItem]),
		).toEqual(items.map((item, i) => [`wamid.${item.order}`, item.phone, { item: i }]));
		expect(kaleyra.maxOpen()).toBe(12);
		expect(kaleyra.maxOpenToOne()).toBe(1);
		for (const phone of new Set(items.map((i) => i.phone))) {
			expect(kaleyra.arrived.filter((r) => r.to === phone).map((r) => r.ref)).toEqual(
				items.filter((i) => i.phone === phone).map((i) => i.order),
			);
		}
	});

	it('with On Error "Continue", keeps refused items in their place among the accepted ones', async () => {
		const items = campaign(60, 60);
		slowKaleyra(items.length, (received) =>
			Number(received.ref.slice(2)) % 7 === 3
				? [400, { code: 'E110', message: 'Insufficient balance', data: {}, error: {} }]
				: [202, acceptedBody(received.ref)],
		);

		const result = await run(campaignNode({}, 'continueRegularOutput'), items);

		expect(
			itemsOf(result).map(({ json, pairedItem }) => [json.ref, json.code, pairedItem]),
		).toEqual(items.map((item, i) => [item.order, i % 7 === 3 ? 'E110' : 'WA202', { item: i }]));
	});

	it('pauses on Meta’s 130429, sends the refused message again, and outputs every message once', async () => {
		const items = campaign(80, 80);
		const kaleyra = slowKaleyra(items.length + 1, (received, n) =>
			n === 10
				? [400, { code: '130429', message: 'Rate limit hit', data: {}, error: {} }]
				: [202, acceptedBody(received.ref)],
		);

		const result = await run(campaignNode(), items);

		expect(result.error).toBeUndefined();
		expect(kaleyra.arrived).toHaveLength(81);
		expect(itemsOf(result).map(({ json }) => json.messageId)).toEqual(
			items.map((item) => `wamid.${item.order}`),
		);
	});

	it('stops at a failure: starts nothing after it, and the error names every item index Kaleyra accepted', async () => {
		const items = campaign(200, 200);
		const kaleyra = slowKaleyra(200, (received) =>
			received.ref === 'A-50'
				? [400, { code: 'E110', message: 'Insufficient balance', data: {}, error: {} }]
				: [202, acceptedBody(received.ref)],
		);

		const result = await run(campaignNode({ messagesInFlight: 8, messagesPerSecond: 1000 }), items);
		nock.cleanAll();

		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '400',
			context: { itemIndex: 50 },
		});
		const sent = kaleyra.arrived.map((r) => Number(r.ref.slice(2)));
		// The 7 others open when item 50 failed finish; nothing new starts.
		expect(sent.length).toBeLessThanOrEqual(51 + 7);
		const accepted = sent.filter((i) => i !== 50).sort((a, b) => a - b);
		const last = accepted.at(-1)!;
		const ranges = last === 49 ? '0–49' : last === 51 ? '0–49, 51' : `0–49, 51–${last}`;
		expect(result.error?.description).toBe(
			'Top up the Kaleyra account (console → Billing), then run the workflow again. Nothing was sent for this item. ' +
				`Kaleyra accepted ${accepted.length} of the 200 item(s) before the node stopped; their indexes (from 0): ${ranges}. ` +
				'Running the whole workflow again would send them again. No other item was sent.',
		);
		expect(result.runData[SEND_NODE][0].data).toBeUndefined();
	});
});

itKeepsTheApiKeyOutOfEverythingUsersSee();
