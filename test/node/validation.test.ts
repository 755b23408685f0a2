/**
 * Every limit of docs/kaleyra-api.md is checked before anything is sent, and the error names the field
 * as the user sees it in the node. Each story runs two items, the first valid and the second not:
 * the run stops on item 2 and not even item 1 reaches Kaleyra.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	ASHA,
	BUSINESS_NUMBER,
	POD_BASE_URLS,
	SEND_NODE,
	accepted,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	loadFixture,
	run,
	setUpNock,
	unexpectedRequests,
	withNode,
} from './support';

setUpNock();

const PHONE_HELP =
	'is not a phone number in international format. Use + and the country code followed by the number (8 to 15 digits), e.g. +919900000000.';
const LINK_HELP = 'is not a public http(s) link. Use a full URL starting with https://.';
const SOURCES =
	'api, clevertap, zoho, webengage, shopify, leadsquared, responsys, braze, hubspot, salesforce, zapier, eloqua, moengage';

function buttons(...titles: Array<string | [title: string, id: string]>): IDataObject {
	return {
		button: titles.map((entry) =>
			typeof entry === 'string' ? { title: entry, id: '' } : { title: entry[0], id: entry[1] },
		),
	};
}

interface Limit {
	title: string;
	fixture: string;
	parameters?: IDataObject;
	/** The last item breaks the limit; the one before it, if any, is valid. */
	items: [IDataObject, IDataObject] | [IDataObject];
	message: string;
}

