/**
 * Issue 17 point 5: a template's status changes reach the trigger as items when chosen. The shop
 * creates `order_shipped_v2`; Meta approves it, rejects it with a reason, or pauses it, and Kaleyra
 * posts its template status callback (docs/kaleyra-api.md §6) to the trigger.
 */
import { startSandbox } from '../../sandbox';
import { BUSINESS, NOTHING, WHEN, WHEN_ISO } from './payloads';
import {
	EVERYTHING,
	INCOMING_ONLY,
	SECRET,
	TriggerUnderTest,
	serveTrigger,
	withSecret,
} from './support';

const WABA = '112233445566778';
const TEMPLATE_ID = '1689556908129832';

/** The fields of Kaleyra's POST callback profile for template status updates, as its page lists them. */
const kaleyraCallback = (event: string, reason: string, extra: object = {}) => ({
	id: WABA,
	time: WHEN,
	event,
	message_template_id: TEMPLATE_ID,
	message_template_name: 'order_shipped_v2',
	message_template_language: 'en',
	reason,
	callback_profile_id: 'cbp-7781',
	company_id: 'HXIN1734500042IN',
	...extra,
});

/** What every template item leaves empty: it is about no customer and no message. */
const { template: _template, status: _status, ...NOTHING_ELSE } = NOTHING;

const orderShipped = (reason: string | null) => ({
	id: TEMPLATE_ID,
	name: 'order_shipped_v2',
	language: 'en',
	category: null,
	reason,
});

async function itemsFor(body: object, events = ['templateStatus']) {
	const answer = await new TriggerUnderTest({ events }).receive({ body, headers: withSecret() });
	return answer.items;
}

describe("a template's status change (Template Status Change chosen)", () => {
	it('approved: one item with the template, its status as Template → Get Many shows it, no reason', async () => {
		const body = kaleyraCallback('APPROVED', 'NONE');
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING_ELSE,
				event: 'template',
				status: 'APPROVED',
				template: orderShipped(null),
				timestamp: WHEN_ISO,
				raw: body,
			},
		]);
	});

	it("rejected: the item carries Meta's reason", async () => {
		const body = kaleyraCallback('REJECTED', 'INVALID_FORMAT');
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING_ELSE,
				event: 'template',
				status: 'REJECTED',
				template: orderShipped('INVALID_FORMAT'),
				timestamp: WHEN_ISO,
				raw: body,
			},
		]);
	});

	it('paused: Meta says why in other_info, which becomes the reason; a category Meta names is kept', async () => {
		const body = kaleyraCallback('PAUSED', 'NONE', {
			message_template_category: 'MARKETING',
			other_info: {
				title: 'FIRST_PAUSE',
				description: 'Your template has been paused for 3 hours due to low quality.',
			},
		});
		expect(await itemsFor(body)).toEqual([
			{
				...NOTHING_ELSE,
				event: 'template',
				status: 'PAUSED',
				template: {
					...orderShipped('Your template has been paused for 3 hours due to low quality.'),
					category: 'MARKETING',
				},
				timestamp: WHEN_ISO,
				raw: body,
			},
		]);
	});

	it("a GET profile copied from Kaleyra's sample (values and one name in double quotes) gives the same item", async () => {
		const query = {
			id: `"${WABA}"`,
			other_info: '""',
			callback_profile_id: '"cbp-7781"',
			company_id: '"HXIN1734500042IN"',
			reason: '"INVALID_FORMAT"',
			message_template_language: '"en"',
			time: `"${WHEN}"`,
			event: '"REJECTED"',
			'"message_template_id"': `"${TEMPLATE_ID}"`,
		};
		const answer = await new TriggerUnderTest({ events: ['templateStatus'] }).receive({
			method: 'GET',
			query,
			headers: withSecret(),
		});
		expect(answer.items).toEqual([
			{
				...NOTHING_ELSE,
				event: 'template',
				status: 'REJECTED',
				template: { ...orderShipped('INVALID_FORMAT'), name: null },
				timestamp: WHEN_ISO,
				raw: query,
			},
		]);
	});

	it("Meta's message_template_status_update inside Kaleyra's v2 envelope gives the same item", async () => {
		const body = {
			meta_object: {
				field: 'message_template_status_update',
				value: {
					event: 'APPROVED',
					message_template_id: Number(TEMPLATE_ID),
					message_template_name: 'order_shipped_v2',
					message_template_language: 'en',
					message_template_category: 'UTILITY',
					reason: 'NONE',
				},
			},
			extra_info: { waba_id: WABA },
		};
		const [item] = (await itemsFor(body))!;
		expect(item).toMatchObject({
			event: 'template',
			status: 'APPROVED',
			template: { ...orderShipped(null), category: 'UTILITY' },
			raw: body,
		});
	});

	it('not chosen (the default events, or every status of messages), it starts nothing and says so', async () => {
		const body = kaleyraCallback('APPROVED', 'NONE');
		const statusesOnly = EVERYTHING.filter((kind) => !INCOMING_ONLY.includes(kind));
		for (const events of [INCOMING_ONLY, statusesOnly]) {
			const answer = await new TriggerUnderTest({ events }).receive({
				body,
				headers: withSecret(),
			});
			expect([answer.items, answer.body]).toEqual([
				undefined,
				{ received: 1, started: 0, notChosen: 1, duplicates: 0 },
			]);
		}
	});

	it('the same callback delivered twice starts once; the next change of the same template starts again', async () => {
		const trigger = new TriggerUnderTest({ events: ['templateStatus'] });
		const approved = kaleyraCallback('APPROVED', 'NONE');
		const answers = [];
		for (const body of [
			approved,
			approved,
			kaleyraCallback('PAUSED', 'NONE', { time: '1735716000' }),
		])
			answers.push((await trigger.receive({ body, headers: withSecret() })).body);
		expect(answers).toEqual([
			{ received: 1, started: 1, notChosen: 0, duplicates: 0 },
			{ received: 1, started: 0, notChosen: 0, duplicates: 1 },
			{ received: 1, started: 1, notChosen: 0, duplicates: 0 },
		]);
	});

	it('without the secret it is refused like any callback', async () => {
		const answer = await new TriggerUnderTest({ events: ['templateStatus'] }).receive({
			body: kaleyraCallback('APPROVED', 'NONE'),
		});
		expect([answer.status, answer.items]).toEqual([401, undefined]);
	});

	it('a quality notice is still a notice, not a template change', async () => {
		const query = { display_phone_number: BUSINESS, event: 'FLAGGED', current_limit: 'TIER_1K' };
		const answer = await new TriggerUnderTest({ events: EVERYTHING }).receive({
			method: 'GET',
			query,
			headers: withSecret(),
		});
		expect(answer.items?.map((item) => [item.event, item.type, item.template])).toEqual([
			['notice', 'FLAGGED', null],
		]);
	});
});

