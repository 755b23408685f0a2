/**
 * Every limit of the new message types (docs/kaleyra-api.md §2, §5.2–5.3) is checked before anything is
 * sent, and the error names the field, the row, the button or the binary property as the user
 * sees them. Each story runs a valid item before the invalid one: not even the valid one is sent.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	SEND_NODE,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	loadFixture,
	run,
	setUpNock,
	unexpectedRequests,
	withNode,
} from './support';

setUpNock();

const ASHA = { phone: '+919811111111', name: 'Asha', orderId: 'A-1001', sku: 'TSHIRT-42' };
const rows = (count: number) =>
	Array.from({ length: count }, (_, i) => ({
		sku: `sku-${i + 1}`,
		name: `Product ${i + 1}`,
		price: 'INR 1',
	}));
const file = (bytes: number, mimeType: string, fileName = 'f') => ({
	data: Buffer.alloc(bytes, 1).toString('base64'),
	mimeType,
	fileName,
});
const MB = 1024 * 1024;

interface Limit {
	title: string;
	fixture: string;
	parameters?: IDataObject;
	items: [IDataObject, IDataObject] | [IDataObject];
	message: string;
}

const limits: Limit[] = [
	{
		title: 'a list with 11 rows from the expression',
		fixture: 'send-list-from-order',
		items: [
			{ ...ASHA, lineItems: rows(10) },
			{ ...ASHA, lineItems: rows(11) },
		],
		message:
			'Row 11: WhatsApp allows at most 10 rows in a list, over all sections; this list has 11. Remove 1, or send a second list.',
	},
	{
		title: 'a list row title over 24 characters',
		fixture: 'send-list-from-order',
		items: [
			{ ...ASHA, lineItems: rows(2) },
			{
				...ASHA,
				lineItems: [...rows(2), { sku: 'x', name: 'A very long product name here', price: '' }],
			},
		],
		message: 'Row 3 → Title: WhatsApp allows at most 24 characters; this has 29. Shorten it.',
	},
	{
		title: 'a list row description over 72 characters',
		fixture: 'send-list-from-order',
		items: [{ ...ASHA, lineItems: [{ sku: 'a', name: 'A', price: 'x'.repeat(73) }] }],
		message: 'Row 1 → Description: at most 72 characters are allowed; this has 73. Shorten it.',
	},
	{
		title:
			'a row title that is an object (a shop\'s translated name), not sent as "[object Object]"',
		fixture: 'send-list-from-order',
		items: [
			{
				...ASHA,
				lineItems: [
					{ sku: 'a', name: 'A' },
					{ sku: 'b', name: { en: 'Blue T-shirt', hi: 'नीली टी-शर्ट' } },
				],
			},
		],
		message: 'Row 2 → Title: expected text, got an object.',
	},
	{
		title: 'a row ID that is a list',
		fixture: 'send-list-from-order',
		items: [{ ...ASHA, lineItems: [{ sku: ['a', 'b'], name: 'A' }] }],
		message: 'Row 1 → ID: expected text, got a list (array).',
	},
	{
		title: 'the one section title, given as sections the way WhatsApp writes them, is an object',
		fixture: 'send-list-from-order',
		parameters: { rowsJson: '={{ [{ title: $json.category, rows: [{ id: "a", title: "A" }] }] }}' },
		items: [{ ...ASHA, category: { name: 'Shirts' } }],
		message: 'Row 1 → Section Title: expected text, got an object.',
	},
	{
		title: 'two rows with the same ID',
		fixture: 'send-list-from-order',
		items: [
			{
				...ASHA,
				lineItems: [
					{ sku: 'a', name: 'A' },
					{ sku: 'a', name: 'B' },
				],
			},
		],
		message: 'Row 2 → ID: "a" is also the ID of row 1. Give each row its own ID.',
	},
	{
		title: 'a row without ID',
		fixture: 'send-list-from-order',
		items: [{ ...ASHA, lineItems: [{ name: 'A' }] }],
		message:
			'Row 1 → ID: it is empty. Enter the row ID your workflow receives when this row is picked.',
	},
	{
		title: 'several sections where a row has no section title',
		fixture: 'send-list',
		parameters: {
			rows: {
				row: [
					{ section: 'Tomorrow', id: 'a', title: 'A' },
					{ section: '', id: 'b', title: 'B' },
				],
			},
		},
		items: [ASHA],
		message:
			'Row 2 → Section Title: it is empty. Enter a section title for each row: a list with several sections needs them.',
	},
	{
		title: 'an expression that gives no array of rows',
		fixture: 'send-list-from-order',
		parameters: { rowsJson: '={{ $json.lineItems }}' },
		items: [{ ...ASHA, lineItems: { sku: 'a' } }],
		message:
			'Rows: expected an array of rows like [{ "id": "sku-1", "title": "Blue T-shirt" }], got {"sku":"a"}.',
	},
	{
		title: 'an empty list',
		fixture: 'send-list-from-order',
		items: [{ ...ASHA, lineItems: [] }],
		message: 'Rows: the list has no rows. Add at least one row (ID and title).',
	},
	{
		title: 'a list button label over 20 characters',
		fixture: 'send-list',
		parameters: { buttonText: 'Pick a delivery slot now' },
		items: [ASHA],
		message: 'Button Label: WhatsApp allows at most 20 characters; this has 24. Shorten it.',
	},
	{
		title: 'a media header on a list',
		fixture: 'send-list',
		parameters: { headerType: 'image' },
		items: [ASHA],
		message: `Header: "image" is not one of this field's choices. Use one of: none, text.`,
	},
	{
		title: 'two v2 reply buttons with the same title',
		fixture: 'send-interactive-buttons',
		parameters: {
			buttons: {
				button: [
					{ title: 'Yes', id: 'a' },
					{ title: 'yes', id: 'b' },
				],
			},
		},
		items: [ASHA],
		message:
			'Button 2 → Title: "yes" is also the title of button 1. WhatsApp needs different titles.',
	},
	{
		title: 'a v2 button header text over 60 characters',
		fixture: 'send-interactive-buttons',
		parameters: { headerType: 'text', headerText: 'x'.repeat(61) },
		items: [ASHA],
		message: 'Header Text: WhatsApp allows at most 60 characters; this has 61. Shorten it.',
	},
	{
		title: 'a v2 button header link that is no URL',
		fixture: 'send-interactive-buttons',
		parameters: { headerMediaLink: 'cdn/product.jpg' },
		items: [ASHA],
		message:
			'Header Media Link: "cdn/product.jpg" is not a public http(s) link. Use a full URL starting with https://.',
	},
	{
		title: 'a v2 button footer over 60 characters',
		fixture: 'send-interactive-buttons',
		parameters: { footer: 'f'.repeat(61) },
		items: [ASHA],
		message: 'Footer: at most 60 characters are allowed; this has 61. Shorten it.',
	},
	{
		title: 'a v2 button header from binary data that is a GIF',
		fixture: 'send-interactive-buttons',
		parameters: { headerMediaSource: 'binary', binaryPropertyName: 'data' },
		items: [
			{ ...ASHA, $binary: { data: file(10, 'image/png') } },
			{ ...ASHA, $binary: { data: file(10, 'image/gif') } },
		],
		message:
			'Input Binary Field: the file in binary property "data" is "image/gif"; WhatsApp takes image files only as image/jpeg, image/png. Convert it, or set the MIME type if it is wrong.',
	},
	{
		title: 'a link button label over 20 characters',
		fixture: 'send-cta-url',
		parameters: { buttonText: 'Track your order right now' },
		items: [ASHA],
		message: 'Button Label: WhatsApp allows at most 20 characters; this has 26. Shorten it.',
	},
	{
		title: 'a link button URL that is no URL',
		fixture: 'send-cta-url',
		parameters: { url: 'shop.example.com/t' },
		items: [ASHA],
		message:
			'URL: "shop.example.com/t" is not a public http(s) link. Use a full URL starting with https://.',
	},
	{
		title: 'a location request body over 1024 characters',
		fixture: 'request-location',
		parameters: { body: 'x'.repeat(1025) },
		items: [ASHA],
		message: 'Body: WhatsApp allows at most 1024 characters; this has 1025. Shorten it.',
	},
	{
		title: 'a latitude over 90',
		fixture: 'send-location',
		items: [
			{ ...ASHA, store: { lat: 12.9, lng: 77.5 } },
			{ ...ASHA, store: { lat: 91, lng: 77.5 } },
		],
		message: 'Latitude: 91 is out of range: it must lie between -90 and 90.',
	},
	{
		title: 'a longitude that is not a number',
		fixture: 'send-location',
		items: [{ ...ASHA, store: { lat: 12.9, lng: 'east' } }],
		message: 'Longitude: "east" is not a number. Enter decimal degrees, e.g. 77.5946.',
	},
	{
		title: 'a contact without a full name',
		fixture: 'send-contacts',
		parameters: {
			contacts: {
				contact: [{ formattedName: 'Support' }, { formattedName: ' ', phone: '+918040001234' }],
			},
		},
		items: [ASHA],
		message: "Contact 2 → Full Name: it is empty. Enter the contact's full name as it should show.",
	},
	{
		title: '258 contacts from an expression',
		fixture: 'send-contacts',
		parameters: { contactsSource: 'expression', contactsJson: '={{ $json.team }}' },
		items: [
			{ ...ASHA, team: [{ name: { formatted_name: 'A' } }] },
			{ ...ASHA, team: Array.from({ length: 258 }, () => ({ name: { formatted_name: 'A' } })) },
		],
		message:
			'Contacts: Kaleyra allows at most 257 contacts in one message; this has 258. Split them.',
	},
	{
		title: 'a contact phone of a type WhatsApp does not know',
		fixture: 'send-contacts',
		parameters: { contactsSource: 'expression', contactsJson: '={{ $json.team }}' },
		items: [
			{
				...ASHA,
				team: [{ name: { formatted_name: 'A' }, phones: [{ phone: '+1', type: 'FAX' }] }],
			},
		],
		message:
			'Contact 1 → Phone: "FAX" is not a phone type WhatsApp knows. Use CELL, MAIN, IPHONE, HOME, WORK.',
	},
	{
		title: 'mark as read without the message ID',
		fixture: 'mark-as-read',
		items: [
			{ messageId: 'wamid.1', typing: false },
			{ messageId: '', typing: false },
		],
		message: 'Message ID: it is empty. Map the ID of the WhatsApp message (it starts with wamid.).',
	},
	{
		title: 'a typing indicator expression that gives neither true nor false',
		fixture: 'mark-as-read',
		items: [{ messageId: 'wamid.1', typing: 'soon' }],
		message: 'Show Typing Indicator: expected true or false, got "soon".',
	},
	{
		title: 'an upload whose binary property is missing',
		fixture: 'media-upload',
		items: [
			{ $binary: { invoice: file(10, 'application/pdf') } },
			{ $binary: { attachment: file(10, 'application/pdf') } },
		],
		message:
			'Input Binary Field: item 1 has no binary property "invoice"; it has "attachment". Connect the node that produces the file (Read File, HTTP Request with a file response, a PDF generator), or correct the name.',
	},
	{
		title: 'an upload of an item without binary data',
		fixture: 'media-upload',
		items: [{ orderId: 'A-1' }],
		message:
			'Input Binary Field: item 0 has no binary property "invoice" (it has no binary data at all). Connect the node that produces the file (Read File, HTTP Request with a file response, a PDF generator), or correct the name.',
	},
	{
		title: 'an upload of a file type WhatsApp does not take',
		fixture: 'media-upload',
		items: [{ $binary: { invoice: file(10, 'application/zip') } }],
		message:
			'Input Binary Field: the file in binary property "invoice" is "application/zip"; WhatsApp takes document files only as application/pdf, text/plain, application/msword, application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/vnd.ms-excel, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/vnd.ms-powerpoint, application/vnd.openxmlformats-officedocument.presentationml.presentation. Convert it, or set the MIME type if it is wrong.',
	},
	{
		title: 'an image over 5 MB',
		fixture: 'media-upload',
		items: [
			{ $binary: { invoice: file(5 * MB, 'image/jpeg') } },
			{ $binary: { invoice: file(5 * MB + 1, 'image/jpeg') } },
		],
		message:
			'Input Binary Field: the file in binary property "invoice" is 5.0 MB; WhatsApp allows image files up to 5 MB. Compress it, or send it as a document (up to 100 MB).',
	},
	{
		title: 'an empty file',
		fixture: 'media-upload',
		items: [{ $binary: { invoice: file(0, 'application/pdf') } }],
		message: 'Input Binary Field: the file in binary property "invoice" is empty.',
	},
	{
		title: 'Send Media from binary data: an audio file given as the Media Type Video',
		fixture: 'send-media-binary',
		parameters: { mediaType: 'video', caption: '' },
		items: [
			{ ...ASHA, $binary: { data: file(10, 'video/mp4') } },
			{ ...ASHA, $binary: { data: file(10, 'audio/mpeg') } },
		],
		message:
			'Input Binary Field: the file in binary property "data" is "audio/mpeg"; WhatsApp takes video files only as video/mp4, video/3gpp. Set Media Type to Audio, or convert the file.',
	},
	{
		title: 'Send Media from binary data: a sticker over 500 KB',
		fixture: 'send-media-binary',
		parameters: { mediaType: 'sticker', caption: '' },
		items: [{ ...ASHA, $binary: { data: file(501 * 1024, 'image/webp') } }],
		message:
			'Input Binary Field: the file in binary property "data" is 501 KB; WhatsApp allows sticker files up to 500 KB. Make it smaller.',
	},
];

describe('A new message type over a WhatsApp limit stops the run before anything is sent', () => {
	it.each(limits)(
		'$title: the error names the field or row, and nothing is sent',
		async (limit) => {
			const workflow = withNode(loadFixture(limit.fixture), { parameters: limit.parameters });
			const failing = limit.items.length - 1;

			const result = await run(workflow, limit.items);

			expect(unexpectedRequests).toEqual([]);
			expect(result.error).toMatchObject({
				name: 'NodeOperationError',
				context: { itemIndex: failing },
			});
			expect(result.error?.message).toBe(limit.message);
			expect(result.error?.description).toMatch(
				new RegExp(`^Nothing was sent for item ${failing}\\.`),
			);
			expect(result.output(SEND_NODE)).toEqual([]);
		},
	);
});

itKeepsTheApiKeyOutOfEverythingUsersSee();