const limits: Limit[] = [
	{
		title: 'a text body over 4096 characters',
		fixture: 'send-text',
		parameters: { body: '={{ $json.note }}' },
		items: [
			{ ...ASHA, note: 'x'.repeat(4096) },
			{ ...ASHA, note: 'x'.repeat(4097) },
		],
		message: 'Body: WhatsApp allows at most 4096 characters; this has 4097. Shorten it.',
	},
	{
		title: 'an empty reply body',
		fixture: 'send-reply',
		parameters: { body: '={{ $json.text }}' },
		items: [
			{ from: '919811111111', messageId: 'wamid.1', text: 'Thanks!' },
			{ from: '919811111111', messageId: 'wamid.2', text: '' },
		],
		message: 'Body: it is empty. Enter the message text.',
	},
	{
		title: 'a reply without the message to quote',
		fixture: 'send-reply',
		items: [
			{ from: '919811111111', messageId: 'wamid.1', name: 'Asha', orderId: 'A-1' },
			{ from: '919811111111', messageId: '', name: 'Ben', orderId: 'A-2' },
		],
		message:
			'Reply To Message ID: it is empty. Map the ID of the WhatsApp message (it starts with wamid.).',
	},
	{
		title: 'a Link Preview expression that gives neither true nor false',
		fixture: 'send-text',
		parameters: { previewUrl: '={{ $json.preview }}' },
		items: [
			{ ...ASHA, preview: 'true' },
			{ ...ASHA, preview: 'maybe' },
		],
		message: 'Link Preview: expected true or false, got "maybe".',
	},
	{
		title: 'a recipient that is not a phone number',
		fixture: 'send-text',
		items: [ASHA, { ...ASHA, phone: '12345' }],
		message: `Recipient: "12345" ${PHONE_HELP}`,
	},
	{
		title: 'an empty recipient',
		fixture: 'send-media-document',
		items: [ASHA, { ...ASHA, phone: '' }],
		message:
			'Recipient: it is empty. Enter a WhatsApp number in international format, e.g. +919900000000.',
	},
	{
		title: 'a business number that is not a phone number',
		fixture: 'send-text',
		parameters: { businessNumber: '={{ $json.sender }}' },
		items: [
			{ ...ASHA, sender: BUSINESS_NUMBER },
			{ ...ASHA, sender: 'Shop' },
		],
		message: `Business Number: "Shop" ${PHONE_HELP}`,
	},
	{
		title: 'a media link with ftp://',
		fixture: 'send-media-image-link',
		parameters: { mediaLink: '={{ $json.url }}' },
		items: [
			{ ...ASHA, url: 'https://cdn.example.com/a.jpg' },
			{ ...ASHA, url: 'ftp://files.example.com/a.jpg' },
		],
		message: `Media Link: "ftp://files.example.com/a.jpg" ${LINK_HELP}`,
	},
	{
		title: 'a media link without http(s)://',
		fixture: 'send-media-audio',
		items: [
			{ phone: ASHA.phone, voiceNote: 'https://cdn.example.com/v.ogg' },
			{ phone: ASHA.phone, voiceNote: 'cdn.example.com/v.ogg' },
		],
		message: `Media Link: "cdn.example.com/v.ogg" ${LINK_HELP}`,
	},
	{
		title: 'no media link (a media message needs a link or an ID)',
		fixture: 'send-media-audio',
		items: [
			{ phone: ASHA.phone, voiceNote: 'https://cdn.example.com/v.ogg' },
			{ phone: ASHA.phone },
		],
		message: 'Media Link: it is empty. Enter the public http(s) link of the audio.',
	},
	{
		title: 'no media ID (a media message needs a link or an ID)',
		fixture: 'send-media-video-id',
		items: [
			{ phone: ASHA.phone, videoId: '1029384756' },
			{ phone: ASHA.phone, videoId: '  ' },
		],
		message: 'Media ID: it is empty. Enter the ID of the uploaded video.',
	},
	{
		title: 'a caption on an audio message (the type chosen by expression)',
		fixture: 'send-media-audio',
		parameters: { mediaType: '={{ $json.kind }}', caption: '={{ $json.caption }}' },
		items: [
			{ phone: ASHA.phone, kind: 'audio', voiceNote: 'https://cdn.example.com/v.ogg' },
			{
				phone: ASHA.phone,
				kind: 'audio',
				voiceNote: 'https://cdn.example.com/v.ogg',
				caption: 'Listen!',
			},
		],
		message:
			'Caption: WhatsApp shows no caption on audio messages. Clear the field, or send the text as a separate message.',
	},
	{
		title: 'a caption on a sticker',
		fixture: 'send-media-sticker',
		parameters: { mediaType: '={{ $json.kind }}', caption: '={{ $json.caption }}' },
		items: [
			{ phone: ASHA.phone, kind: 'image', stickerId: 'st-1', caption: 'Thanks' },
			{ phone: ASHA.phone, kind: 'sticker', stickerId: 'st-1', caption: 'Thanks' },
		],
		message:
			'Caption: WhatsApp shows no caption on sticker messages. Clear the field, or send the text as a separate message.',
	},
	{
		title: 'an image caption over 1024 characters',
		fixture: 'send-media-image-link',
		parameters: { caption: '={{ $json.caption }}' },
		items: [
			{ ...ASHA, sku: 'A', caption: 'c'.repeat(1024) },
			{ ...ASHA, sku: 'A', caption: 'c'.repeat(1025) },
		],
		message: 'Caption: at most 1024 characters are allowed; this has 1025. Shorten it.',
	},
	{
		title: 'two emoji in one reaction',
		fixture: 'send-reaction',
		items: [
			{ from: '919811111111', messageId: 'wamid.1', emoji: '🎉' },
			{ from: '919811111111', messageId: 'wamid.2', emoji: '👍👍' },
		],
		message:
			'Emoji: "👍👍" is not a single emoji. Enter exactly one emoji such as 👍, or an escape such as \\u2764; to remove a reaction, turn on Remove Reaction.',
	},
	{
		title: 'a word instead of an emoji',
		fixture: 'send-reaction',
		items: [
			{ from: '919811111111', messageId: 'wamid.1', emoji: '👍🏽' },
			{ from: '919811111111', messageId: 'wamid.2', emoji: 'ok' },
		],
		message:
			'Emoji: "ok" is not a single emoji. Enter exactly one emoji such as 👍, or an escape such as \\u2764; to remove a reaction, turn on Remove Reaction.',
	},
	{
		title: 'a reference over 255 characters',
		fixture: 'send-text',
		parameters: { options: { ref: '={{ $json.ref }}' } },
		items: [
			{ ...ASHA, ref: 'r'.repeat(255) },
			{ ...ASHA, ref: 'r'.repeat(256) },
		],
		message:
			'Options → Reference (Ref): at most 255 characters are allowed; this has 256. Kaleyra would cut the rest silently, so status callbacks would no longer match.',
	},
	{
		title: 'a reply-button Ref2 over 255 characters',
		fixture: 'send-reply-buttons',
		parameters: { options: { ref2: '={{ $json.ref }}' } },
		items: [
			{ ...ASHA, ref: 'r' },
			{ ...ASHA, ref: 'r'.repeat(300) },
		],
		message:
			'Options → Reference 2 (Ref2): at most 255 characters are allowed; this has 300. Kaleyra would cut the rest silently, so status callbacks would no longer match.',
	},
	{
		title: 'a source Kaleyra does not know',
		fixture: 'send-text',
		parameters: { options: { waSource: '={{ $json.source }}' } },
		items: [
			{ ...ASHA, source: 'zoho' },
			{ ...ASHA, source: 'facebook' },
		],
		message: `Options → Source (Wa_source): "facebook" is not one of this field's choices. Use one of: ${SOURCES}.`,
	},
	{
		title: 'all reply buttons removed',
		fixture: 'send-reply-buttons',
		parameters: { buttons: {} },
		items: [ASHA],
		message: 'Buttons: WhatsApp allows 1 to 3 reply buttons; this message has 0. Add buttons.',
	},
	{
		title: 'two buttons with the same title',
		fixture: 'send-reply-buttons',
		parameters: { buttons: buttons('Yes', '={{ $json.second }}') },
		items: [
			{ ...ASHA, second: 'No' },
			{ ...ASHA, second: 'yes' },
		],
		message:
			'Button 2 → Title: "yes" is also the title of button 1. WhatsApp needs different titles.',
	},
	{
		title: 'a button title over 20 characters',
		fixture: 'send-reply-buttons',
		parameters: { buttons: buttons('Yes', 'No', '={{ $json.third }}') },
		items: [
			{ ...ASHA, third: 'Call me back instead' },
			{ ...ASHA, third: 'Call me back tomorrow' },
		],
		message: 'Button 3 → Title: WhatsApp allows at most 20 characters; this has 21. Shorten it.',
	},
	{
		title: 'two buttons with the same ID',
		fixture: 'send-reply-buttons',
		parameters: { buttons: buttons(['Yes', 'answer'], ['No', '={{ $json.id }}']) },
		items: [
			{ ...ASHA, id: 'no' },
			{ ...ASHA, id: 'answer' },
		],
		message: 'Button 2 → ID: "answer" is also the ID of button 1. Give each button its own ID.',
	},
	{
		title: 'a reply-button body over 1024 characters',
		fixture: 'send-reply-buttons',
		parameters: { body: '={{ $json.question }}' },
		items: [
			{ ...ASHA, question: 'q'.repeat(1024) },
			{ ...ASHA, question: 'q'.repeat(1025) },
		],
		message: 'Body: WhatsApp allows at most 1024 characters; this has 1025. Shorten it.',
	},
	{
		title: 'a footer over 60 characters',
		fixture: 'send-reply-buttons',
		parameters: { footer: '={{ $json.footer }}' },
		items: [
			{ ...ASHA, footer: 'f'.repeat(60) },
			{ ...ASHA, footer: 'f'.repeat(61) },
		],
		message: 'Footer: at most 60 characters are allowed; this has 61. Shorten it.',
	},
	{
		title: 'a header text over 60 characters',
		fixture: 'send-reply-buttons-text-header',
		parameters: { headerText: '={{ $json.header }}' },
		items: [
			{ ...ASHA, header: 'h'.repeat(60) },
			{ ...ASHA, header: 'h'.repeat(61) },
		],
		message: 'Header Text: WhatsApp allows at most 60 characters; this has 61. Shorten it.',
	},
	{
		title: 'a header image that is not an http(s) link',
		fixture: 'send-reply-buttons-image-header',
		parameters: { headerMediaLink: '={{ $json.image }}' },
		items: [
			{ ...ASHA, product: 'mug', image: 'https://cdn.example.com/mug.png' },
			{ ...ASHA, product: 'mug', image: 'file:///tmp/mug.png' },
		],
		message: `Header Media Link: "file:///tmp/mug.png" ${LINK_HELP}`,
	},
	{
		title: 'a callback URL that is not http(s)',
		fixture: 'send-reply-buttons-callback',
		parameters: { callbackUrl: '={{ $json.callback }}' },
		items: [
			{ ...ASHA, callback: 'http://n8n.internal:5678/webhook/status' },
			{ ...ASHA, callback: 'ftp://hooks.example.com/status' },
		],
		message: `Callback URL: "ftp://hooks.example.com/status" ${LINK_HELP}`,
	},
];

