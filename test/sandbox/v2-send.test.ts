import { createHash } from 'node:crypto';
import {
	ACCOUNT,
	BUSINESS_NUMBER,
	CUSTOMER,
	OTHER_ACCOUNT,
	WAMID,
	multipart,
	useSandbox,
} from './support';

const api = useSandbox();

const extraInfo = { ref: 'customer1', ref1: 'marketing', ref2: 'dictionary', wa_source: 'api' };

/** The seeds' sample bodies, with the X-ed numbers made real and the text seed's "false" a boolean. */
const seeds = {
	text: {
		messaging_object: {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: CUSTOMER,
			type: 'text',
			text: { preview_url: false, body: 'This is the sample message' },
		},
		extra_info: extraInfo,
	},
	replyToMessage: {
		messaging_object: {
			messaging_product: 'whatsapp',
			context: { message_id: 'wamid.XXXXX...' },
			to: '+16505551234',
			type: 'text',
			text: {
				preview_url: false,
				body: 'Thanks for your order! Tell us what address you’d like this order delivered to.',
			},
		},
		extra_info: extraInfo,
	},
	// The seed writes the emoji as the escape "\uD83D\uDE00"; JSON.parse turns it into 😀.
	reaction: JSON.parse(`{
		"messaging_object": {
			"messaging_product": "whatsapp",
			"recipient_type": "individual",
			"to": "${CUSTOMER}",
			"type": "reaction",
			"reaction": { "message_id": "wamid.HBgLMxxx", "emoji": "\\uD83D\\uDE00" }
		},
		"extra_info": { "ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api" }
	}`),
	// The media seed shows id and link together with "only if" comments: one sample each.
	mediaById: {
		messaging_object: {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: CUSTOMER,
			type: 'image',
			image: { id: '1012345678901291' },
		},
		extra_info: extraInfo,
	},
	mediaByLink: {
		messaging_object: {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: CUSTOMER,
			type: 'image',
			image: { link: 'https://www.kaleyra.com/wp-content/uploads/kaleyra.png' },
		},
		extra_info: extraInfo,
	},
};

/** A valid text body with `change` applied to its messaging_object. */
function textWith(change: (message: any) => void) {
	const body = structuredClone(seeds.text) as any;
	change(body.messaging_object);
	return body;
}

const accepted = (messageId: unknown) => ({
	code: 'WA202',
	message: 'Request Accepted',
	data: { message_id: messageId },
	error: {},
});
const wa400 = (error: Record<string, string>) => ({
	code: 'WA400',
	message: 'Refer to correct payload format',
	data: {},
	error,
});
const RBC001 = {
	code: 'RBC001',
	message: 'Incorrect SID or API key.',
	data: [],
	error: { error: 'Incorrect SID or API key.' },
};
const WA401 = {
	code: 'WA401',
	message: 'Phone number is not present or does not belong to the account.',
	data: {},
	error: { phone_number: 'Phone number is not present or does not belong to the account.' },
};

