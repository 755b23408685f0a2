/**
 * Every operation, for every pod: the exact request Kaleyra receives (method, URL, api-key header,
 * JSON body or form fields) and the exact items n8n passes on, for several input items whose fields
 * come from expressions. The workflows are the JSON files in test/fixtures.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	ASHA,
	ACCOUNTS,
	BUSINESS_NUMBER,
	FORM_HEADERS,
	JSON_HEADERS,
	POD_BASE_URLS,
	type Reply,
	accepted,
	acceptedV1,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	loadFixture,
	run,
	setUpNock,
	v1Url,
	v2Url,
	withNode,
} from './support';

setUpNock();

/** A v2 send body as docs/kaleyra-api.md §2 describes it. */
function v2Body(
	to: string,
	type: string,
	message: IDataObject,
	extraInfo?: IDataObject,
): IDataObject {
	return {
		messaging_object: {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to,
			type,
			...message,
		},
		...(extraInfo === undefined ? {} : { extra_info: extraInfo }),
	};
}

/** The item n8n outputs for a message Kaleyra accepted. */
function acceptedItem(
	messageId: string,
	to: string,
	type: string,
	extra: IDataObject = {},
): IDataObject {
	return { messageId, to, type, status: 'accepted', code: 'WA202', httpStatus: 202, ...extra };
}

function acceptedV1Item(messageId: string, to: string, extra: IDataObject = {}): IDataObject {
	return {
		messageId,
		to,
		type: 'reply',
		status: 'accepted',
		code: null,
		httpStatus: 202,
		...extra,
	};
}

function buttonsAction(...buttons: Array<[id: string, title: string]>): string {
	return JSON.stringify({
		buttons: buttons.map(([id, title]) => ({ type: 'reply', reply: { id, title } })),
	});
}

/** The customers of the stories; the second and third type their numbers the way people do. */
const BEN = { phone: '919822222222', name: 'Ben', orderId: 'A-1002' };
const CHEN = { phone: '+44 7700 900123', name: 'Chen', orderId: 'A-1003' };
const TO = ['+919811111111', '+919822222222', '+447700900123'];

interface Story {
	title: string;
	fixture: string;
	items: IDataObject[];
	api: 'v2' | 'v1';
	replies: Reply[];
	/** v2: the JSON body; v1: the form fields in order. One per item. */
	bodies: unknown[];
	outputs: IDataObject[];
}

