/**
 * Every message type of issue 8, as a builder uses it: the exact request Kaleyra receives (URL,
 * headers, JSON body; for uploads the multipart fields, file name, MIME type and bytes) and the
 * exact items n8n outputs. The workflows are the JSON files in test/fixtures.
 */
import { BinaryDataService } from 'n8n-core';
import type { IDataObject } from 'n8n-workflow';

import {
	BUSINESS_DIGITS,
	JSON_HEADERS,
	POD_BASE_URLS,
	SID,
	API_KEY,
	accepted,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	loadFixture,
	oneAtATime,
	run,
	setUpNock,
	v2Url,
	withNode,
} from './support';

setUpNock();

const BASE = POD_BASE_URLS.in;
const MEDIA_URL = `${BASE}/v2/${SID}/whatsapp/${BUSINESS_DIGITS}/media`;

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

function acceptedItem(
	messageId: string,
	to: string,
	type: string,
	extra: IDataObject = {},
): IDataObject {
	return { messageId, to, type, status: 'accepted', code: 'WA202', httpStatus: 202, ...extra };
}

const ASHA = { phone: '+919811111111', name: 'Asha', orderId: 'A-1001', sku: 'TSHIRT-42' };
const BEN = { phone: '919822222222', name: 'Ben', orderId: 'A-1002', sku: 'MUG-7' };
const TO = ['+919811111111', '+919822222222'];

/** A small PDF, with the binary comment line real PDFs carry (bytes that are not UTF-8). */
const PDF = Buffer.concat([
	Buffer.from('%PDF-1.4\n%'),
	Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]),
	Buffer.from('\n1 0 obj <<>> endobj\n%%EOF\n'),
]);
const binaryOf = (data: Buffer, mimeType: string, fileName: string) => ({
	data: data.toString('base64'),
	mimeType,
	fileName,
});

const uploaded = (mediaId: string) => ({
	status: 200,
	body: { code: 'WA200', message: 'Media uploaded', data: { media_id: mediaId }, error: {} },
});

async function sends(
	fixture: Parameters<typeof run>[0],
	items: IDataObject[],
	replies = items.map((_, i) => accepted(`wamid.${i + 1}`)),
) {
	const { received } = kaleyra(BASE, replies);
	const result = await run(fixture, items);
	expect(result.error).toBeUndefined();
	return { received, result };
}