describe('v2 send: the seeds’ samples are accepted and recorded', () => {
	it.each([
		['text', seeds.text, 'text', CUSTOMER],
		['reply to a message', seeds.replyToMessage, 'text', '+16505551234'],
		['reaction', seeds.reaction, 'reaction', CUSTOMER],
		['image by uploaded media id', seeds.mediaById, 'image', CUSTOMER],
		['image by public link', seeds.mediaByLink, 'image', CUSTOMER],
	])('%s: 202 WA202 with a wamid, and the exact record', async (_name, body, type, to) => {
		const reply = await api.sendV2(body);

		expect(reply.status).toBe(202);
		expect(reply.json).toEqual(accepted(expect.stringMatching(WAMID)));
		expect(api.sandbox.messages).toEqual([
			{
				messageId: reply.json.data.message_id,
				api: 'v2',
				sid: ACCOUNT.sid,
				businessNumber: BUSINESS_NUMBER,
				to,
				type,
				payload: body,
				receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			},
		]);
	});

	it('keeps the reaction emoji as the character the escape stands for', async () => {
		await api.sendV2(seeds.reaction);
		expect(api.sandbox.messages[0].payload.messaging_object.reaction.emoji).toBe('😀');
	});

	it.each([
		['with +', '+919900000001', '+919900000001'],
		['without +', '919900000001', '+919900000001'],
		['URL-encoded %2B', '%2B919900000002', '+919900000002'],
	])('takes the business number in the path %s', async (_name, number, recorded) => {
		const reply = await api.sendV2(seeds.text, { number });
		expect(reply.status).toBe(202);
		expect(api.sandbox.messages[0].businessNumber).toBe(recorded);
	});

	it('gives every accepted message its own id and keeps them in order', async () => {
		const first = await api.sendV2(seeds.text);
		const second = await api.sendV2(seeds.reaction);
		expect(first.json.data.message_id).not.toBe(second.json.data.message_id);
		expect(api.sandbox.messages.map((message) => message.messageId)).toEqual([
			first.json.data.message_id,
			second.json.data.message_id,
		]);
	});

	it('accepts a comma-separated list of E.164 recipients', async () => {
		const reply = await api.sendV2(
			textWith((message) => (message.to = '+919812345678,+14155550123')),
		);
		expect(reply.status).toBe(202);
		expect(api.sandbox.messages[0].to).toBe('+919812345678,+14155550123');
	});

	it('accepts a body without extra_info, and a type omitted as text', async () => {
		const reply = await api.sendV2({
			messaging_object: {
				messaging_product: 'whatsapp',
				to: CUSTOMER,
				text: { body: 'no type given' },
			},
		});
		expect(reply.status).toBe(202);
		expect(api.sandbox.messages[0].type).toBe('text');
	});

	it('cuts ref, ref1 and ref2 beyond 255 characters in the record, as Kaleyra does silently', async () => {
		const long = 'r'.repeat(300);
		const body = {
			...seeds.text,
			extra_info: { ref: long, ref1: 'short', ref2: long, wa_source: 'api' },
		};
		const reply = await api.sendV2(body);
		expect(reply.status).toBe(202);
		expect(api.sandbox.messages[0].payload.extra_info).toEqual({
			ref: 'r'.repeat(255),
			ref1: 'short',
			ref2: 'r'.repeat(255),
			wa_source: 'api',
		});
	});

	it.each([
		[
			'an interactive reply-button message with an image header',
			{
				type: 'interactive',
				interactive: {
					type: 'button',
					header: { type: 'image', image: { link: 'https://example.com/logo.png' } },
					body: { text: 'Did it arrive?' },
					footer: { text: 'Order 123' },
					action: {
						buttons: [
							{ type: 'reply', reply: { id: 'yes', title: 'Yes' } },
							{ type: 'reply', reply: { id: 'no', title: 'No' } },
							{ type: 'reply', reply: { id: 'later', title: 'Ask me later' } },
						],
					},
				},
			},
		],
		[
			'an interactive list',
			{
				type: 'interactive',
				interactive: {
					type: 'list',
					body: { text: 'Pick a slot' },
					action: {
						button: 'Slots',
						sections: [{ rows: [{ id: 'am', title: 'Morning', description: '9 to 12' }] }],
					},
				},
			},
		],
		[
			'a template',
			{
				type: 'template',
				template: {
					name: 'appointment_reminder',
					language: { code: 'en_US' },
					components: [
						{
							type: 'body',
							parameters: [
								{ type: 'text', parameter_name: 'customer_name', text: 'Asha' },
								{ type: 'text', parameter_name: 'appointment_date', text: '3 December, 10:00' },
							],
						},
					],
				},
			},
		],
		[
			'a call-to-action URL button',
			{
				type: 'interactive',
				interactive: {
					type: 'cta_url',
					header: { type: 'document', document: { id: '4455' } },
					body: { text: 'Your order shipped' },
					action: {
						name: 'cta_url',
						parameters: { display_text: 'Track order', url: 'https://shop.example.com/t/1' },
					},
				},
			},
		],
		[
			'a location request',
			{
				type: 'interactive',
				interactive: {
					type: 'location_request_message',
					body: { text: 'Where should we deliver?' },
					action: { name: 'send_location' },
				},
			},
		],
		[
			'a location',
			{ type: 'location', location: { latitude: 12.97, longitude: 77.59, name: 'Office' } },
		],
		[
			'contacts',
			{
				type: 'contacts',
				contacts: [{ name: { formatted_name: 'Asha Rao' }, phones: [{ phone: '+919800000000' }] }],
			},
		],
		[
			'a document with caption and filename',
			{
				type: 'document',
				document: {
					link: 'https://example.com/invoice.pdf',
					caption: 'Your invoice',
					filename: 'invoice.pdf',
				},
			},
		],
		['an audio by id', { type: 'audio', audio: { id: '998877' } }],
	])('accepts %s', async (_name, content) => {
		const reply = await api.sendV2({
			messaging_object: {
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: CUSTOMER,
				...content,
			},
		});
		expect(reply.json).toEqual(accepted(expect.stringMatching(WAMID)));
		expect(api.sandbox.messages[0].type).toBe(content.type);
	});

	it('accepts a mark-as-read request, recorded with type "read" and no recipient', async () => {
		const reply = await api.sendV2({
			messaging_object: {
				messaging_product: 'whatsapp',
				status: 'read',
				message_id: 'wamid.incoming',
			},
		});
		expect(reply.status).toBe(202);
		expect(api.sandbox.messages[0]).toMatchObject({ type: 'read', to: null });
	});

	it('accepts a mark-as-read request with a typing indicator', async () => {
		const reply = await api.sendV2({
			messaging_object: {
				messaging_product: 'whatsapp',
				status: 'read',
				message_id: 'wamid.incoming',
				typing_indicator: { type: 'text' },
			},
		});
		expect(reply.status).toBe(202);
		expect(api.sandbox.messages[0].payload.messaging_object.typing_indicator).toEqual({
			type: 'text',
		});
	});

	it('rejects a typing indicator other than { type: "text" }', async () => {
		const reply = await api.sendV2({
			messaging_object: {
				messaging_product: 'whatsapp',
				status: 'read',
				message_id: 'wamid.incoming',
				typing_indicator: true,
			},
		});
		expect(reply.status).toBe(400);
		expect(reply.json.error).toEqual({
			'messaging_object.typing_indicator': 'must be { "type": "text" }',
		});
	});
});