const stories: Story[] = [
	{
		title:
			'texts each customer whose order shipped, with the order as reference and Shopify as source',
		fixture: 'send-text',
		items: [ASHA, BEN, CHEN],
		api: 'v2',
		replies: [accepted('wamid.T1'), accepted('wamid.T2'), accepted('wamid.T3')],
		bodies: [ASHA, BEN, CHEN].map(({ name, orderId }, i) =>
			v2Body(
				TO[i],
				'text',
				{ text: { body: `Hi ${name}, order ${orderId} shipped`, preview_url: false } },
				{
					ref: orderId,
					ref1: 'order-shipped',
					wa_source: 'shopify',
				},
			),
		),
		outputs: [ASHA, BEN, CHEN].map(({ orderId }, i) =>
			acceptedItem(`wamid.T${i + 1}`, TO[i], 'text', { ref: orderId, ref1: 'order-shipped' }),
		),
	},
	{
		title: 'replies to each incoming message, quoting it, with a link preview',
		fixture: 'send-reply',
		items: [
			{ from: '919811111111', name: 'Asha', messageId: 'wamid.IN-1', orderId: 'A-1001' },
			{ from: '447700900123', name: 'Chen', messageId: 'wamid.IN-2', orderId: 'A-1003' },
		],
		api: 'v2',
		replies: [accepted('wamid.R1'), accepted('wamid.R2')],
		bodies: [
			v2Body('+919811111111', 'text', {
				context: { message_id: 'wamid.IN-1' },
				text: {
					body: 'Thanks Asha! Track order A-1001 at https://shop.example.com/t/A-1001',
					preview_url: true,
				},
			}),
			v2Body('+447700900123', 'text', {
				context: { message_id: 'wamid.IN-2' },
				text: {
					body: 'Thanks Chen! Track order A-1003 at https://shop.example.com/t/A-1003',
					preview_url: true,
				},
			}),
		],
		outputs: [
			acceptedItem('wamid.R1', '+919811111111', 'text'),
			acceptedItem('wamid.R2', '+447700900123', 'text'),
		],
	},
	{
		title:
			'reacts to each customer message with a thumbs up, a heart given as \\u2764, or removes the reaction when asked to',
		fixture: 'send-reaction',
		items: [
			{ from: '919811111111', messageId: 'wamid.IN-1', emoji: '👍' },
			{ from: '919822222222', messageId: 'wamid.IN-2', emoji: '\\u2764' },
			{ from: '447700900123', messageId: 'wamid.IN-3', emoji: '', remove: true },
		],
		api: 'v2',
		replies: [accepted('wamid.E1'), accepted('wamid.E2'), accepted('wamid.E3')],
		bodies: [
			v2Body(TO[0], 'reaction', { reaction: { message_id: 'wamid.IN-1', emoji: '👍' } }),
			v2Body(TO[1], 'reaction', { reaction: { message_id: 'wamid.IN-2', emoji: '❤' } }),
			v2Body(TO[2], 'reaction', { reaction: { message_id: 'wamid.IN-3', emoji: '' } }),
		],
		outputs: TO.map((to, i) => acceptedItem(`wamid.E${i + 1}`, to, 'reaction')),
	},
	{
		title: 'sends each customer a photo of their product by public link, with a caption',
		fixture: 'send-media-image-link',
		items: [
			{ ...ASHA, sku: 'TSHIRT-42', product: 'blue T-shirt' },
			{ ...BEN, sku: 'MUG-7', product: 'mug' },
		],
		api: 'v2',
		replies: [accepted('wamid.I1'), accepted('wamid.I2')],
		bodies: [
			v2Body(TO[0], 'image', {
				image: {
					link: 'https://cdn.example.com/products/TSHIRT-42.jpg',
					caption: 'Your blue T-shirt is ready, Asha',
				},
			}),
			v2Body(TO[1], 'image', {
				image: {
					link: 'https://cdn.example.com/products/MUG-7.jpg',
					caption: 'Your mug is ready, Ben',
				},
			}),
		],
		outputs: [acceptedItem('wamid.I1', TO[0], 'image'), acceptedItem('wamid.I2', TO[1], 'image')],
	},
	{
		title: 'sends an uploaded video by its media ID',
		fixture: 'send-media-video-id',
		items: [
			{ phone: ASHA.phone, videoId: '1029384756' },
			{ phone: BEN.phone, videoId: ' 5647382910 ' },
		],
		api: 'v2',
		replies: [accepted('wamid.V1'), accepted('wamid.V2')],
		bodies: [
			v2Body(TO[0], 'video', { video: { id: '1029384756' } }),
			v2Body(TO[1], 'video', { video: { id: '5647382910' } }),
		],
		outputs: [acceptedItem('wamid.V1', TO[0], 'video'), acceptedItem('wamid.V2', TO[1], 'video')],
	},
	{
		title: 'sends a voice note (audio) by link',
		fixture: 'send-media-audio',
		items: [
			{ phone: ASHA.phone, voiceNote: 'https://cdn.example.com/voice/asha.ogg' },
			{ phone: CHEN.phone, voiceNote: 'https://cdn.example.com/voice/chen.mp3' },
		],
		api: 'v2',
		replies: [accepted('wamid.A1'), accepted('wamid.A2')],
		bodies: [
			v2Body(TO[0], 'audio', { audio: { link: 'https://cdn.example.com/voice/asha.ogg' } }),
			v2Body(TO[2], 'audio', { audio: { link: 'https://cdn.example.com/voice/chen.mp3' } }),
		],
		outputs: [acceptedItem('wamid.A1', TO[0], 'audio'), acceptedItem('wamid.A2', TO[2], 'audio')],
	},
	{
		title: 'sends each customer the invoice PDF of their order, with a caption and a file name',
		fixture: 'send-media-document',
		items: [ASHA, BEN, CHEN],
		api: 'v2',
		replies: [accepted('wamid.D1'), accepted('wamid.D2'), accepted('wamid.D3')],
		bodies: [ASHA, BEN, CHEN].map(({ orderId }, i) =>
			v2Body(TO[i], 'document', {
				document: {
					link: `https://shop.example.com/invoices/${orderId}.pdf`,
					caption: `Invoice for order ${orderId}`,
					filename: `invoice-${orderId}.pdf`,
				},
			}),
		),
		outputs: TO.map((to, i) => acceptedItem(`wamid.D${i + 1}`, to, 'document')),
	},
	{
		title: 'sends a thank-you sticker by media ID',
		fixture: 'send-media-sticker',
		items: [
			{ phone: ASHA.phone, stickerId: 'st-778899' },
			{ phone: BEN.phone, stickerId: 'st-112233' },
		],
		api: 'v2',
		replies: [accepted('wamid.S1'), accepted('wamid.S2')],
		bodies: [
			v2Body(TO[0], 'sticker', { sticker: { id: 'st-778899' } }),
			v2Body(TO[1], 'sticker', { sticker: { id: 'st-112233' } }),
		],
		outputs: [
			acceptedItem('wamid.S1', TO[0], 'sticker'),
			acceptedItem('wamid.S2', TO[1], 'sticker'),
		],
	},
	{
		title:
			'asks each customer to confirm delivery with three reply buttons and a footer (no header)',
		fixture: 'send-reply-buttons',
		items: [ASHA, BEN],
		api: 'v1',
		replies: [
			acceptedV1('6b1f0c3e-1', '919811111111', 'Hi Asha, can we deliver order A-1001 tomorrow?'),
			acceptedV1('6b1f0c3e-2', '919822222222', 'Hi Ben, can we deliver order A-1002 tomorrow?'),
		],
		bodies: [ASHA, BEN].map(({ name, orderId }, i) => [
			['to', TO[i]],
			['from', BUSINESS_NUMBER],
			['channel', 'WhatsApp'],
			['type', 'reply'],
			['body', `Hi ${name}, can we deliver order ${orderId} tomorrow?`],
			// An empty button ID takes the title, so the tap can still be told apart.
			['action', buttonsAction([`yes-${orderId}`, 'Yes'], ['later', 'Later'], ['No', 'No'])],
			['footer', 'Tap a button to answer'],
		]),
		outputs: [acceptedV1Item('6b1f0c3e-1:0', TO[0]), acceptedV1Item('6b1f0c3e-2:0', TO[1])],
	},
	{
		title: 'asks yes or no under a text header naming the order',
		fixture: 'send-reply-buttons-text-header',
		items: [ASHA, CHEN],
		api: 'v1',
		replies: [acceptedV1('7c2e-1', '919811111111', 'x'), acceptedV1('7c2e-2', '447700900123', 'x')],
		bodies: [ASHA, CHEN].map(({ name, orderId }, i) => [
			['to', TO[i * 2]],
			['from', BUSINESS_NUMBER],
			['channel', 'WhatsApp'],
			['type', 'reply'],
			['body', `Can we deliver tomorrow, ${name}?`],
			['action', buttonsAction(['yes', 'Yes'], ['no', 'No'])],
			['header_type', 'text'],
			['header_value', `Order ${orderId}`],
		]),
		outputs: [acceptedV1Item('7c2e-1:0', TO[0]), acceptedV1Item('7c2e-2:0', TO[2])],
	},
	{
		title: 'asks yes or no under a product photo header with a caption',
		fixture: 'send-reply-buttons-image-header',
		items: [
			{ ...ASHA, sku: 'TSHIRT-42', product: 'blue T-shirt' },
			{ ...BEN, sku: 'MUG-7', product: 'mug' },
		],
		api: 'v1',
		replies: [acceptedV1('8d3f-1', '919811111111', 'x'), acceptedV1('8d3f-2', '919822222222', 'x')],
		bodies: [
			['TSHIRT-42', 'blue T-shirt', 'A-1001'],
			['MUG-7', 'mug', 'A-1002'],
		].map(([sku, product, orderId], i) => [
			['to', TO[i]],
			['from', BUSINESS_NUMBER],
			['channel', 'WhatsApp'],
			['type', 'reply'],
			['body', `Is this your ${product}?`],
			['action', buttonsAction(['yes', 'Yes'], ['no', 'No'])],
			['header_type', 'image'],
			['header_value', `https://cdn.example.com/products/${sku}.jpg`],
			['caption', `Order ${orderId}`],
		]),
		outputs: [acceptedV1Item('8d3f-1:0', TO[0]), acceptedV1Item('8d3f-2:0', TO[1])],
	},
	{
		title:
			"asks for a delivery confirmation, has this message's statuses posted to an n8n webhook, and tags it with references",
		fixture: 'send-reply-buttons-callback',
		items: [ASHA, BEN, CHEN],
		api: 'v1',
		replies: [
			acceptedV1('9e4a-1', '919811111111', 'x'),
			acceptedV1('9e4a-2', '919822222222', 'x'),
			acceptedV1('9e4a-3', '447700900123', 'x'),
		],
		bodies: [ASHA, BEN, CHEN].map(({ name, orderId }, i) => [
			['to', TO[i]],
			['from', BUSINESS_NUMBER],
			['channel', 'WhatsApp'],
			['type', 'reply'],
			['body', `Hi ${name}, confirm delivery of order ${orderId}?`],
			['action', buttonsAction(['confirm', 'Confirm'], ['reschedule', 'Reschedule'])],
			['callback_url', `https://n8n.example.com/webhook/kaleyra-status?order=${orderId}`],
			['ref', orderId],
			['ref1', 'delivery-confirmation'],
			['ref2', name],
		]),
		outputs: [ASHA, BEN, CHEN].map(({ name, orderId }, i) =>
			acceptedV1Item(`9e4a-${i + 1}:0`, TO[i], {
				ref: orderId,
				ref1: 'delivery-confirmation',
				ref2: name,
			}),
		),
	},
];