describe('Reply buttons on API v2', () => {
	it('asks each customer about a delivery slot with two buttons under a product photo (header by link)', async () => {
		const { received, result } = await sends('send-interactive-buttons', [ASHA, BEN]);

		expect(received).toEqual(
			[ASHA, BEN].map(({ name, orderId, sku }, i) => ({
				method: 'POST',
				url: v2Url(BASE),
				headers: JSON_HEADERS,
				body: v2Body(
					TO[i],
					'interactive',
					{
						interactive: {
							type: 'button',
							header: {
								type: 'image',
								image: { link: `https://cdn.example.com/products/${sku}.jpg` },
							},
							body: { text: `Hi ${name}, can we deliver order ${orderId} tomorrow?` },
							footer: { text: 'Tap a button to answer' },
							action: {
								buttons: [
									{ type: 'reply', reply: { id: `yes-${orderId}`, title: 'Yes' } },
									{ type: 'reply', reply: { id: 'later', title: 'Later' } },
								],
							},
						},
					},
					{ ref: orderId },
				),
			})),
		);
		expect(itemsOf(result)).toEqual(
			[ASHA, BEN].map(({ orderId }, i) => ({
				json: acceptedItem(`wamid.${i + 1}`, TO[i], 'interactive', { ref: orderId }),
				pairedItem: { item: i },
			})),
		);
	});

	it.each([
		[
			'a text header',
			{ headerType: 'text', headerText: 'Order {{ $json.orderId }}' },
			{ type: 'text', text: 'Order {{ $json.orderId }}' },
		],
		[
			'a video header by media ID',
			{ headerType: 'video', headerMediaSource: 'id', headerMediaId: ' 99887766 ' },
			{ type: 'video', video: { id: '99887766' } },
		],
		[
			'a document header by link',
			{
				headerType: 'document',
				headerMediaSource: 'link',
				headerMediaLink: 'https://shop.example.com/catalogue.pdf',
			},
			{ type: 'document', document: { link: 'https://shop.example.com/catalogue.pdf' } },
		],
	])('sends %s', async (_, parameters, header) => {
		const { received } = await sends(
			withNode(loadFixture('send-interactive-buttons'), { parameters }),
			[ASHA],
		);
		expect(
			((received[0].body as IDataObject).messaging_object as IDataObject).interactive,
		).toMatchObject({ header });
	});

	it('sends no header when Header is None', async () => {
		const { received } = await sends(
			withNode(loadFixture('send-interactive-buttons'), { parameters: { headerType: 'none' } }),
			[ASHA],
		);
		expect(
			((received[0].body as IDataObject).messaging_object as IDataObject).interactive,
		).not.toHaveProperty('header');
	});

	it("uploads the item's binary image as the header, then sends its media ID", async () => {
		const workflow = withNode(loadFixture('send-interactive-buttons'), {
			parameters: { headerMediaSource: 'binary', binaryPropertyName: 'photo' },
		});
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
		const { received, result } = await sends(
			workflow,
			[{ ...ASHA, $binary: { photo: binaryOf(png, 'image/png', 'tshirt.png') } }],
			[uploaded('4455'), accepted('wamid.1')],
		);

		expect(received.map((r) => r.url)).toEqual([MEDIA_URL, v2Url(BASE)]);
		expect(received[0].body).toEqual({
			fields: [['type', 'image/png']],
			files: [{ field: 'file', fileName: 'tshirt.png', contentType: 'image/png', bytes: png }],
		});
		expect(
			((received[1].body as IDataObject).messaging_object as IDataObject).interactive,
		).toMatchObject({ header: { type: 'image', image: { id: '4455' } } });
		expect(itemsOf(result)[0].json).toEqual(
			acceptedItem('wamid.1', TO[0], 'interactive', { mediaId: '4455', ref: 'A-1001' }),
		);
	});
});

describe('Interactive list', () => {
	it('offers delivery slots in two sections, with a text header and a footer; rows without description leave it out', async () => {
		const { received, result } = await sends('send-list', [ASHA]);

		expect(received).toEqual([
			{
				method: 'POST',
				url: v2Url(BASE),
				headers: JSON_HEADERS,
				body: v2Body(TO[0], 'interactive', {
					interactive: {
						type: 'list',
						header: { type: 'text', text: 'Order A-1001' },
						body: { text: 'Hi Asha, when should we deliver order A-1001?' },
						footer: { text: 'Free delivery' },
						action: {
							button: 'Pick a slot',
							sections: [
								{
									title: 'Tomorrow',
									rows: [
										{ id: 'tue-am', title: 'Morning', description: '9:00-12:00' },
										{ id: 'tue-pm', title: 'Afternoon', description: '13:00-17:00' },
									],
								},
								{ title: 'Day after', rows: [{ id: 'wed-am', title: 'Morning' }] },
							],
						},
					},
				}),
			},
		]);
		expect(itemsOf(result)).toEqual([
			{ json: acceptedItem('wamid.1', TO[0], 'interactive'), pairedItem: { item: 0 } },
		]);
	});

	it("lists each order's products from one expression (the shop's line items), one section without a title", async () => {
		const order = {
			...ASHA,
			lineItems: [
				{ sku: 'TSHIRT-42', name: 'Blue T-shirt', price: 'INR 799' },
				{ sku: 'MUG-7', name: 'Coffee mug', price: 'INR 349' },
			],
		};
		const { received } = await sends('send-list-from-order', [order]);

		expect(received[0].body).toEqual(
			v2Body(
				TO[0],
				'interactive',
				{
					interactive: {
						type: 'list',
						body: { text: 'Hi Asha, which item of order A-1001 would you like to review?' },
						action: {
							button: 'Choose a product',
							sections: [
								{
									rows: [
										{ id: 'TSHIRT-42', title: 'Blue T-shirt', description: 'INR 799' },
										{ id: 'MUG-7', title: 'Coffee mug', description: 'INR 349' },
									],
								},
							],
						},
					},
				},
				{ ref: 'A-1001' },
			),
		);
	});

	it('takes sections as Meta writes them ({ title, rows }) from the expression', async () => {
		const workflow = withNode(loadFixture('send-list-from-order'), {
			parameters: { rowsJson: '={{ $json.sections }}' },
		});
		const sections = [
			{ title: 'Shirts', rows: [{ id: 's1', title: 'Blue' }] },
			{ title: 'Mugs', rows: [{ id: 'm1', title: 'White', description: 'Ceramic' }] },
		];
		const { received } = await sends(workflow, [{ ...ASHA, sections }]);
		expect(
			((received[0].body as IDataObject).messaging_object as IDataObject).interactive,
		).toMatchObject({ action: { button: 'Choose a product', sections } });
	});
});

