/**
 * The sandbox plays the customer for the trigger: it posts Kaleyra's callbacks, with the callback
 * profile's secret header, to a trigger listening on loopback, and after each send it accepts it
 * reports sent → delivered → read (or failed 131047 when the customer's 24-hour window is closed).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

import { request } from 'undici';

import { startSandbox } from '../../sandbox';
import type { CustomerMessage, Sandbox } from '../../sandbox';
import { EVERYTHING, SECRET, TriggerUnderTest, serveTrigger } from './support';

const ACCOUNT = {
	sid: 'HXIN1734500042IN',
	apiKey: 'sbx-customer-test-key',
	numbers: ['+919845098450'],
};
const ASHA = '+919812345678';
const RAHUL_OUTSIDE_WINDOW = '+919876543210';

async function until(condition: () => boolean, what: string) {
	const deadline = Date.now() + 5000;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

function sendText(sandbox: Sandbox, to: string, body: string) {
	return request(`${sandbox.url}/v2/${ACCOUNT.sid}/whatsapp/${ACCOUNT.numbers[0]}/messages`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'api-key': ACCOUNT.apiKey },
		body: JSON.stringify({
			messaging_object: {
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to,
				type: 'text',
				text: { body },
			},
			extra_info: { ref: 'A-1001' },
		}),
	}).then(async (response) => (await response.body.json()) as { data: { message_id: string } });
}

describe('the sandbox plays the customer and Kaleyra’s callbacks', () => {
	let sandbox: Sandbox;
	let trigger: Awaited<ReturnType<typeof serveTrigger>>;

	beforeEach(async () => {
		trigger = await serveTrigger(new TriggerUnderTest({ events: EVERYTHING }));
		sandbox = await startSandbox({
			accounts: [ACCOUNT],
			callbacks: {
				url: trigger.url,
				headers: { 'X-Kaleyra-Secret': SECRET },
				statuses: true,
				outsideWindow: [RAHUL_OUTSIDE_WINDOW],
				delayMs: 5,
			},
		});
	});
	afterEach(async () => {
		await sandbox.close();
		await trigger.close();
	});

	it('Asha writes a text: the trigger gets it from her, to your number, with the ID the sandbox reports', async () => {
		const posted = await sandbox.customer({ kind: 'text', text: 'Has my order shipped?' });
		expect(posted.status).toBe(200);
		expect(trigger.items).toMatchObject([
			{
				event: 'message',
				type: 'text',
				from: ASHA,
				to: '+919845098450',
				name: 'Asha',
				messageId: posted.messageId,
				text: 'Has my order shipped?',
			},
		]);
		expect(sandbox.callbacks).toMatchObject([
			{ kind: 'incoming text', url: trigger.url, status: 200, error: null },
		]);
	});

	it.each<[string, CustomerMessage, object]>([
		[
			'a photo with a caption',
			{ kind: 'image', caption: 'Broken box' },
			{ type: 'image', text: 'Broken box' },
		],
		[
			'a tap on the Yes button of a question',
			{ kind: 'button', buttonId: 'yes', buttonTitle: 'Yes', question: 'wamid.question' },
			{ type: 'button_reply', buttonId: 'yes', buttonTitle: 'Yes', replyTo: 'wamid.question' },
		],
		[
			'a pick from a list',
			{ kind: 'list', listId: 'slot-2', listTitle: 'Friday' },
			{ type: 'list_reply', listId: 'slot-2', listTitle: 'Friday' },
		],
		[
			'a reaction to your message',
			{ kind: 'reaction', reactTo: 'wamid.yours', emoji: '🎉' },
			{ type: 'reaction', text: '🎉', replyTo: 'wamid.yours' },
		],
		[
			'a shared location',
			{ kind: 'location' },
			{
				type: 'location',
				location: { latitude: 12.9716, longitude: 77.5946, name: 'Home', address: null },
			},
		],
	])('%s arrives as one item', async (_story, spec, expected) => {
		await sandbox.customer(spec);
		expect(trigger.items).toMatchObject([{ event: 'message', from: ASHA, ...expected }]);
	});

	it('an image carries a download URL', async () => {
		await sandbox.customer({ kind: 'image' });
		expect(trigger.items[0].mediaUrl).toMatch(/^https:\/\/media\.kaleyra\.invalid\/media\/\d+$/);
	});

	it('each send the sandbox accepts is followed by sent, delivered and read, in order, for that message', async () => {
		const { data } = await sendText(sandbox, ASHA, 'It left this morning.');
		await until(() => trigger.items.length === 3, 'three statuses');
		expect(
			trigger.items.map((item) => [item.event, item.status, item.messageId, item.to, item.ref]),
		).toEqual([
			['status', 'sent', data.message_id, ASHA, 'A-1001'],
			['status', 'delivered', data.message_id, ASHA, 'A-1001'],
			['status', 'read', data.message_id, ASHA, 'A-1001'],
		]);
	});

	it('a customer outside the 24-hour window gets failed 131047 instead', async () => {
		const { data } = await sendText(sandbox, RAHUL_OUTSIDE_WINDOW, 'Hello again');
		await until(
			() => trigger.items.length === 1 && sandbox.callbacks.length === 1,
			'the failed status',
		);
		await new Promise((resolve) => setTimeout(resolve, 30));
		expect(trigger.items).toMatchObject([
			{
				event: 'status',
				status: 'failed',
				messageId: data.message_id,
				to: RAHUL_OUTSIDE_WINDOW,
				error: { code: '131047', title: 'Re-engagement message' },
			},
		]);
		expect(sandbox.callbacks).toHaveLength(1);
	});

	it('with a wrong secret configured, the trigger refuses (401) and the sandbox records it', async () => {
		sandbox.configureCallbacks({ headers: { 'X-Kaleyra-Secret': 'not-the-secret-at-all' } });
		const posted = await sandbox.customer({ kind: 'text' });
		expect(posted).toMatchObject({ status: 401, answer: { code: 401 } });
		expect(trigger.items).toEqual([]);
	});

	it('the admin API posts an incoming message and lists callbacks without their headers', async () => {
		const response = await request(`${sandbox.url}/__sandbox/incoming`, {
			method: 'POST',
			body: JSON.stringify({ kind: 'button', buttonId: 'no' }),
		});
		const posted = (await response.body.json()) as { status: number; messageId: string };
		expect([response.statusCode, posted.status]).toEqual([200, 200]);
		expect(trigger.items).toMatchObject([
			{ type: 'button_reply', buttonId: 'no', messageId: posted.messageId },
		]);
		const listed = await request(`${sandbox.url}/__sandbox/callbacks`);
		const text = await listed.body.text();
		expect(JSON.parse(text)).toMatchObject({
			config: { url: trigger.url, headers: ['X-Kaleyra-Secret'], statuses: true },
			posted: [{ kind: 'incoming button' }],
		});
		expect(text).not.toContain(SECRET);
	});

	it('the admin API refuses an unknown kind, naming the kinds', async () => {
		const response = await request(`${sandbox.url}/__sandbox/incoming`, {
			method: 'POST',
			body: JSON.stringify({ kind: 'poll' }),
		});
		expect(response.statusCode).toBe(400);
		expect(await response.body.json()).toEqual({
			code: 'SANDBOX400',
			message:
				'invalid incoming message: kind must be one of text, image, video, audio, document, sticker, button, list, reaction, location, flow, not poll',
		});
	});

	it('posts only to loopback addresses', async () => {
		const posted = await sandbox.customer({ kind: 'text', url: 'http://192.0.2.10/webhook/x' });
		expect(posted.error).toBe(
			'the sandbox posts callbacks to http:// loopback URLs only, not http://192.0.2.10/webhook/x',
		);
	});

	it('from the command line: `node sandbox/cli.js customer button` posts a tap with the header and exits 0', async () => {
		const cli = path.join(__dirname, '..', '..', 'sandbox', 'cli.js');
		const args = [
			'customer',
			'button',
			'--button-id',
			'no',
			'--button-title',
			'No',
			'--callback-url',
			trigger.url,
			'--callback-header',
			`X-Kaleyra-Secret: ${SECRET}`,
		];
		const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
			execFile(process.execPath, [cli, ...args], (error, out) =>
				resolve({ code: error ? Number(error.code) : 0, stdout: out }),
			);
		});
		expect(code).toBe(0);
		expect(stdout).toMatch(/answer: HTTP 200/);
		expect(trigger.items).toMatchObject([
			{ type: 'button_reply', buttonId: 'no', buttonTitle: 'No', from: ASHA },
		]);
	});
});