describe("the sandbox's review posts Kaleyra's template status callback to the trigger", () => {
	it('approving, then rejecting with a reason: two items, in that order, with the template and the reason', async () => {
		const trigger = new TriggerUnderTest({ events: ['templateStatus'] });
		const { url, items, close } = await serveTrigger(trigger);
		const sandbox = await startSandbox({
			accounts: [{ sid: 'HXIN1734500042IN', apiKey: 'k', numbers: [`+${BUSINESS}`], wabaId: WABA }],
			callbacks: { url, headers: { 'X-Kaleyra-Secret': SECRET }, templateStatuses: true },
		});
		try {
			const [created] = sandbox.templates.filter((t) => t.name === 'order_shipped');
			const approved = await sandbox.reviewTemplate({ name: 'order_shipped', status: 'approved' });
			const rejected = await sandbox.reviewTemplate({
				name: 'order_shipped',
				status: 'REJECTED',
				reason: 'INCORRECT_CATEGORY',
			});
			expect([approved.changed, rejected.changed]).toEqual([1, 1]);
			expect(sandbox.callbacks.map((posted) => [posted.kind, posted.status])).toEqual([
				['template APPROVED', 200],
				['template REJECTED', 200],
			]);
			expect(items.map((item) => [item.event, item.status, item.template])).toEqual([
				[
					'template',
					'APPROVED',
					{ id: created.id, name: 'order_shipped', language: 'en', category: null, reason: null },
				],
				[
					'template',
					'REJECTED',
					{
						id: created.id,
						name: 'order_shipped',
						language: 'en',
						category: null,
						reason: 'INCORRECT_CATEGORY',
					},
				],
			]);
			expect(sandbox.callbacks[1].payload).toEqual({
				id: WABA,
				time: expect.stringMatching(/^\d+$/),
				event: 'REJECTED',
				message_template_id: created.id,
				message_template_name: 'order_shipped',
				message_template_language: 'en',
				reason: 'INCORRECT_CATEGORY',
				callback_profile_id: 'sandbox-template-status',
				company_id: 'HXIN1734500042IN',
			});
		} finally {
			await sandbox.close();
			await close();
		}
	});

	it('with templateStatuses off (the default) a review posts nothing', async () => {
		const sandbox = await startSandbox({
			accounts: [{ sid: 'HXIN1734500042IN', apiKey: 'k', numbers: [`+${BUSINESS}`], wabaId: WABA }],
			callbacks: { url: 'http://127.0.0.1:9/never' },
		});
		try {
			expect(await sandbox.reviewTemplate({ name: 'order_shipped', status: 'PAUSED' })).toEqual({
				changed: 1,
				posted: [],
			});
			expect(sandbox.callbacks).toEqual([]);
		} finally {
			await sandbox.close();
		}
	});
});
