/**
 * Issue 23, points 2, 3, 6 and 7: the run settings and the per-item options, and n8n's Retry On
 * Fail, run through n8n's engine. Each test is named after the point it proves and fails on the
 * release before it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { WorkflowFixture } from '../helpers/engine';
import {
	ASHA,
	BEN,
	CHEN,
	POD_BASE_URLS,
	SEND_NODE,
	accepted,
	itemsOf,
	kaleyra,
	loadFixture,
	run,
	setUpNock,
	withNode,
} from './support';

setUpNock();

const BASE = POD_BASE_URLS.in;
const CONTINUE = 'continueRegularOutput' as const;
const WA500 = {
	status: 500,
	body: { code: 'WA500', message: 'Internal error, please try again later', data: {}, error: {} },
};

const sentTo = (received: Array<{ body: unknown }>) =>
	received.map((r) => ((r.body as IDataObject).messaging_object as IDataObject).to);

function textWith(
	options: IDataObject,
	onError?: typeof CONTINUE,
	parameters: IDataObject = {},
): WorkflowFixture {
	return withNode(loadFixture('send-text'), { parameters: { options, ...parameters }, onError });
}

function withRetryOnFail(fixture: WorkflowFixture): WorkflowFixture {
	const node = fixture.nodes.find((n) => n.name === SEND_NODE)!;
	Object.assign(node, { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 });
	return fixture;
}

describe('2. An options expression failing on the first item fails that item only', () => {
	it.each([0, 1])(
		'2. a Reference expression throwing on item %i fails that item and the others are sent',
		async (bad) => {
			const { received } = kaleyra(BASE, [accepted('wamid.1'), accepted('wamid.2')]);
			const ref = `={{ $itemIndex === ${bad} ? $("No such node").item.json.x : $json.orderId }}`;
			const result = await run(textWith({ ref, messagesInFlight: 1 }, CONTINUE), [ASHA, BEN, CHEN]);
			const items = itemsOf(result);
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(items[bad].json).toMatchObject({
				code: 'INVALID_INPUT',
				field: 'Options',
				maybeSent: false,
			});
			expect(String(items[bad].json.error)).toMatch(/^Options: its expression failed/);
			expect(items.filter((_, i) => i !== bad).map((i) => i.json.messageId)).toEqual([
				'wamid.1',
				'wamid.2',
			]);
			expect(sentTo(received)).toEqual(
				[ASHA, BEN, CHEN].filter((_, i) => i !== bad).map((p) => p.phone),
			);
		},
	);
});

describe('3. Run settings from expressions are checked', () => {
	it.each([
		['messagesInFlight', 'Messages in Flight', '={{ "abc" }}', '"abc"', 1, 200],
		['messagesInFlight', 'Messages in Flight', '={{ 0 }}', '0', 1, 200],
		['messagesInFlight', 'Messages in Flight', '={{ 201 }}', '201', 1, 200],
		['messagesPerSecond', 'Messages per Second', '={{ 0 }}', '0', 1, 1000],
		['messagesPerSecond', 'Messages per Second', '={{ -1 }}', '-1', 1, 1000],
		['messagesPerSecond', 'Messages per Second', '={{ "abc" }}', '"abc"', 1, 1000],
		['messagesPerSecond', 'Messages per Second', '={{ 2.5 }}', '2.5', 1, 1000],
		['maxThrottleWait', 'Max Throttle Wait (Minutes)', '={{ "abc" }}', '"abc"', 1, 1440],
		['maxThrottleWait', 'Max Throttle Wait (Minutes)', '={{ 0 }}', '0', 1, 1440],
	])(
		'3. %s (%s) set to %s is refused naming the field and its range; nothing is sent',
		async (name, label, expression, got, min, max) => {
			const { received } = kaleyra(BASE, []);
			const message = `Options → ${label}: expected a whole number from ${min} to ${max}, got ${got}.`;
			const failed = await run(textWith({ [name]: expression }), [ASHA, BEN]);
			expect(failed.error?.message).toBe(message);
			const continued = await run(textWith({ [name]: expression }, CONTINUE), [ASHA, BEN]);
			expect(itemsOf(continued)).toEqual(
				[0, 1].map((item) => ({
					json: {
						error: message,
						description: `It applies to the whole run (read from the first item), so nothing was sent. Enter a whole number from ${min} to ${max}, or remove the option for the default.`,
						code: 'INVALID_INPUT',
						field: `Options → ${label}`,
						httpStatus: null,
						retryable: false,
						maybeSent: false,
					},
					pairedItem: { item },
				})),
			);
			expect(received).toEqual([]);
		},
	);

	it('3. a run setting whose expression throws fails the run naming it, under Continue too', async () => {
		const { received } = kaleyra(BASE, []);
		const result = await run(
			textWith({ messagesInFlight: '={{ $("No such node").item.json.x }}' }, CONTINUE),
			[ASHA],
		);
		expect(itemsOf(result)[0].json).toMatchObject({
			code: 'INVALID_INPUT',
			field: 'Options → Messages in Flight',
		});
		expect(String(itemsOf(result)[0].json.error)).toMatch(
			/^Options → Messages in Flight: its expression failed/,
		);
		expect(received).toEqual([]);
	});

	it('3. whole numbers in range, as numbers or text, are used', async () => {
		const { received } = kaleyra(BASE, [accepted('wamid.1'), accepted('wamid.2')]);
		const result = await run(
			textWith({ messagesInFlight: '={{ "1" }}', messagesPerSecond: '={{ 1000 }}' }),
			[ASHA, BEN],
		);
		expect(result.error).toBeUndefined();
		expect(itemsOf(result).map((i) => i.json.messageId)).toEqual(['wamid.1', 'wamid.2']);
		expect(sentTo(received)).toEqual([ASHA.phone, BEN.phone]);
	});
});

describe('6. Retry On Fail keys what was accepted on the item, not its content', () => {
	it('6. Retry On Fail does not send an accepted item again when its body differs', async () => {
		const refused = {
			status: 400,
			body: { code: 'WA400', message: 'Invalid payload', data: {}, error: {} },
		};
		const { received } = kaleyra(BASE, [
			accepted('wamid.1'),
			accepted('wamid.2'),
			refused,
			accepted('wamid.3'),
		]);
		const fixture = withRetryOnFail(
			textWith({ messagesInFlight: 1 }, undefined, {
				body: '=Hi {{ $json.name }}, {{ Math.random() }} {{ $now.toISO() }}',
			}),
		);
		const result = await run(fixture, [ASHA, BEN, CHEN]);
		expect(sentTo(received)).toEqual([ASHA.phone, BEN.phone, CHEN.phone, CHEN.phone]);
		expect(result.error).toBeUndefined();
		expect(itemsOf(result).map((i) => i.json.messageId)).toEqual(['wamid.1', 'wamid.2', 'wamid.3']);
	});
});

describe('7. Retry On Fail does not send an item whose outcome is unknown again', () => {
	it('7. after a WA500 on item 3, the retried run fails item 3 again with maybeSent and sends nothing: 3 requests', async () => {
		const { received } = kaleyra(BASE, [accepted('wamid.1'), accepted('wamid.2'), WA500]);
		const result = await run(withRetryOnFail(textWith({ messagesInFlight: 1 })), [ASHA, BEN, CHEN]);
		expect(sentTo(received)).toEqual([ASHA.phone, BEN.phone, CHEN.phone]);
		expect(result.error?.message).toMatch(/\[WA500\]/);

		const continued = kaleyra(BASE, [accepted('wamid.1'), WA500]);
		const kept = await run(withRetryOnFail(textWith({ messagesInFlight: 1 }, CONTINUE)), [
			ASHA,
			BEN,
		]);
		expect(sentTo(continued.received)).toEqual([ASHA.phone, BEN.phone]);
		expect(itemsOf(kept)[1].json).toMatchObject({ code: 'WA500', maybeSent: true });
	});
});