describe('A field over a WhatsApp limit stops the run before anything is sent', () => {
	it.each(limits)(
		'$title: the error names the field, and nothing is sent, not even a valid item before it',
		async (limit) => {
			const workflow = withNode(loadFixture(limit.fixture), { parameters: limit.parameters });
			const failing = limit.items.length - 1;

			const result = await run(workflow, limit.items);

			expect(unexpectedRequests).toEqual([]);
			expect(result.error).toMatchObject({
				name: 'NodeOperationError',
				context: { itemIndex: failing },
			});
			expect({ message: result.error?.message, description: result.error?.description }).toEqual({
				message: limit.message,
				description: `Nothing was sent for item ${failing}.`,
			});
			expect(result.output(SEND_NODE)).toEqual([]);
		},
	);
});

describe('Validation across items', () => {
	const base = POD_BASE_URLS.in;
	const customers = [
		{ phone: '+919811111111', name: 'Asha', orderId: 'A-1' },
		{ phone: '12345', name: 'Ben', orderId: 'A-2' },
		{ phone: '+919833333333', name: 'Chen', orderId: 'A-3' },
	];
	const recipientError = `Recipient: "12345" ${PHONE_HELP}`;

	it('lists every other problem of the item in the description', async () => {
		const workflow = withNode(loadFixture('send-reply-buttons'), {
			parameters: { footer: '={{ $json.footer }}', buttons: buttons('Same', 'same') },
		});

		const result = await run(workflow, [{ ...customers[1], footer: 'f'.repeat(61) }]);

		expect(unexpectedRequests).toEqual([]);
		expect(result.error?.message).toBe(recipientError);
		expect(result.error?.description).toBe(
			'Nothing was sent for item 0. Also: Footer: at most 60 characters are allowed; this has 61. Shorten it. ' +
				'Button 2 → Title: "same" is also the title of button 1. WhatsApp needs different titles.',
		);
	});

	it('every invalid button is reported at once (a long title and a repeated one)', async () => {
		const workflow = withNode(loadFixture('send-reply-buttons'), {
			parameters: { buttons: buttons('Yes', 'A title well over twenty', 'yes') },
		});

		const result = await run(workflow, [customers[0]]);

		expect(unexpectedRequests).toEqual([]);
		expect(result.error?.message).toBe(
			'Button 2 → Title: WhatsApp allows at most 20 characters; this has 24. Shorten it.',
		);
		expect(result.error?.description).toBe(
			'Nothing was sent for item 0. Also: Button 3 → Title: "yes" is also the title of button 1. WhatsApp needs different titles.',
		);
	});

	it.each(['send-reply-buttons', 'send-interactive-buttons'])(
		'%s: a 4th button is refused by n8n itself (Buttons offers at most 3), and nothing is sent',
		async (fixture) => {
			const workflow = withNode(loadFixture(fixture), {
				parameters: { buttons: buttons('Yes', 'No', 'Later', 'Never') },
			});

			await expect(run(workflow, [customers[0]])).rejects.toThrow('At most 3 fields are allowed.');
			expect(unexpectedRequests).toEqual([]);
		},
	);

	it('with On Error "Continue", sends the valid items and puts the invalid one in its place as an error item', async () => {
		const workflow = withNode(loadFixture('send-text'), { onError: 'continueRegularOutput' });
		const { received } = kaleyra(base, [accepted('wamid.1'), accepted('wamid.3')]);

		const result = await run(workflow, customers);

		expect(result.error).toBeUndefined();
		expect(
			received.map((r) => ((r.body as IDataObject).messaging_object as IDataObject).to),
		).toEqual(['+919811111111', '+919833333333']);
		const sent = {
			type: 'text',
			status: 'accepted',
			code: 'WA202',
			httpStatus: 202,
			ref1: 'order-shipped',
		};
		expect(itemsOf(result)).toEqual([
			{
				json: { messageId: 'wamid.1', to: '+919811111111', ...sent, ref: 'A-1' },
				pairedItem: { item: 0 },
			},
			{
				json: {
					error: recipientError,
					description: 'Nothing was sent for item 1.',
					code: 'INVALID_INPUT',
					field: 'Recipient',
					httpStatus: null,
					retryable: false,
					maybeSent: false,
				},
				pairedItem: { item: 1 },
			},
			{
				json: { messageId: 'wamid.3', to: '+919833333333', ...sent, ref: 'A-3' },
				pairedItem: { item: 2 },
			},
		]);
	});

	it('with On Error "Continue (using error output)", sends the valid items and routes the invalid one, with its input data, to the error output', async () => {
		const workflow = withNode(loadFixture('send-text'), { onError: 'continueErrorOutput' });
		const { received } = kaleyra(base, [accepted('wamid.1'), accepted('wamid.3')]);

		const result = await run(workflow, customers);

		expect(result.error).toBeUndefined();
		expect(received).toHaveLength(2);
		expect(itemsOf(result, 0).map(({ json, pairedItem }) => [json.messageId, pairedItem])).toEqual([
			['wamid.1', { item: 0 }],
			['wamid.3', { item: 2 }],
		]);
		expect(itemsOf(result, 1)).toEqual([
			{
				json: {
					...customers[1],
					error: {
						message: recipientError,
						description: 'Nothing was sent for item 1.',
						code: 'INVALID_INPUT',
						field: 'Recipient',
						httpStatus: null,
						retryable: false,
						maybeSent: false,
					},
				},
				pairedItem: { item: 1 },
			},
		]);
	});
});

itKeepsTheApiKeyOutOfEverythingUsersSee();