describe('Call-to-action link button and location request', () => {
	it('sends a "Track order" button that opens the order page', async () => {
		const { received, result } = await sends('send-cta-url', [ASHA]);

		expect(received[0]).toEqual({
			method: 'POST',
			url: v2Url(BASE),
			headers: JSON_HEADERS,
			body: v2Body(TO[0], 'interactive', {
				interactive: {
					type: 'cta_url',
					header: { type: 'text', text: 'Shipped!' },
					body: { text: 'Order A-1001 is on its way, Asha.' },
					action: {
						name: 'cta_url',
						parameters: { display_text: 'Track order', url: 'https://shop.example.com/t/A-1001' },
					},
				},
			}),
		});
		expect(itemsOf(result)[0].json).toEqual(acceptedItem('wamid.1', TO[0], 'interactive'));
	});

	it('asks each customer to share their delivery location', async () => {
		const { received } = await sends('request-location', [ASHA, BEN]);

		expect(received.map((r) => r.body)).toEqual(
			[ASHA, BEN].map(({ name, orderId }, i) =>
				v2Body(TO[i], 'interactive', {
					interactive: {
						type: 'location_request_message',
						body: { text: `Hi ${name}, please share where we should deliver order ${orderId}.` },
						action: { name: 'send_location' },
					},
				}),
			),
		);
	});
});

describe('Send Location and Send Contacts', () => {
	it('sends the pick-up store as a pin, coordinates as JSON numbers even when the expression gives text', async () => {
		const stores = [
			{
				...ASHA,
				store: {
					lat: 12.9716,
					lng: 77.5946,
					name: 'Indiranagar store',
					address: '100 Feet Rd, Bengaluru',
				},
			},
			{ ...BEN, store: { lat: '-33.8688', lng: '151.2093', name: '', address: '' } },
		];
		const { received, result } = await sends('send-location', stores);

		expect(received.map((r) => r.body)).toEqual([
			v2Body(
				TO[0],
				'location',
				{
					location: {
						latitude: 12.9716,
						longitude: 77.5946,
						name: 'Indiranagar store',
						address: '100 Feet Rd, Bengaluru',
					},
				},
				{ ref: 'A-1001' },
			),
			v2Body(
				TO[1],
				'location',
				{ location: { latitude: -33.8688, longitude: 151.2093 } },
				{ ref: 'A-1002' },
			),
		]);
		expect(itemsOf(result).map((i) => i.json)).toEqual([
			acceptedItem('wamid.1', TO[0], 'location', { ref: 'A-1001' }),
			acceptedItem('wamid.2', TO[1], 'location', { ref: 'A-1002' }),
		]);
	});

	it('shares the support contact card from the fields, the number in international format with its WhatsApp ID', async () => {
		const { received } = await sends('send-contacts', [ASHA]);

		expect(received[0].body).toEqual(
			v2Body(TO[0], 'contacts', {
				contacts: [
					{
						name: { formatted_name: 'Shop Support', first_name: 'Shop', last_name: 'Support' },
						phones: [{ phone: '+918040001234', type: 'WORK', wa_id: '918040001234' }],
						emails: [{ email: 'help@shop.example.com', type: 'WORK' }],
						org: { company: 'Example Shop' },
						urls: [{ url: 'https://shop.example.com/help', type: 'WORK' }],
					},
				],
			}),
		);
	});

	it('passes a contacts array built upstream on as it is', async () => {
		const contacts = [
			{ name: { formatted_name: 'Asha Rao' }, phones: [{ phone: '+919811111111', type: 'CELL' }] },
			{ name: { formatted_name: 'Ben Ito' }, emails: [{ email: 'ben@example.com' }] },
		];
		const workflow = withNode(loadFixture('send-contacts'), {
			parameters: { contactsSource: 'expression', contactsJson: '={{ $json.team }}' },
		});
		const { received } = await sends(workflow, [{ ...ASHA, team: contacts }]);
		expect(received[0].body).toEqual(v2Body(TO[0], 'contacts', { contacts }));
	});
});