describe.each(ACCOUNTS)('With a Kaleyra account on the $label', ({ account, baseUrl }) => {
	it.each(stories)('$title', async (story) => {
		const { received } = kaleyra(baseUrl, story.replies);

		const result = await run(story.fixture, story.items, account);

		expect(result.error).toBeUndefined();
		const url = story.api === 'v2' ? v2Url(baseUrl) : v1Url(baseUrl);
		const headers = story.api === 'v2' ? JSON_HEADERS : FORM_HEADERS;
		expect(received).toEqual(story.bodies.map((body) => ({ method: 'POST', url, headers, body })));
		expect(itemsOf(result)).toEqual(
			story.outputs.map((json, item) => ({ json, pairedItem: { item } })),
		);
	});
});

describe('References and source', () => {
	const base = POD_BASE_URLS.in;

	it('puts Ref, Ref1, Ref2 and the source from Options into extra_info and the refs into the output item', async () => {
		const workflow = withNode(loadFixture('send-text'), {
			parameters: {
				options: {
					ref: '={{ $json.orderId }}',
					ref1: '={{ $json.campaign }}',
					ref2: 'crm-42',
					waSource: 'hubspot',
				},
			},
		});
		const { received } = kaleyra(base, [accepted('wamid.1'), accepted('wamid.2')]);

		const result = await run(workflow, [
			{ ...ASHA, campaign: 'diwali' },
			{ ...BEN, campaign: 'newyear' },
		]);

		expect(received.map((r) => (r.body as IDataObject).extra_info)).toEqual([
			{ ref: 'A-1001', ref1: 'diwali', ref2: 'crm-42', wa_source: 'hubspot' },
			{ ref: 'A-1002', ref1: 'newyear', ref2: 'crm-42', wa_source: 'hubspot' },
		]);
		expect(itemsOf(result)).toEqual([
			{
				json: acceptedItem('wamid.1', TO[0], 'text', {
					ref: 'A-1001',
					ref1: 'diwali',
					ref2: 'crm-42',
				}),
				pairedItem: { item: 0 },
			},
			{
				json: acceptedItem('wamid.2', TO[1], 'text', {
					ref: 'A-1002',
					ref1: 'newyear',
					ref2: 'crm-42',
				}),
				pairedItem: { item: 1 },
			},
		]);
	});

	it('leaves extra_info out, and the output free of refs, when no option is set', async () => {
		const workflow = withNode(loadFixture('send-text'), { parameters: { options: {} } });
		const { received } = kaleyra(base, [accepted('wamid.1')]);

		const result = await run(workflow, [ASHA]);

		expect(received[0].body).toEqual(
			v2Body(TO[0], 'text', {
				text: { body: 'Hi Asha, order A-1001 shipped', preview_url: false },
			}),
		);
		expect(itemsOf(result)).toEqual([
			{ json: acceptedItem('wamid.1', TO[0], 'text'), pairedItem: { item: 0 } },
		]);
	});

	it('leaves out a reference whose expression gives an empty value for that item', async () => {
		const workflow = withNode(loadFixture('send-media-document'), {
			parameters: { options: { ref: '={{ $json.orderId }}', ref2: '={{ $json.crmId }}' } },
		});
		const { received } = kaleyra(base, [accepted('wamid.1'), accepted('wamid.2')]);

		const result = await run(workflow, [
			{ ...ASHA, crmId: 'C-9' },
			{ ...BEN, crmId: '' },
		]);

		expect(received.map((r) => (r.body as IDataObject).extra_info)).toEqual([
			{ ref: 'A-1001', ref2: 'C-9' },
			{ ref: 'A-1002' },
		]);
		expect(itemsOf(result).map((item) => item.json)).toEqual([
			acceptedItem('wamid.1', TO[0], 'document', { ref: 'A-1001', ref2: 'C-9' }),
			acceptedItem('wamid.2', TO[1], 'document', { ref: 'A-1002' }),
		]);
	});

	it('sends reply-button references as form fields ref, ref1 and ref2 (the v1 API has no source field)', async () => {
		const workflow = withNode(loadFixture('send-reply-buttons'), {
			parameters: {
				options: { ref: '={{ $json.orderId }}', ref1: 'survey', ref2: '={{ $json.name }}' },
			},
		});
		const { received } = kaleyra(base, [acceptedV1('u-1', '919811111111', 'x')]);

		const result = await run(workflow, [ASHA]);

		expect(received).toEqual([
			{
				method: 'POST',
				url: v1Url(base),
				headers: FORM_HEADERS,
				body: [
					['to', TO[0]],
					['from', BUSINESS_NUMBER],
					['channel', 'WhatsApp'],
					['type', 'reply'],
					['body', 'Hi Asha, can we deliver order A-1001 tomorrow?'],
					['action', buttonsAction(['yes-A-1001', 'Yes'], ['later', 'Later'], ['No', 'No'])],
					['footer', 'Tap a button to answer'],
					['ref', 'A-1001'],
					['ref1', 'survey'],
					['ref2', 'Asha'],
				],
			},
		]);
		expect(itemsOf(result)).toEqual([
			{
				json: acceptedV1Item('u-1:0', TO[0], { ref: 'A-1001', ref1: 'survey', ref2: 'Asha' }),
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('Reactions', () => {
	it('sends emoji given as \\uD83D\\uDC4D, \\u2764 and \\u{1F44D} escapes as the characters, and "" when Remove Reaction is on', async () => {
		const { received } = kaleyra(POD_BASE_URLS.in, [
			accepted('wamid.1'),
			accepted('wamid.2'),
			accepted('wamid.3'),
			accepted('wamid.4'),
		]);

		const result = await run('send-reaction', [
			{ from: '919811111111', messageId: 'wamid.IN-1', emoji: '\\uD83D\\uDC4D' },
			{ from: '919811111111', messageId: 'wamid.IN-2', emoji: '\\u2764' },
			{ from: '919811111111', messageId: 'wamid.IN-3', emoji: '\\u{1F44D}' },
			{ from: '919811111111', messageId: 'wamid.IN-4', emoji: '👍', remove: true },
		]);

		expect(
			received.map((r) => ((r.body as IDataObject).messaging_object as IDataObject).reaction),
		).toEqual([
			{ message_id: 'wamid.IN-1', emoji: '👍' },
			{ message_id: 'wamid.IN-2', emoji: '❤' },
			{ message_id: 'wamid.IN-3', emoji: '👍' },
			{ message_id: 'wamid.IN-4', emoji: '' },
		]);
		expect(itemsOf(result).map((item) => item.json.messageId)).toEqual([
			'wamid.1',
			'wamid.2',
			'wamid.3',
			'wamid.4',
		]);
	});

	it('accepts an escape typed straight into the Emoji field, without an expression', async () => {
		const workflow = withNode(loadFixture('send-reaction'), {
			parameters: { emoji: '\\u{1F389}' },
		});
		const { received } = kaleyra(POD_BASE_URLS.in, [accepted('wamid.1')]);

		await run(workflow, [{ from: '919811111111', messageId: 'wamid.IN-1' }]);

		expect(received.map((r) => r.body)).toEqual([
			v2Body('+919811111111', 'reaction', { reaction: { message_id: 'wamid.IN-1', emoji: '🎉' } }),
		]);
	});
});

itKeepsTheApiKeyOutOfEverythingUsersSee();

describe('Reply buttons: what the output calls the message', () => {
	const base = POD_BASE_URLS.in;

	it('says type "interactive" on a step added today (node version 1.1), as Send Interactive Buttons does, while Kaleyra still gets type=reply', async () => {
		const { received } = kaleyra(base, [
			acceptedV1('n-1', '919811111111', 'x'),
			acceptedV1('n-2', '919822222222', 'x'),
		]);

		const result = await run(withNode(loadFixture('send-reply-buttons'), { typeVersion: 1.1 }), [
			ASHA,
			BEN,
		]);

		expect(received.map((r) => (r.body as string[][]).find(([name]) => name === 'type'))).toEqual([
			['type', 'reply'],
			['type', 'reply'],
		]);
		expect(itemsOf(result)).toEqual([
			{ json: { ...acceptedV1Item('n-1:0', TO[0]), type: 'interactive' }, pairedItem: { item: 0 } },
			{ json: { ...acceptedV1Item('n-2:0', TO[1]), type: 'interactive' }, pairedItem: { item: 1 } },
		]);
	});

	it('keeps type "reply" for a workflow saved with node version 1, so a Switch on $json.type still matches', async () => {
		kaleyra(base, [acceptedV1('o-1', '919811111111', 'x')]);

		const result = await run(withNode(loadFixture('send-reply-buttons'), { typeVersion: 1 }), [
			ASHA,
		]);

		expect(itemsOf(result)).toEqual([
			{ json: acceptedV1Item('o-1:0', TO[0]), pairedItem: { item: 0 } },
		]);
	});

	it('says type "interactive" on the error output too, on version 1.1', async () => {
		kaleyra(base, [
			{ status: 400, body: { code: 'E400', message: 'Invalid to', error: { to: 'invalid' } } },
		]);

		const result = await run(
			withNode(loadFixture('send-reply-buttons'), {
				typeVersion: 1.1,
				onError: 'continueRegularOutput',
			}),
			[ASHA],
		);

		expect(itemsOf(result)[0].json).toMatchObject({ type: 'interactive', to: TO[0] });
	});
});
