/**
 * The trigger hands Send and Wait taps over (issue 18 point 2): the shop asks Asha with reply
 * buttons, her tap reaches the Kaleyra WhatsApp Trigger, which posts it to the waiting execution's
 * resume URL on its own n8n (played here by test/helpers/waiting.ts behind nock, as n8n's
 * waiting-webhooks service) and by default does not start its own workflow for it. Forged,
 * foreign-number and late taps resume nothing and arrive as the ordinary button replies they are.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { ANSWER_ID_PREFIX } from '../../nodes/shared/answers';
import type { WorkflowFixture } from '../helpers/engine';
import { WaitingExecution } from '../helpers/waiting';
import {
	BUSINESS_NUMBER,
	NODE_TYPE,
	POD_BASE_URLS,
	SEND_NODE,
	accepted,
	kaleyra,
	run,
	setUpNock,
} from '../node/support';
import { ASHA, INCOMING_ID, QUESTION_ID, incoming, message } from './payloads';
import { INCOMING_ONLY, TriggerUnderTest, withSecret } from './support';

setUpNock();

const NODE_ID = 'b7c0ffee-0000-4000-8000-000000000002';

const asking: WorkflowFixture = {
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
				responseType: 'approval',
				businessNumber: BUSINESS_NUMBER,
				recipient: '={{ $json.phone }}',
				body: 'Can we deliver your order tomorrow between 10 and 12?',
			},
			credentials: { kaleyraWhatsAppApi: { id: '1', name: 'Kaleyra' } },
		},
	],
	connections: { Items: { main: [[{ node: SEND_NODE, type: 'main', index: 0 }]] } },
};

/** The shop asks Asha; the execution waits. Returns it and the two button IDs. */
async function askAsha() {
	const { received } = kaleyra(POD_BASE_URLS.in, [accepted(QUESTION_ID)]);
	const waiting = new WaitingExecution(await run(asking, [{ phone: `+${ASHA}` }]));
	const buttons = (
		(received[0].body as IDataObject).messaging_object as {
			interactive: { action: { buttons: Array<{ reply: { id: string; title: string } }> } };
		}
	).interactive.action.buttons.map(({ reply }) => reply);
	return { waiting, buttons };
}