describe('Mark as Read', () => {
	it('marks each incoming message read, with a typing indicator where asked; no recipient, no type', async () => {
		const { received, result } = await sends(
			'mark-as-read',
			[
				{ messageId: 'wamid.IN-1', typing: true },
				{ messageId: 'wamid.IN-2', typing: false },
			],
			[
				{ status: 200, body: { code: 'WA200', message: 'Marked', data: {}, error: {} } },
				accepted('ignored'),
			],
		);

		expect(received).toEqual([
			{
				method: 'POST',
				url: v2Url(BASE),
				headers: JSON_HEADERS,
				body: {
					messaging_object: {
						messaging_product: 'whatsapp',
						status: 'read',
						message_id: 'wamid.IN-1',
						typing_indicator: { type: 'text' },
					},
				},
			},
			{
				method: 'POST',
				url: v2Url(BASE),
				headers: JSON_HEADERS,
				body: {
					messaging_object: {
						messaging_product: 'whatsapp',
						status: 'read',
						message_id: 'wamid.IN-2',
					},
				},
			},
		]);
		expect(itemsOf(result)).toEqual([
			{
				json: {
					messageId: 'wamid.IN-1',
					status: 'read',
					typingIndicator: true,
					code: 'WA200',
					httpStatus: 200,
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					messageId: 'wamid.IN-2',
					status: 'read',
					typingIndicator: false,
					code: 'WA202',
					httpStatus: 202,
				},
				pairedItem: { item: 1 },
			},
		]);
	});
});

