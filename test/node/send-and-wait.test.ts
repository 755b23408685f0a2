/**
 * Message → Send and Wait for Reply, as a builder uses it: the exact question Kaleyra receives for
 * each response type, the execution waiting (until when), and the answer resuming it the way n8n
 * does (test/helpers/waiting.ts: the signature checked, the node's webhook run, the execution on
 * with its items); forged, altered, foreign-number and late answers resume nothing.
 */
import { createHmac } from 'node:crypto';

import { Container } from '@n8n/di';
import { InstanceSettings } from 'n8n-core';
import { WAIT_INDEFINITELY, type IDataObject } from 'n8n-workflow';

import { ANSWER_ID_PREFIX, resumeUrlOf } from '../../nodes/shared/answers';
import type { WorkflowFixture } from '../helpers/engine';
import { WaitingExecution } from '../helpers/waiting';
import {
	BUSINESS_NUMBER,
	JSON_HEADERS,
	NODE_TYPE,
	POD_BASE_URLS,
	SEND_NODE,
	accepted,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	kaleyra,
	run,
	setUpNock,
	v2Body,
	v2Url,
} from './support';

setUpNock();

const BASE = POD_BASE_URLS.in;
const NODE_ID = 'a5c0ffee-0000-4000-8000-000000000001';
const WAITING = 'http://localhost:5678/webhook-waiting';
const ASHA = { phone: '+919811111111', order: 'A-1001' };
const BEN = { phone: '+919822222222', order: 'A-1002' };
const QUESTION = 'Can we deliver order A-1001 tomorrow between 10 and 12?';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function asking(parameters: IDataObject): WorkflowFixture {
	return {
		nodes: [
			{
				id: 'items',
				name: 'Items',
				type: 'test.items',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: NODE_ID,
				name: SEND_NODE,
				type: NODE_TYPE,
				typeVersion: 1.2,
				position: [200, 0],
				parameters: {
					resource: 'message',
					operation: 'sendAndWait',
					businessNumber: BUSINESS_NUMBER,
					recipient: '={{ $json.phone }}',
					body: '=Can we deliver order {{ $json.order }} tomorrow between 10 and 12?',
					...parameters,
				},
				credentials: { kaleyraWhatsAppApi: { id: '1', name: 'Kaleyra' } },
			},
		],
		connections: { Items: { main: [[{ node: SEND_NODE, type: 'main', index: 0 }]] } },
	};
}

/** The resume URL n8n signs for this query: the HMAC with this instance's secret over path and query. */
function signed(executionId: string, query: string): string {
	const path = `/webhook-waiting/${executionId}/${NODE_ID}?${query}`;
	const signature = createHmac('sha256', Container.get(InstanceSettings).hmacSignatureSecret)
		.update(path)
		.digest('hex');
	return `http://localhost:5678${path}&signature=${signature}`;
}

const buttonId = (executionId: string, query: string) =>
	`${ANSWER_ID_PREFIX}${signed(executionId, query).slice(`${WAITING}/`.length)}`;

async function ask(parameters: IDataObject, items: IDataObject[] = [ASHA]) {
	const { received } = kaleyra(
		BASE,
		items.map((_, index) => accepted(`wamid.question-${index}`)),
	);
	const result = await run(asking(parameters), items);
	return {
		waiting: new WaitingExecution(result),
		executionId: result.additionalData.executionId!,
		received,
		result,
	};
}

/** What the trigger posts for a tap: the resume URL the button ID names, and who tapped. */
function tap(id: string, from = ASHA.phone) {
	const url = resumeUrlOf(id, WAITING);
	if (url === undefined) throw new Error(`${id} is not an answer ID`);
	return { method: 'POST' as const, url: url.toString(), body: { from } };
}

const buttonsOf = (received: ReturnType<typeof kaleyra>['received'], index = 0) =>
	(
		(received[index].body as IDataObject).messaging_object as {
			interactive: { action: { buttons: Array<{ reply: { id: string } }> } };
		}
	).interactive.action.buttons.map((button) => button.reply.id);

