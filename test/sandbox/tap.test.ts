/**
 * The sandbox's customer taps a reply button of the last message with buttons (issue 18 point 6):
 * the tap goes to the callback URL as WhatsApp's button reply, with the button's ID and title,
 * quoting that message; through the API (`sandbox.tap`) and the admin API (POST /__sandbox/tap).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { BUSINESS_NUMBER, CUSTOMER, useSandbox } from './support';

const api = useSandbox();

const received: unknown[] = [];
let receiver: Server;
let receiverUrl: string;

beforeAll(async () => {
	receiver = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString()));
		req.on('end', () => {
			received.push(JSON.parse(body));
			res.setHeader('content-type', 'application/json');
			res.end('{"received":1}');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/x/kaleyra`;
});
afterAll(async () => await new Promise((resolve) => receiver.close(resolve)));
beforeEach(() => {
	received.length = 0;
	api.sandbox.configureCallbacks({ url: receiverUrl });
});

async function askWithButtons() {
	const sent = await api.sendV2({
		messaging_object: {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: CUSTOMER,
			type: 'interactive',
			interactive: {
				type: 'button',
				body: { text: 'Can we deliver tomorrow?' },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: 'slot-yes', title: 'Yes' } },
						{ type: 'reply', reply: { id: 'slot-later', title: 'Later' } },
					],
				},
			},
		},
	});
	return (sent.json as { data: { message_id: string } }).data.message_id;
}

const tapOf = (payload: unknown) =>
	(payload as { meta_object: { value: { messages: Array<Record<string, unknown>> } } }).meta_object
		.value.messages[0];

describe('the sandbox customer taps a reply button', () => {
	it('posts the tapped button (by title) as a button reply quoting the message', async () => {
		const question = await askWithButtons();
		const posted = await api.sandbox.tap({ button: 'later' });
		expect(posted.status).toBe(200);
		expect(tapOf(received[0])).toMatchObject({
			from: CUSTOMER.slice(1),
			type: 'interactive',
			interactive: { type: 'button_reply', button_reply: { id: 'slot-later', title: 'Later' } },
			context: { from: BUSINESS_NUMBER.slice(1), id: question },
		});
	});

	it('taps through the admin API, by position; refuses a button the message does not have', async () => {
		await askWithButtons();
		const first = await api.call('/__sandbox/tap', { method: 'POST', body: '{"button":1}' });
		expect(first.status).toBe(200);
		expect(tapOf(received[0])).toMatchObject({
			interactive: { button_reply: { id: 'slot-yes', title: 'Yes' } },
		});
		const none = await api.call('/__sandbox/tap', { method: 'POST', body: '{"button":"Maybe"}' });
		expect(none).toMatchObject({
			status: 400,
			json: {
				code: 'SANDBOX400',
				message:
					'invalid tap: the last message with reply buttons has no button "Maybe"; it has "Yes", "Later"',
			},
		});
	});

	it('says when no message with buttons was sent', async () => {
		await expect(api.sandbox.tap()).rejects.toThrow('no message with reply buttons was sent yet');
	});
});