describe('Media from binary data', () => {
	it('uploads the invoice PDF from the binary property: multipart fields file and type, the bytes as they are, and outputs the media ID', async () => {
		const { received, result } = await sends(
			'media-upload',
			[
				{
					orderId: 'A-1001',
					$binary: { invoice: binaryOf(PDF, 'application/pdf', 'invoice-A-1001.pdf') },
				},
			],
			[uploaded('1029384756')],
		);

		expect(received).toHaveLength(1);
		expect(received[0].method).toBe('POST');
		expect(received[0].url).toBe(MEDIA_URL);
		expect(received[0].headers['api-key']).toBe(API_KEY);
		expect(received[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(received[0].body).toEqual({
			fields: [['type', 'application/pdf']],
			files: [
				{
					field: 'file',
					fileName: 'invoice-A-1001.pdf',
					contentType: 'application/pdf',
					bytes: PDF,
				},
			],
		});
		expect(itemsOf(result)).toEqual([
			{
				json: {
					mediaId: '1029384756',
					mediaType: 'document',
					mimeType: 'application/pdf',
					fileName: 'invoice-A-1001.pdf',
					fileSize: PDF.length,
					status: 'uploaded',
					code: 'WA200',
					httpStatus: 200,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('reads the media ID where Kaleyra puts it (data.media_id, data.id or id) and takes a MIME type and file name from Options', async () => {
		const workflow = withNode(loadFixture('media-upload'), {
			parameters: { options: { mimeType: 'application/pdf', fileName: 'renamed.pdf' } },
		});
		const item = { $binary: { invoice: binaryOf(PDF, 'application/octet-stream', 'blob') } };
		const { received, result } = await sends(
			workflow,
			[item, item],
			[
				{ status: 200, body: { data: { id: 'A1' } } },
				{ status: 201, body: { id: 'B2' } },
			],
		);

		expect(
			received.map(
				(r) => (r.body as { files: Array<{ fileName: string; contentType: string }> }).files[0],
			),
		).toMatchObject([
			{ fileName: 'renamed.pdf', contentType: 'application/pdf' },
			{ fileName: 'renamed.pdf', contentType: 'application/pdf' },
		]);
		expect(itemsOf(result).map((i) => i.json.mediaId)).toEqual(['A1', 'B2']);
	});

	it('Send Media from Binary Data: uploads each invoice, then sends it by its media ID, the file name from the binary data', async () => {
		const items = [ASHA, BEN].map((customer) => ({
			...customer,
			$binary: { data: binaryOf(PDF, 'application/pdf', `invoice-${customer.orderId}.pdf`) },
		}));
		// One at a time, so that the requests arrive in this exact order (with more in flight, item 2's upload may come first).
		const { received, result } = await sends(oneAtATime('send-media-binary'), items, [
			uploaded('111'),
			accepted('wamid.1'),
			uploaded('222'),
			accepted('wamid.2'),
		]);

		expect(received.map((r) => r.url)).toEqual([MEDIA_URL, v2Url(BASE), MEDIA_URL, v2Url(BASE)]);
		expect((received[2].body as { files: unknown[] }).files).toEqual([
			{ field: 'file', fileName: 'invoice-A-1002.pdf', contentType: 'application/pdf', bytes: PDF },
		]);
		expect([received[1].body, received[3].body]).toEqual(
			[ASHA, BEN].map(({ orderId }, i) =>
				v2Body(
					TO[i],
					'document',
					{
						document: {
							id: i === 0 ? '111' : '222',
							caption: `Invoice for order ${orderId}`,
							filename: `invoice-${orderId}.pdf`,
						},
					},
					{ ref: orderId },
				),
			),
		);
		expect(itemsOf(result).map((i) => i.json)).toEqual([
			acceptedItem('wamid.1', TO[0], 'document', { mediaId: '111', ref: 'A-1001' }),
			acceptedItem('wamid.2', TO[1], 'document', { mediaId: '222', ref: 'A-1002' }),
		]);
	});

	it('does not upload again when the send after the upload is throttled and retried', async () => {
		const items = [{ ...ASHA, $binary: { data: binaryOf(PDF, 'application/pdf', 'i.pdf') } }];
		const { received } = await sends('send-media-binary', items, [
			uploaded('111'),
			{ status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': '0' } },
			accepted('wamid.1'),
		]);
		expect(received.map((r) => r.url)).toEqual([MEDIA_URL, v2Url(BASE), v2Url(BASE)]);
	});

	it("says a non-postpaid account's 401 on upload means the account type, and sends nothing", async () => {
		const { received } = kaleyra(BASE, [
			{
				status: 401,
				body: {
					code: 'WA-401',
					message: 'API is not available for given customer.Please contact support for more info',
					data: {},
					error: {},
				},
			},
		]);
		const result = await run('send-media-binary', [
			{ ...ASHA, $binary: { data: binaryOf(PDF, 'application/pdf', 'i.pdf') } },
		]);

		expect(received.map((r) => r.url)).toEqual([MEDIA_URL]);
		expect(result.error?.message).toBe(
			'Kaleyra refused the media upload for this account [WA-401]: API is not available for given customer.Please contact support for more info',
		);
		expect(result.error?.description).toMatch(
			/^Kaleyra accepts media uploads only from postpaid accounts; others get 401 \("Unauthorised account type"\)\. .*Public Link/,
		);
	});
});

itKeepsTheApiKeyOutOfEverythingUsersSee();

describe('A batch of files is not all held in memory', () => {
	afterEach(() => jest.restoreAllMocks());

	it('reads each invoice to check it, lets it go, and reads it again just before its upload', async () => {
		const order: string[] = [];
		const getAsBuffer = BinaryDataService.prototype.getAsBuffer;
		jest.spyOn(BinaryDataService.prototype, 'getAsBuffer').mockImplementation(async function (
			this: BinaryDataService,
			binary,
		) {
			order.push(`read ${binary.fileName}`);
			return await getAsBuffer.call(this, binary);
		});
		const items = [ASHA, BEN].map((customer) => ({
			...customer,
			$binary: { data: binaryOf(PDF, 'application/pdf', `invoice-${customer.orderId}.pdf`) },
		}));
		const { received } = kaleyra(BASE, [
			uploaded('111'),
			accepted('wamid.1'),
			uploaded('222'),
			accepted('wamid.2'),
		]);
		received.push = (...requests) => {
			for (const r of requests)
				order.push(
					r.url === MEDIA_URL
						? `upload ${(r.body as { files: Array<{ fileName: string }> }).files[0].fileName}`
						: 'send',
				);
			return Array.prototype.push.apply(received, requests);
		};

		const result = await run(oneAtATime('send-media-binary'), items);

		expect(result.error).toBeUndefined();
		expect(order).toEqual([
			// Both checked before anything is sent …
			'read invoice-A-1001.pdf',
			'read invoice-A-1002.pdf',
			// … then each read again only for its own upload.
			'read invoice-A-1001.pdf',
			'upload invoice-A-1001.pdf',
			'send',
			'read invoice-A-1002.pdf',
			'upload invoice-A-1002.pdf',
			'send',
		]);
		expect((received[2].body as { files: Array<{ bytes: Buffer }> }).files[0].bytes).toEqual(PDF);
	});

	it('the binary data store failing at upload time: that item fails saying nothing was sent for it, the others go on', async () => {
		const getAsBuffer = BinaryDataService.prototype.getAsBuffer;
		let calls = 0;
		jest.spyOn(BinaryDataService.prototype, 'getAsBuffer').mockImplementation(async function (
			this: BinaryDataService,
			binary,
		) {
			calls += 1;
			// Reads 1 and 2 are the checks; read 3 is the first item's upload.
			if (calls === 3) throw new Error('EIO: i/o error, read');
			return await getAsBuffer.call(this, binary);
		});
		const items = [ASHA, BEN].map((customer) => ({
			...customer,
			$binary: { data: binaryOf(PDF, 'application/pdf', `invoice-${customer.orderId}.pdf`) },
		}));
		const { received } = kaleyra(BASE, [uploaded('222'), accepted('wamid.2')]);

		const result = await run(
			withNode(oneAtATime('send-media-binary'), { onError: 'continueRegularOutput' }),
			items,
		);

		expect(received.map((r) => r.url)).toEqual([MEDIA_URL, v2Url(BASE)]);
		expect(itemsOf(result).map((i) => i.json)).toEqual([
			expect.objectContaining({
				error: 'Could not read the file in binary property "data" again to upload it',
				description:
					"n8n's binary data store failed: EIO: i/o error, read. Nothing was sent for this item; run it again.",
				code: 'FILE_UNREADABLE',
				maybeSent: false,
				retryable: false,
			}),
			acceptedItem('wamid.2', TO[1], 'document', { mediaId: '222', ref: 'A-1002' }),
		]);
	});
});