describe('Send and Wait for Reply: Approval with reply buttons', () => {
	it('asks with Approve and Decline buttons whose IDs are the signed resume links, and waits without a limit', async () => {
		const { waiting, executionId, received } = await ask({ responseType: 'approval' });
		const to = '919811111111';
		expect(received).toEqual([
			{
				method: 'POST',
				url: v2Url(BASE),
				headers: JSON_HEADERS,
				body: v2Body('+919811111111', 'interactive', {
					interactive: {
						type: 'button',
						body: { text: QUESTION },
						action: {
							buttons: [
								{
									type: 'reply',
									reply: {
										id: buttonId(executionId, `i=0&t=a&by=b&to=${to}&v=approve`),
										title: 'Approve',
									},
								},
								{
									type: 'reply',
									reply: {
										id: buttonId(executionId, `i=0&t=a&by=b&to=${to}&v=decline`),
										title: 'Decline',
									},
								},
							],
						},
					},
				}),
			},
		]);
		for (const id of buttonsOf(received)) expect(id.length).toBeLessThanOrEqual(256);
		expect(waiting.status).toBe('waiting');
		expect(waiting.waitTill).toEqual(WAIT_INDEFINITELY);
	});

	it('continues with approved: true when the customer taps Approve', async () => {
		const { waiting, received } = await ask({ responseType: 'approval' });
		const answer = await waiting.call(tap(buttonsOf(received)[0]));
		expect(answer).toMatchObject({ status: 200, body: { answerRecorded: true }, resumed: true });
		expect(waiting.status).toBe('success');
		expect(waiting.output(SEND_NODE)).toEqual([
			{
				json: {
					answered: true,
					approved: true,
					from: '+919811111111',
					answeredAt: expect.stringMatching(ISO),
					messageId: 'wamid.question-0',
					timedOut: false,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('continues with approved: false on Decline', async () => {
		const { waiting, received } = await ask({ responseType: 'approval' });
		await waiting.call(tap(buttonsOf(received)[1]));
		expect(waiting.output(SEND_NODE)[0].json).toMatchObject({ answered: true, approved: false });
	});

	it("offers Approve only when Offer Decline is off, with the builder's label", async () => {
		const { received } = await ask({
			responseType: 'approval',
			offerDecline: false,
			approveLabel: 'Yes, deliver',
		});
		const { interactive } = (received[0].body as IDataObject).messaging_object as IDataObject;
		expect((interactive as IDataObject).action).toEqual({
			buttons: [
				{
					type: 'reply',
					reply: { id: expect.stringContaining('v=approve'), title: 'Yes, deliver' },
				},
			],
		});
	});
});

describe('Send and Wait for Reply: answers that resume nothing', () => {
	it('refuses a tap whose ID was altered (another answer under the same signature): n8n answers 401, the execution waits', async () => {
		const { waiting, received } = await ask({ responseType: 'approval' });
		const altered = buttonsOf(received)[0].replace('v=approve', 'v=decline');
		expect(await waiting.call(tap(altered))).toMatchObject({ status: 401, resumed: false });
		expect(waiting.status).toBe('waiting');
	});

	it("refuses a forged ID (a signature not made with this n8n's secret)", async () => {
		const { waiting, executionId } = await ask({ responseType: 'approval' });
		const forged = `${ANSWER_ID_PREFIX}${executionId}/${NODE_ID}?i=0&t=a&by=b&to=919811111111&v=approve&signature=${'a'.repeat(64)}`;
		expect(await waiting.call(tap(forged))).toMatchObject({ status: 401, resumed: false });
		expect(waiting.status).toBe('waiting');
	});

	it('refuses a tap from another number than the one asked: 403, the execution waits', async () => {
		const { waiting, received } = await ask({ responseType: 'approval' });
		expect(await waiting.call(tap(buttonsOf(received)[0], BEN.phone))).toEqual({
			status: 403,
			body: { answerRecorded: false, reason: 'The tap is not from the number that was asked.' },
			headers: {},
			resumed: false,
		});
		expect(waiting.status).toBe('waiting');
	});

	it('answers a GET of a button link with a page and does not resume', async () => {
		const { waiting, received } = await ask({ responseType: 'approval' });
		const answer = await waiting.call({ ...tap(buttonsOf(received)[0]), method: 'GET' });
		expect(answer).toMatchObject({ status: 200, resumed: false });
		expect(String(answer.body)).toContain('Answer with the buttons of the message in WhatsApp.');
		expect(waiting.status).toBe('waiting');
	});

	it('resumes nothing with a tap after the execution went on (a second tap)', async () => {
		const { waiting, received } = await ask({ responseType: 'approval' });
		await waiting.call(tap(buttonsOf(received)[0]));
		const late = await waiting.call(tap(buttonsOf(received)[1]));
		expect(late).toMatchObject({
			status: 200,
			body: 'send-and-wait-no-action-required',
			resumed: false,
		});
		expect(waiting.output(SEND_NODE)[0].json.approved).toBe(true);
	});
});

describe('Send and Wait for Reply: Choice', () => {
	const choices = {
		choice: [
			{ label: 'Tomorrow 10-12', value: 'slot-1' },
			{ label: 'Tomorrow 14-16', value: 'slot-2' },
			{ label: 'Call me', value: '' },
		],
	};

	it('asks with one button per choice and continues with the tapped value and label', async () => {
		const { waiting, executionId, received } = await ask({ responseType: 'choice', choices });
		const to = '919811111111';
		expect(buttonsOf(received)).toEqual([
			buttonId(executionId, `i=0&t=c&by=b&to=${to}&v=slot-1&l=Tomorrow+10-12`),
			buttonId(executionId, `i=0&t=c&by=b&to=${to}&v=slot-2&l=Tomorrow+14-16`),
			buttonId(executionId, `i=0&t=c&by=b&to=${to}&v=Call+me&l=Call+me`),
		]);
		await waiting.call(tap(buttonsOf(received)[1]));
		expect(waiting.output(SEND_NODE)).toEqual([
			{
				json: {
					answered: true,
					value: 'slot-2',
					label: 'Tomorrow 14-16',
					from: '+919811111111',
					answeredAt: expect.stringMatching(ISO),
					messageId: 'wamid.question-0',
					timedOut: false,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('refuses no choices and a value too long for a button ID, naming the field; nothing is sent', async () => {
		// n8n's editor itself holds Choices to 3 (maxAllowedFields); none at all is the node's to refuse.
		const result = await run(asking({ responseType: 'choice', choices: { choice: [] } }), [ASHA]);
		expect(result.error?.message).toBe(
			'Choices: WhatsApp allows 1 to 3 reply buttons; this question has 0. Add choices.',
		);
		const long = { choice: [{ label: 'Slot', value: 'x'.repeat(150) }] };
		const second = await run(asking({ responseType: 'choice', choices: long }), [ASHA]);
		expect(second.error?.message).toMatch(
			/^Choice 1 → Value: the button's ID \(the signed resume link with this answer\) would have \d+ characters; WhatsApp allows 256\. Use a shorter value, e\.g\. an ID\.$/,
		);
	});
});

describe('Send and Wait for Reply: the link form', () => {
	it('Free Text: sends a link button to the signed form; a GET shows the form, only the POST answers', async () => {
		const { waiting, executionId, received } = await ask({
			responseType: 'freeText',
			linkLabel: 'Reply',
		});
		const url = signed(executionId, 'i=0&t=f&by=l');
		expect(received[0].body).toEqual(
			v2Body('+919811111111', 'interactive', {
				interactive: {
					type: 'cta_url',
					body: { text: QUESTION },
					action: { name: 'cta_url', parameters: { display_text: 'Reply', url } },
				},
			}),
		);
		const page = await waiting.call({ method: 'GET', url });
		expect(page).toMatchObject({
			status: 200,
			resumed: false,
			headers: { 'content-type': 'text/html; charset=utf-8' },
		});
		expect(String(page.body)).toContain('<textarea name="text"');
		expect(waiting.status).toBe('waiting');

		const empty = await waiting.call({ method: 'POST', url, body: { text: '  ' } });
		expect(empty).toMatchObject({ status: 400, resumed: false });

		const answer = await waiting.call({
			method: 'POST',
			url,
			body: { text: 'Please leave it at the door' },
		});
		expect(answer.resumed).toBe(true);
		expect(String(answer.body)).toContain('your answer was recorded');
		expect(waiting.output(SEND_NODE)).toEqual([
			{
				json: {
					answered: true,
					text: 'Please leave it at the door',
					from: null,
					answeredAt: expect.stringMatching(ISO),
					messageId: 'wamid.question-0',
					timedOut: false,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('Approval by Link: the page offers both answers; the POST of Decline continues with approved: false', async () => {
		const { waiting, executionId } = await ask({ responseType: 'approval', answerBy: 'link' });
		const url = signed(
			executionId,
			`i=0&t=a&by=l&o=${encodeURIComponent(
				JSON.stringify([
					['approve', 'Approve'],
					['decline', 'Decline'],
				]),
			)}`,
		);
		const page = await waiting.call({ method: 'GET', url });
		expect(String(page.body)).toContain(
			'<button type="submit" name="answer" value="1">Decline</button>',
		);
		await waiting.call({ method: 'POST', url, body: { answer: '1' } });
		expect(waiting.output(SEND_NODE)[0].json).toMatchObject({
			answered: true,
			approved: false,
			from: null,
		});
	});
});

describe('Send and Wait for Reply: Limit Wait Time and several items', () => {
	it('waits until the limit, then continues with timedOut: true; a tap after that resumes nothing', async () => {
		const before = Date.now();
		const { waiting, received } = await ask({
			responseType: 'approval',
			limitWaitTime: true,
			limitType: 'afterTimeInterval',
			resumeAmount: 2,
			resumeUnit: 'hours',
		});
		const waitTill = waiting.waitTill!.getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
		expect(waitTill).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);
		await waiting.timeOut();
		expect(waiting.status).toBe('success');
		expect(waiting.output(SEND_NODE)).toEqual([
			{
				json: {
					answered: false,
					approved: null,
					from: null,
					answeredAt: null,
					messageId: 'wamid.question-0',
					timedOut: true,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(await waiting.call(tap(buttonsOf(received)[0]))).toMatchObject({ resumed: false });
	});

	it('waits until a date and time; refuses one that is not a date, naming the field, before sending', async () => {
		const { waiting } = await ask({
			responseType: 'approval',
			limitWaitTime: true,
			limitType: 'atSpecifiedTime',
			maxDateAndTime: '2031-06-01T18:00:00.000Z',
		});
		expect(waiting.waitTill).toEqual(new Date('2031-06-01T18:00:00.000Z'));
		const bad = await run(
			asking({
				responseType: 'approval',
				limitWaitTime: true,
				limitType: 'atSpecifiedTime',
				maxDateAndTime: 'soon',
			}),
			[ASHA],
		);
		expect(bad.error?.message).toBe(
			'Limit Wait Time → Max Date and Time: "soon" is not a date and time. Enter one such as 2026-06-01T18:00:00.',
		);
	});

	it('asks every item; the first answer continues, the other items unanswered, in order and paired', async () => {
		const { waiting, received } = await ask({ responseType: 'approval' }, [ASHA, BEN]);
		expect(
			received.map(
				(request) => (request.body as { messaging_object: IDataObject }).messaging_object.to,
			),
		).toEqual(['+919811111111', '+919822222222']);
		expect(buttonsOf(received, 1)[0]).toContain('i=1&t=a&by=b&to=919822222222&v=approve');
		await waiting.call(tap(buttonsOf(received, 1)[1], BEN.phone));
		expect(waiting.output(SEND_NODE)).toEqual([
			{
				json: {
					answered: false,
					approved: null,
					from: null,
					answeredAt: null,
					messageId: 'wamid.question-0',
					timedOut: false,
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					answered: true,
					approved: false,
					from: '+919822222222',
					answeredAt: expect.stringMatching(ISO),
					messageId: 'wamid.question-1',
					timedOut: false,
				},
				pairedItem: { item: 1 },
			},
		]);
	});
});

itKeepsTheApiKeyOutOfEverythingUsersSee();