describe('v2 send: authentication and the business number', () => {
	it.each([
		['a wrong API key', { apiKey: 'not-the-key' }],
		['another account’s API key', { apiKey: OTHER_ACCOUNT.apiKey }],
		['an unknown SID', { sid: 'HXUNKNOWN' }],
	])('answers 401 RBC001 to %s', async (_name, options) => {
		const reply = await api.sendV2(seeds.text, options);
		expect(reply.status).toBe(401);
		expect(reply.json).toEqual(RBC001);
		expect(api.sandbox.messages).toEqual([]);
	});

	it('answers 401 RBC001 when the api-key header is missing', async () => {
		const reply = await api.call(`/v2/${ACCOUNT.sid}/whatsapp/${BUSINESS_NUMBER}/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(seeds.text),
		});
		expect(reply.status).toBe(401);
		expect(reply.json).toEqual(RBC001);
	});

	it('answers 401 WA401 for a number of another account, and for no number of any account', async () => {
		for (const number of [OTHER_ACCOUNT.numbers[0], '+919999999999']) {
			const reply = await api.sendV2(seeds.text, { number });
			expect(reply.status).toBe(401);
			expect(reply.json).toEqual(WA401);
		}
		expect(api.sandbox.messages).toEqual([]);
	});

	it('checks the key before the number, and the number before the payload', async () => {
		const wrongKeyAndNumber = await api.sendV2('{not json', {
			apiKey: 'wrong',
			number: '+14155550100',
		});
		expect(wrongKeyAndNumber.json.code).toBe('RBC001');
		const wrongNumberAndPayload = await api.sendV2('{not json', { number: '+14155550100' });
		expect(wrongNumberAndPayload.json.code).toBe('WA401');
	});
});

describe('v2 send: payloads Kaleyra rejects with 400 WA400 naming the field', () => {
	it('rejects malformed JSON', async () => {
		const reply = await api.sendV2('{"messaging_object": {');
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual(wa400({ payload: 'Incorrect payload format' }));
	});

	it('rejects a JSON body that is not an object', async () => {
		const reply = await api.sendV2('[1, 2]');
		expect(reply.json).toEqual(wa400({ payload: 'Incorrect payload format' }));
	});

	it('rejects a body that is not sent as application/json', async () => {
		const reply = await api.call(`/v2/${ACCOUNT.sid}/whatsapp/${BUSINESS_NUMBER}/messages`, {
			method: 'POST',
			headers: { 'content-type': 'text/plain', 'api-key': ACCOUNT.apiKey },
			body: JSON.stringify(seeds.text),
		});
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual(wa400({ 'content-type': 'must be application/json' }));
	});

	const M = 'messaging_object';
	const buttons = (...titles: string[]) =>
		titles.map((title, index) => ({ type: 'reply', reply: { id: `b${index}`, title } }));
	const buttonMessage = (interactive: any) => (message: any) => {
		message.type = 'interactive';
		delete message.text;
		message.interactive = {
			type: 'button',
			body: { text: 'Choose' },
			action: { buttons: buttons('Yes', 'No') },
			...interactive,
		};
	};
	const media = (type: string, object: any) => (message: any) => {
		message.type = type;
		delete message.text;
		message[type] = object;
	};
	const reaction = (emoji: unknown) => (message: any) => {
		message.type = 'reaction';
		delete message.text;
		message.reaction = { message_id: 'wamid.HBgLMxxx', emoji };
	};

	it.each<[string, (message: any) => void, Record<string, string>]>([
		[
			'messaging_product other than whatsapp',
			(m) => (m.messaging_product = 'WhatsApp'),
			{ [`${M}.messaging_product`]: 'must be "whatsapp"' },
		],
		[
			'recipient_type other than individual',
			(m) => (m.recipient_type = 'group'),
			{ [`${M}.recipient_type`]: 'must be "individual"' },
		],
		[
			'a recipient without +',
			(m) => (m.to = '919812345678'),
			{
				[`${M}.to`]:
					'must be E.164 numbers (+ and 8 to 15 digits), comma-separated for several; invalid: "919812345678"',
			},
		],
		[
			'a recipient list with a bad number',
			(m) => (m.to = '+919812345678,+12'),
			{
				[`${M}.to`]:
					'must be E.164 numbers (+ and 8 to 15 digits), comma-separated for several; invalid: "+12"',
			},
		],
		['no recipient', (m) => delete m.to, { [`${M}.to`]: 'is required' }],
		[
			'an unknown type',
			(m) => (m.type = 'poll'),
			{
				[`${M}.type`]:
					'must be one of text, image, video, audio, document, sticker, reaction, interactive, template, location, contacts',
			},
		],
		['a type without its object', (m) => delete m.text, { [`${M}.text`]: 'is required' }],
		['an empty text body', (m) => (m.text.body = ''), { [`${M}.text.body`]: 'must not be empty' }],
		[
			'a text body over 4096 characters',
			(m) => (m.text.body = 'x'.repeat(4097)),
			{
				[`${M}.text.body`]: 'must be at most 4096 characters (got 4097)',
			},
		],
		[
			'preview_url as the string "false" (as one seed sample sends it)',
			(m) => (m.text.preview_url = 'false'),
			{
				[`${M}.text.preview_url`]: 'must be a boolean',
			},
		],
		[
			'a context without message_id',
			(m) => (m.context = {}),
			{ [`${M}.context.message_id`]: 'is required' },
		],
		[
			'a context with an empty message_id',
			(m) => (m.context = { message_id: '' }),
			{
				[`${M}.context.message_id`]: 'must not be empty',
			},
		],
		[
			'a reaction without message_id',
			(m) => {
				reaction('👍')(m);
				delete m.reaction.message_id;
			},
			{
				[`${M}.reaction.message_id`]: 'is required',
			},
		],
		[
			'a reaction of two emoji',
			reaction('😀😀'),
			{
				[`${M}.reaction.emoji`]: 'must be exactly one emoji (or empty to remove a reaction)',
			},
		],
		[
			'a reaction of a letter',
			reaction('a'),
			{
				[`${M}.reaction.emoji`]: 'must be exactly one emoji (or empty to remove a reaction)',
			},
		],
		[
			'a reaction emoji that is not a string',
			reaction(128512),
			{ [`${M}.reaction.emoji`]: 'must be a string' },
		],
		[
			'media with both id and link',
			media('image', { id: '1', link: 'https://example.com/a.png' }),
			{
				[`${M}.image`]: 'exactly one of id or link is required',
			},
		],
		[
			'media with neither id nor link',
			media('video', { caption: 'hi' }),
			{
				[`${M}.video`]: 'exactly one of id or link is required',
			},
		],
		[
			'a media link that is not http(s)',
			media('image', { link: 'ftp://example.com/a.png' }),
			{
				[`${M}.image.link`]: 'must be an http or https URL',
			},
		],
		[
			'a caption on audio',
			media('audio', { id: '1', caption: 'no' }),
			{ [`${M}.audio.caption`]: 'is not allowed for audio' },
		],
		[
			'a caption on a sticker',
			media('sticker', { id: '1', caption: 'no' }),
			{
				[`${M}.sticker.caption`]: 'is not allowed for sticker',
			},
		],
		[
			'a caption over 1024 characters',
			media('image', { id: '1', caption: 'c'.repeat(1025) }),
			{
				[`${M}.image.caption`]: 'must be at most 1024 characters (got 1025)',
			},
		],
		[
			'a filename on an image',
			media('image', { id: '1', filename: 'a.png' }),
			{
				[`${M}.image.filename`]: 'is only allowed for document, not image',
			},
		],
		[
			'four reply buttons',
			buttonMessage({ action: { buttons: buttons('A', 'B', 'C', 'D') } }),
			{
				[`${M}.interactive.action.buttons`]: 'must hold 1 to 3 buttons (got 4)',
			},
		],
		[
			'no reply buttons',
			buttonMessage({ action: { buttons: [] } }),
			{
				[`${M}.interactive.action.buttons`]: 'must hold 1 to 3 buttons (got 0)',
			},
		],
		[
			'a button title over 20 characters',
			buttonMessage({ action: { buttons: buttons('Yes', 'This title is far too long') } }),
			{
				[`${M}.interactive.action.buttons[1].reply.title`]:
					'must be at most 20 characters (got 26)',
			},
		],
		[
			'duplicate button titles',
			buttonMessage({ action: { buttons: buttons('Yes', 'Yes') } }),
			{
				[`${M}.interactive.action.buttons[1].reply.title`]: 'must be unique ("Yes" is used twice)',
			},
		],
		[
			'duplicate button ids',
			buttonMessage({
				action: {
					buttons: [
						{ type: 'reply', reply: { id: 'x', title: 'A' } },
						{ type: 'reply', reply: { id: 'x', title: 'B' } },
					],
				},
			}),
			{ [`${M}.interactive.action.buttons[1].reply.id`]: 'must be unique ("x" is used twice)' },
		],
		[
			'a button id over 256 characters',
			buttonMessage({
				action: { buttons: [{ type: 'reply', reply: { id: 'i'.repeat(257), title: 'A' } }] },
			}),
			{
				[`${M}.interactive.action.buttons[0].reply.id`]: 'must be at most 256 characters (got 257)',
			},
		],
		[
			'a button of type url',
			buttonMessage({ action: { buttons: [{ type: 'url', reply: { id: 'a', title: 'A' } }] } }),
			{
				[`${M}.interactive.action.buttons[0].type`]: 'must be "reply"',
			},
		],
		[
			'an interactive body over 1024 characters',
			buttonMessage({ body: { text: 'b'.repeat(1025) } }),
			{
				[`${M}.interactive.body.text`]: 'must be at most 1024 characters (got 1025)',
			},
		],
		[
			'an interactive footer over 60 characters',
			buttonMessage({ footer: { text: 'f'.repeat(61) } }),
			{
				[`${M}.interactive.footer.text`]: 'must be at most 60 characters (got 61)',
			},
		],
		[
			'a header given as a string (as one Kaleyra sample shows)',
			buttonMessage({ header: 'Hello' }),
			{
				[`${M}.interactive.header`]: 'must be an object',
			},
		],
		[
			'a text header over 60 characters',
			buttonMessage({ header: { type: 'text', text: 'h'.repeat(61) } }),
			{
				[`${M}.interactive.header.text`]: 'must be at most 60 characters (got 61)',
			},
		],
		[
			'a document header with neither id nor link',
			buttonMessage({ header: { type: 'document', document: {} } }),
			{
				[`${M}.interactive.header.document`]: 'exactly one of id or link is required',
			},
		],
		[
			'an audio header',
			buttonMessage({ header: { type: 'audio', audio: { id: '1' } } }),
			{
				[`${M}.interactive.header.type`]: 'must be one of text, image, video, document',
			},
		],
		[
			'an unknown interactive type',
			buttonMessage({ type: 'carousel' }),
			{
				[`${M}.interactive.type`]:
					'must be one of button, list, cta_url, location_request_message, flow',
			},
		],
		[
			'a CTA URL button with a long label and no URL',
			buttonMessage({
				type: 'cta_url',
				action: { name: 'cta_url', parameters: { display_text: 'x'.repeat(21), url: 'shop' } },
			}),
			{
				[`${M}.interactive.action.parameters.display_text`]:
					'must be at most 20 characters (got 21)',
				[`${M}.interactive.action.parameters.url`]: 'must be an http or https URL',
			},
		],
		[
			'a location request with a header and another action',
			buttonMessage({
				type: 'location_request_message',
				header: { type: 'text', text: 'Hi' },
				action: { name: 'location' },
			}),
			{
				[`${M}.interactive.header`]: 'is not allowed for location_request_message',
				[`${M}.interactive.action.name`]: 'must be "send_location"',
			},
		],
		[
			'a list with 11 rows over two sections',
			buttonMessage({
				type: 'list',
				action: {
					button: 'Pick',
					sections: [
						{
							title: 'A',
							rows: Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, title: 'Row' })),
						},
						{
							title: 'B',
							rows: Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, title: 'Row' })),
						},
					],
				},
			}),
			{ [`${M}.interactive.action.sections`]: 'must hold at most 10 rows in total (got 11)' },
		],
		[
			'258 contacts',
			(m) => {
				m.type = 'contacts';
				delete m.text;
				m.contacts = Array.from({ length: 258 }, () => ({ name: { formatted_name: 'A' } }));
			},
			{ [`${M}.contacts`]: 'must hold at most 257 contacts (got 258)' },
		],
	])('rejects %s', async (_name, change, error) => {
		const reply = await api.sendV2(textWith(change));
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual(wa400(error));
		expect(api.sandbox.messages).toEqual([]);
	});

	it('rejects a body without messaging_object', async () => {
		const reply = await api.sendV2({ extra_info: extraInfo });
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual(wa400({ [M]: 'is required' }));
	});

	it.each([
		['ref as a number', { ref: 123 }, { 'extra_info.ref': 'must be a string' }],
		['wa_source as a boolean', { wa_source: true }, { 'extra_info.wa_source': 'must be a string' }],
	])('rejects extra_info with %s', async (_name, extra, error) => {
		const reply = await api.sendV2({ ...seeds.text, extra_info: extra });
		expect(reply.json).toEqual(wa400(error));
	});

	it('names every invalid field at once', async () => {
		const reply = await api.sendV2(
			textWith((m) => {
				m.to = 'nobody';
				m.text.body = '';
			}),
		);
		expect(Object.keys(reply.json.error)).toEqual([`${M}.to`, `${M}.text.body`]);
	});
});

describe('v2 send: reaction emoji', () => {
	it.each([
		['a plain emoji', '👍'],
		['an emoji with a skin tone', '👍🏽'],
		['a ZWJ family sequence', '👨‍👩‍👧'],
		['a flag', '🇮🇳'],
		['a keycap', '1️⃣'],
		['a heart with variation selector', '❤️'],
		['an empty string (removes the reaction)', ''],
	])('accepts %s', async (_name, emoji) => {
		const reply = await api.sendV2({
			messaging_object: {
				messaging_product: 'whatsapp',
				to: CUSTOMER,
				type: 'reaction',
				reaction: { message_id: 'wamid.X', emoji },
			},
		});
		expect(reply.status).toBe(202);
		expect(api.sandbox.messages[0].payload.messaging_object.reaction.emoji).toBe(emoji);
	});

	it.each([
		['two flags', '🇮🇳🇺🇸'],
		['a word', 'ok'],
		['an emoji and a letter', '👍a'],
		['a digit', '1'],
	])('rejects %s', async (_name, emoji) => {
		const reply = await api.sendV2({
			messaging_object: {
				messaging_product: 'whatsapp',
				to: CUSTOMER,
				type: 'reaction',
				reaction: { message_id: 'wamid.X', emoji },
			},
		});
		expect(reply.status).toBe(400);
		expect(reply.json.error).toEqual({
			'messaging_object.reaction.emoji':
				'must be exactly one emoji (or empty to remove a reaction)',
		});
	});
});

describe('v2 media upload', () => {
	const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);
	const form = multipart(
		{ type: 'image/png' },
		{ name: 'file', filename: 'logo.png', type: 'image/png', data: png },
	);
	const upload = (sid: string, apiKey: string, number: string) => {
		return api.call(`/v2/${sid}/whatsapp/${number}/media`, {
			method: 'POST',
			headers: { 'content-type': form.contentType, 'api-key': apiKey },
			body: form.body,
		});
	};

	it('accepts an upload from a postpaid account and answers a media id', async () => {
		const reply = await upload(OTHER_ACCOUNT.sid, OTHER_ACCOUNT.apiKey, OTHER_ACCOUNT.numbers[0]);
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual({
			code: 'WA200',
			message: 'Media uploaded',
			data: { media_id: expect.stringMatching(/^\d{16}$/) },
			error: {},
		});
		expect(api.sandbox.uploads).toEqual([
			{
				mediaId: reply.json.data.media_id,
				sid: OTHER_ACCOUNT.sid,
				businessNumber: '+14155550100',
				mimeType: 'image/png',
				kind: 'image',
				filename: 'logo.png',
				partContentType: 'image/png',
				size: png.length,
				sha256: createHash('sha256').update(png).digest('hex'),
				receivedAt: expect.any(String),
			},
		]);
		expect(api.sandbox.requests[0].body).toBe(`<${form.body.length} bytes of binary data>`);
	});

	it.each([
		[
			'a MIME type WhatsApp does not take',
			multipart(
				{ type: 'image/gif' },
				{ name: 'file', filename: 'a.gif', type: 'image/gif', data: png },
			),
			{ type: '"image/gif" is not a media type WhatsApp supports' },
		],
		[
			'an image over 5 MB',
			multipart(
				{ type: 'image/jpeg' },
				{
					name: 'file',
					filename: 'big.jpg',
					type: 'image/jpeg',
					data: Buffer.alloc(5 * 1024 * 1024 + 1),
				},
			),
			{ file: 'must be at most 5242880 bytes for image (got 5242881)' },
		],
		[
			'no type field',
			multipart({}, { name: 'file', filename: 'a.png', type: 'image/png', data: png }),
			{ type: 'is required (the MIME type of the file)' },
		],
		[
			'an empty file',
			multipart(
				{ type: 'application/pdf' },
				{ name: 'file', filename: 'a.pdf', type: 'application/pdf', data: Buffer.alloc(0) },
			),
			{ file: 'is required' },
		],
	])(
		'refuses an upload with %s (400 WA400, field named), recording nothing',
		async (_, bad, error) => {
			const reply = await api.call(
				`/v2/${OTHER_ACCOUNT.sid}/whatsapp/${OTHER_ACCOUNT.numbers[0]}/media`,
				{
					method: 'POST',
					headers: { 'content-type': bad.contentType, 'api-key': OTHER_ACCOUNT.apiKey },
					body: bad.body,
				},
			);
			expect(reply.status).toBe(400);
			expect(reply.json).toMatchObject({ code: 'WA400', error });
			expect(api.sandbox.uploads).toEqual([]);
		},
	);

	it('refuses an upload from an account that is not postpaid with 401 WA-401', async () => {
		const reply = await upload(ACCOUNT.sid, ACCOUNT.apiKey, BUSINESS_NUMBER);
		expect(reply.status).toBe(401);
		expect(reply.json).toEqual({
			code: 'WA-401',
			message: 'API is not available for given customer.Please contact support for more info',
			data: {},
			error: {
				account: 'API is not available for given customer.Please contact support for more info',
			},
		});
		expect(api.sandbox.uploads).toEqual([]);
	});
});
