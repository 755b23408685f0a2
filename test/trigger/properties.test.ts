/**
 * Issue 23, property test of the trigger: whatever JSON reaches the webhook (Kaleyra's shapes with
 * arbitrary values inside, or anything at all), the trigger answers, each item has exactly the
 * fields docs/trigger.md lists, and an item's `raw` is never larger than the callback it came from.
 * PROPERTY_RUNS (default 10) sets the runs per property; PROPERTY_RUNS=500 for a long run.
 */
import fc from 'fast-check';

import { EVERYTHING, TriggerUnderTest, withSecret } from './support';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10);

/** The item fields docs/trigger.md lists ("The items"). */
const ITEM_FIELDS = [
	'event',
	'type',
	'from',
	'to',
	'name',
	'userId',
	'username',
	'sessionId',
	'chatInput',
	'messageId',
	'timestamp',
	'text',
	'buttonId',
	'buttonTitle',
	'listId',
	'listTitle',
	'replyTo',
	'mediaUrl',
	'location',
	'contacts',
	'flowResponse',
	'flowToken',
	'flowName',
	'status',
	'error',
	'template',
	'ref',
	'ref1',
	'ref2',
	'raw',
].sort();

const anything = fc.jsonValue({ maxDepth: 3 });
const message = fc.record(
	{
		from: anything,
		from_user_id: anything,
		id: anything,
		timestamp: anything,
		type: fc.oneof(
			fc.constantFrom(
				'text',
				'image',
				'document',
				'interactive',
				'button',
				'location',
				'contacts',
				'reaction',
				'constructor',
			),
			anything,
		),
		text: anything,
		image: anything,
		interactive: anything,
		button: anything,
		location: anything,
		contacts: anything,
		context: anything,
	},
	{ requiredKeys: [] },
);
const status = fc.record(
	{ id: anything, status: anything, timestamp: anything, recipient_id: anything, errors: anything },
	{ requiredKeys: [] },
);
/** Kaleyra's v2 envelope with arbitrary values where Kaleyra puts its data. */
const envelope = fc.record(
	{
		meta_object: fc.record(
			{
				field: anything,
				value: fc.record(
					{
						metadata: anything,
						contacts: anything,
						messages: fc.oneof(fc.array(message, { maxLength: 5 }), anything),
						statuses: fc.oneof(fc.array(status, { maxLength: 5 }), anything),
					},
					{ requiredKeys: [] },
				),
			},
			{ requiredKeys: [] },
		),
		extra_info: anything,
		status: anything,
		message_id: anything,
		code: anything,
	},
	{ requiredKeys: [] },
);

async function holds(body: unknown, method: 'POST' | 'GET' = 'POST') {
	const request =
		method === 'GET'
			? { method, query: body as Record<string, string>, headers: withSecret() }
			: { body, headers: withSecret() };
	const answer = await new TriggerUnderTest({ events: EVERYTHING }).receive(request);
	expect(answer.status === undefined || answer.status === 200).toBe(true);
	const size = JSON.stringify(body ?? null).length;
	for (const item of answer.items ?? []) {
		expect(Object.keys(item).sort()).toEqual(ITEM_FIELDS);
		expect(JSON.stringify(item.raw ?? null).length).toBeLessThanOrEqual(size);
	}
}

describe('the trigger with any callback body', () => {
	it("Kaleyra's envelope with arbitrary values: an answer, documented fields only, raw within the callback", async () => {
		await fc.assert(
			fc.asyncProperty(envelope, async (body) => await holds(body)),
			{ numRuns: RUNS * 5 },
		);
	});

	it('any JSON at all as the body', async () => {
		await fc.assert(
			fc.asyncProperty(anything, async (body) => await holds(body)),
			{ numRuns: RUNS * 5 },
		);
	});

	it('any query on a GET (v1 callbacks, notices)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 })),
				async (query) => await holds(query, 'GET'),
			),
			{
				numRuns: RUNS * 5,
			},
		);
	});
});

describe('found by the property test', () => {
	it('a status whose timestamp is past any date (8640000000000001) gets the time it was received, not a crash', async () => {
		const before = Date.now();
		const answer = await new TriggerUnderTest({ events: EVERYTHING }).receive({
			body: {
				meta_object: {
					value: { statuses: [{ id: 'wamid.X', status: 'sent', timestamp: 8640000000000001 }] },
				},
			},
			headers: withSecret(),
		});
		const [item] = answer.items!;
		expect(Date.parse(item.timestamp as string)).toBeGreaterThanOrEqual(before - 1000);
		expect(item).toMatchObject({ event: 'status', messageId: 'wamid.X', status: 'sent' });
	});
});