/** This n8n's waiting-webhook endpoint, as n8n's waiting-webhooks service answers it. */
function n8nResumes(waiting: WaitingExecution, times = 1) {
	const posted: Array<{ path: string; body: unknown }> = [];
	nock('http://localhost:5678')
		.post(/^\/webhook-waiting\//)
		.times(times)
		.reply(async (path, body) => {
			posted.push({ path, body });
			const answer = await waiting.call({
				method: 'POST',
				url: `http://localhost:5678${path}`,
				body: (typeof body === 'string' ? JSON.parse(body) : body) as IDataObject,
			});
			return [answer.status, answer.body as string];
		});
	return posted;
}

const tapCallback = (id: string, title: string, from = ASHA) =>
	incoming([
		message(
			'interactive',
			{ interactive: { type: 'button_reply', button_reply: { id, title } } },
			{ from, context: { from: '919845098450', id: QUESTION_ID } },
		),
	]);

const trigger = (options: IDataObject = {}) =>
	new TriggerUnderTest({ events: INCOMING_ONLY, options });

describe('the Kaleyra WhatsApp Trigger hands Send and Wait taps over', () => {
	it('posts the tap to the execution on its own n8n, which continues with approved: true; its own workflow does not start', async () => {
		const { waiting, buttons } = await askAsha();
		const posted = n8nResumes(waiting);
		const answer = await trigger().receive({
			body: tapCallback(buttons[0].id, 'Approve'),
			headers: withSecret(),
		});
		expect(posted).toEqual([
			{
				path: `/webhook-waiting/${buttons[0].id.slice(ANSWER_ID_PREFIX.length)}`,
				body: { from: `+${ASHA}`, messageId: INCOMING_ID, replyTo: QUESTION_ID },
			},
		]);
		expect(answer.items).toBeUndefined();
		expect(answer.body).toEqual({
			received: 1,
			started: 0,
			notChosen: 0,
			duplicates: 0,
			answered: 1,
		});
		expect(waiting.status).toBe('success');
		expect(waiting.output(SEND_NODE)[0].json).toMatchObject({
			answered: true,
			approved: true,
			from: `+${ASHA}`,
			messageId: QUESTION_ID,
		});
	});

	it('also starts its workflow for the tap with Start Workflow for Send and Wait Answers on', async () => {
		const { waiting, buttons } = await askAsha();
		n8nResumes(waiting);
		const answer = await trigger({ startForAnswers: true }).receive({
			body: tapCallback(buttons[1].id, 'Decline'),
			headers: withSecret(),
		});
		expect(answer.items).toEqual([
			expect.objectContaining({ type: 'button_reply', buttonId: buttons[1].id }),
		]);
		expect(answer.body).toEqual({
			received: 1,
			started: 1,
			notChosen: 0,
			duplicates: 0,
			answered: 1,
		});
		expect(waiting.output(SEND_NODE)[0].json).toMatchObject({ approved: false });
	});

	it('does not start for Kaleyra delivering the handed-over tap again', async () => {
		const { waiting, buttons } = await askAsha();
		n8nResumes(waiting, 2);
		const theTrigger = trigger();
		const request = { body: tapCallback(buttons[0].id, 'Approve'), headers: withSecret() };
		await theTrigger.receive(request);
		const again = await theTrigger.receive(request);
		expect(again.items).toBeUndefined();
		expect(again.body).toEqual({ received: 1, started: 0, notChosen: 0, duplicates: 1 });
	});

	it('resumes nothing with an altered ID (n8n answers 401) and delivers the tap as an ordinary button reply', async () => {
		const { waiting, buttons } = await askAsha();
		n8nResumes(waiting);
		const altered = buttons[0].id.replace('v=approve', 'v=decline');
		const answer = await trigger().receive({
			body: tapCallback(altered, 'Approve'),
			headers: withSecret(),
		});
		expect(answer.items).toEqual([
			expect.objectContaining({ type: 'button_reply', buttonId: altered }),
		]);
		expect(answer.body).toEqual({ received: 1, started: 1, notChosen: 0, duplicates: 0 });
		expect(waiting.status).toBe('waiting');
	});

	it('resumes nothing with a tap from another number (the asking node answers 403)', async () => {
		const { waiting, buttons } = await askAsha();
		n8nResumes(waiting);
		const answer = await trigger().receive({
			body: tapCallback(buttons[0].id, 'Approve', '919822222222'),
			headers: withSecret(),
		});
		expect(answer.items).toHaveLength(1);
		expect(waiting.status).toBe('waiting');
	});

	it('delivers a tap that comes after the time limit as an ordinary button reply', async () => {
		const { waiting, buttons } = await askAsha();
		await waiting.timeOut();
		n8nResumes(waiting);
		const answer = await trigger().receive({
			body: tapCallback(buttons[0].id, 'Approve'),
			headers: withSecret(),
		});
		expect(answer.items).toEqual([expect.objectContaining({ buttonId: buttons[0].id })]);
		expect(waiting.output(SEND_NODE)[0].json).toMatchObject({ answered: false, timedOut: true });
	});

	it('never posts for an ID that names anything but an execution and a node (another path, no signature)', async () => {
		for (const id of [
			`${ANSWER_ID_PREFIX}../../rest/workflows?x=1&signature=${'a'.repeat(64)}`,
			`${ANSWER_ID_PREFIX}12/node?v=approve`,
			`${ANSWER_ID_PREFIX}12/node?signature=${'a'.repeat(64)}#@evil.example.com`,
		]) {
			const answer = await trigger().receive({
				body: tapCallback(id, 'Approve'),
				headers: withSecret(),
			});
			expect(answer.items).toHaveLength(1);
		}
	});
});
