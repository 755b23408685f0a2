'use strict';
/**
 * What Kaleyra must receive for each workflow in examples/, written out by hand from the examples'
 * sample data: if an example or the node changes what goes over the wire, the suite says so.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const BUSINESS_NUMBER = '+919845098450';
const { CUSTOMER_MESSAGES, ASKING_EXAMPLES } = require('../scripts/callbacks');

const INCOMING_TEXT = CUSTOMER_MESSAGES['answer-incoming-message.json'];
const INCOMING_MESSAGE_ID = INCOMING_TEXT.messageId;
const BUTTON_TAP = CUSTOMER_MESSAGES['route-button-reply.json'];
const TAP_MESSAGE_ID = BUTTON_TAP.messageId;
const FLOW_ANSWER = CUSTOMER_MESSAGES['book-appointment-with-flow.json'];
const INVOICE_PHOTO = CUSTOMER_MESSAGES['save-invoice-photo.json'];
const DELIVERY_SLOT = ASKING_EXAMPLES['confirm-delivery-slot.json'];

/**
 * A Send and Wait reply button as the asking node in confirm-delivery-slot.json builds it: the
 * signed resume path of the waiting execution behind `n8nkw1:`. "<execution>" stands for the
 * waiting execution's ID, "<signature>" for n8n's 64-hex-digit HMAC (the test checks both).
 */
function slotButton(value, label) {
	const query = `i=0&t=c&by=b&to=919812345678&v=${value}&l=${label.replace(/ /g, '+')}`;
	return {
		type: 'reply',
		reply: {
			id: `n8nkw1:<execution>/bd90ef76-81c2-4ede-b0f7-6cae2b4d8097?${query}&signature=<signature>`,
			title: label,
		},
	};
}

function v2(to, type, content, extraInfo) {
	return {
		api: 'v2',
		businessNumber: BUSINESS_NUMBER,
		to,
		type,
		payload: {
			messaging_object: {
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to,
				type,
				...content,
			},
			extra_info: extraInfo,
		},
	};
}

/**
 * The binary file an example's Code node produces, computed by running that node's own code: the
 * sandbox must receive these bytes, not a copy of them written out here.
 */
function generatedFile(exampleFile, nodeName) {
	const workflow = JSON.parse(
		fs.readFileSync(path.join(__dirname, '..', 'examples', exampleFile), 'utf8'),
	);
	const { jsCode } = workflow.nodes.find((node) => node.name === nodeName).parameters;
	const [item] = new Function('Buffer', jsCode)(Buffer);
	const { data, mimeType, fileName } = item.binary.data;
	const bytes = Buffer.from(data, 'base64');
	return {
		mimeType,
		fileName,
		size: bytes.length,
		sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
	};
}

const invoicePdf = generatedFile('send-generated-invoice-pdf.json', 'Generate invoice PDF');

function orderText(customer, orderId, total, eta) {
	return (
		`Hi ${customer}, thanks for your order ${orderId}! Total: ${total}. Expected delivery: ${eta}. ` +
		`Track it at https://shop.example.com/orders/${orderId}`
	);
}

/**
 * Per example file: `messages`, the accepted messages in the order sent (sandbox record fields;
 * messageId and receivedAt are checked separately), `reads`, how many GETs the run makes (default 0), and `outputs`, for each Kaleyra node the items
 * n8n must output (messageId is filled in from the sandbox record, by position). A workflow that
 * starts from the Kaleyra WhatsApp Trigger has `customer`: the message the sandbox posts to its
 * production URL (trigger-in-n8n.test.js). A workflow that asks and waits has `asking` (its
 * ASKING_EXAMPLES entry: the order posted to its Webhook, the button tapped), its trigger example
 * `handsOverFor`; both run published in kaleyra-whatsapp-in-n8n.test.js, where the others run headless.
 */
module.exports = {
	'order-confirmation.json': {
		story: 'order confirmation: one text per order, each built from its item with expressions',
		messages: [
			v2(
				'+919812345678',
				'text',
				{
					text: { body: orderText('Asha', 'A-1001', 'INR 1499.00', 'Thursday'), preview_url: true },
				},
				{ ref: 'A-1001', ref1: 'order-confirmation' },
			),
			v2(
				'+919876543210',
				'text',
				{ text: { body: orderText('Rahul', 'A-1002', 'INR 249.50', 'Friday'), preview_url: true } },
				{ ref: 'A-1002', ref1: 'order-confirmation' },
			),
			v2(
				'+6591234567',
				'text',
				{
					text: { body: orderText('Mei Ling', 'A-1003', 'SGD 86.90', 'Monday'), preview_url: true },
				},
				{ ref: 'A-1003', ref1: 'order-confirmation' },
			),
		],
		outputs: {
			'Send order confirmation': [
				{
					message: 0,
					to: '+919812345678',
					type: 'text',
					ref: 'A-1001',
					ref1: 'order-confirmation',
				},
				{
					message: 1,
					to: '+919876543210',
					type: 'text',
					ref: 'A-1002',
					ref1: 'order-confirmation',
				},
				{ message: 2, to: '+6591234567', type: 'text', ref: 'A-1003', ref1: 'order-confirmation' },
			],
		},
	},
	'order-shipped-template.json': {
		story:
			'order shipped → template: the approved order_shipped template, its variables mapped from each shipment',
		/** The template's definition, read once for the whole run (not once per item). */
		reads: 1,
		messages: [
			['+919812345678', 'Asha', 'A-1001', 'Thursday'],
			['+919876543210', 'Rahul', 'A-1002', 'Friday'],
		].map(([to, customer, orderId, arrives]) =>
			v2(
				to,
				'template',
				{
					template: {
						name: 'order_shipped',
						language: { code: 'en' },
						components: [
							{ type: 'header', parameters: [{ type: 'text', text: orderId }] },
							{
								type: 'body',
								parameters: [
									{ type: 'text', text: customer },
									{ type: 'text', text: orderId },
									{ type: 'text', text: arrives },
								],
							},
							{
								type: 'button',
								sub_type: 'url',
								index: '0',
								parameters: [{ type: 'text', text: orderId }],
							},
						],
					},
				},
				{ ref: orderId, ref1: 'order-shipped' },
			),
		),
		outputs: {
			'Send shipping template': [
				{ message: 0, to: '+919812345678', type: 'template', ref: 'A-1001', ref1: 'order-shipped' },
				{ message: 1, to: '+919876543210', type: 'template', ref: 'A-1002', ref1: 'order-shipped' },
			],
		},
	},
	'answer-incoming-message.json': {
		story:
			'answer an incoming message: the trigger starts on it, a reply quotes it, a reaction marks it',
		customer: INCOMING_TEXT,
		messages: [
			v2(
				'+919812345678',
				'text',
				{
					context: { message_id: INCOMING_MESSAGE_ID },
					text: {
						body: 'Hi Asha, thanks for your message! Someone from our team will answer you within the hour.',
						preview_url: false,
					},
				},
				{ ref: 'support-reply', wa_source: 'api' },
			),
			v2(
				'+919812345678',
				'reaction',
				{ reaction: { message_id: INCOMING_MESSAGE_ID, emoji: '👍' } },
				{ ref: 'support-reaction' },
			),
		],
		outputs: {
			'Reply to the customer': [
				{ message: 0, to: '+919812345678', type: 'text', ref: 'support-reply' },
			],
			'React with a thumbs-up': [
				{ message: 1, to: '+919812345678', type: 'reaction', ref: 'support-reaction' },
			],
		},
	},
	'book-appointment-with-flow.json': {
		story:
			"book an appointment with a Flow: the Flow's answer (flowResponse, flowToken) gets the booking confirmed",
		customer: FLOW_ANSWER,
		messages: [
			v2(
				'+919812345678',
				'text',
				{
					text: {
						body: `Thank you, Asha! Your appointment is booked for 2026-12-09 at 10:30. Your reference: ${FLOW_ANSWER.flowToken}.`,
						preview_url: false,
					},
				},
				{ ref: FLOW_ANSWER.flowToken, ref1: 'appointment-booked' },
			),
		],
		outputs: {
			'Confirm the booking': [
				{ message: 0, to: '+919812345678', type: 'text', ref: FLOW_ANSWER.flowToken },
			],
			'Send the booking Flow': [],
		},
	},
	'save-invoice-photo.json': {
		story:
			'save the invoice photo a customer sends: Download Media fetches it, Read/Write Files saves it, a reply thanks the customer',
		customer: INVOICE_PHOTO,
		messages: [
			v2(
				'+919812345678',
				'text',
				{
					context: { message_id: INVOICE_PHOTO.messageId },
					text: {
						body: 'Thanks, we received your invoice and will process it today.',
						preview_url: false,
					},
				},
				{ ref: 'invoice-received' },
			),
		],
		// The trigger names a photo after its message ID; Read/Write Files saves it under that name.
		savedFile: {
			name: `image-${INVOICE_PHOTO.messageId.replace(/[^A-Za-z0-9_-]+/g, '_')}.jpg`,
			base64: INVOICE_PHOTO.file.data,
		},
		outputs: {
			'Thank the customer': [
				{ message: 0, to: '+919812345678', type: 'text', ref: 'invoice-received' },
			],
		},
	},
	'route-button-reply.json': {
		story: 'route a reply-button tap: "yes" gets the delivery confirmation, quoting the tap',
		customer: BUTTON_TAP,
		messages: [
			v2(
				'+919812345678',
				'text',
				{
					context: { message_id: TAP_MESSAGE_ID },
					text: {
						body: 'Great, Asha! We will deliver tomorrow between 10:00 and 12:00.',
						preview_url: false,
					},
				},
				{ ref: 'delivery-confirmed' },
			),
		],
		outputs: {
			'Confirm the delivery': [
				{ message: 0, to: '+919812345678', type: 'text', ref: 'delivery-confirmed' },
			],
			'Offer another time': [],
			'Ask again': [],
		},
	},
	'send-invoice-pdf.json': {
		story: 'send an invoice PDF: a document by link with caption and file name',
		messages: [
			v2(
				'+919876543210',
				'document',
				{
					document: {
						link: 'https://billing.example.com/invoices/INV-2025-0042.pdf',
						caption:
							'Hello Rahul Mehta, here is invoice INV-2025-0042 for INR 4,250.00. Thank you for your business!',
						filename: 'INV-2025-0042.pdf',
					},
				},
				{ ref: 'INV-2025-0042', ref1: 'billing' },
			),
		],
		outputs: {
			'Send invoice PDF': [
				{
					message: 0,
					to: '+919876543210',
					type: 'document',
					ref: 'INV-2025-0042',
					ref1: 'billing',
				},
			],
		},
	},
	'yes-no-question.json': {
		story: 'a yes/no question: reply buttons with an image header, through the v1 API',
		messages: [
			{
				api: 'v1',
				businessNumber: BUSINESS_NUMBER,
				to: '+919812345678',
				type: 'reply',
				payload: {
					to: '+919812345678',
					from: BUSINESS_NUMBER,
					channel: 'WhatsApp',
					type: 'reply',
					body: 'Hi Asha, can we deliver order A-1001 tomorrow, 10:00-12:00?',
					action: {
						buttons: [
							{ type: 'reply', reply: { id: 'yes', title: 'Yes' } },
							{ type: 'reply', reply: { id: 'no', title: 'No' } },
						],
					},
					footer: 'Tap a button to answer',
					header_type: 'image',
					header_value: 'https://cdn.example.com/images/delivery-van.jpg',
					caption: 'Your order is on its way',
					callback_url: 'https://n8n.example.com/webhook/kaleyra-status',
					ref: 'A-1001',
					ref1: 'delivery-slot',
				},
			},
		],
		outputs: {
			// Node version 1.1 says "interactive" (version 1 said Kaleyra's v1 word "reply").
			'Ask yes or no': [
				{
					message: 0,
					to: '+919812345678',
					type: 'interactive',
					ref: 'A-1001',
					ref1: 'delivery-slot',
				},
			],
		},
	},
	'product-list-from-shop-order.json': {
		story:
			"a product list from a shop order: the list's rows from one expression over the order's line items",
		messages: [
			v2(
				'+919812345678',
				'interactive',
				{
					interactive: {
						type: 'list',
						header: { type: 'text', text: 'Order A-1001' },
						body: {
							text: 'Hi Asha, your order A-1001 was delivered. Which product would you like to review?',
						},
						footer: { text: 'Reviews help other shoppers' },
						action: {
							button: 'Choose a product',
							sections: [
								{
									rows: [
										{ id: 'TSHIRT-42', title: 'Blue T-shirt (M)', description: '2 × INR 799.00' },
										{ id: 'MUG-7', title: 'Coffee mug', description: '1 × INR 349.00' },
										{ id: 'CAP-3', title: 'Baseball cap', description: '1 × INR 499.00' },
									],
								},
							],
						},
					},
				},
				{ ref: 'A-1001', ref1: 'review-request', wa_source: 'shopify' },
			),
		],
		outputs: {
			'Ask which product to review': [
				{
					message: 0,
					to: '+919812345678',
					type: 'interactive',
					ref: 'A-1001',
					ref1: 'review-request',
				},
			],
		},
	},
	'send-generated-invoice-pdf.json': {
		story:
			'send the invoice PDF the workflow generated: binary data uploaded (multipart), then sent by its media ID',
		uploads: [
			{
				businessNumber: BUSINESS_NUMBER,
				mimeType: 'application/pdf',
				kind: 'document',
				filename: invoicePdf.fileName,
				partContentType: 'application/pdf',
				size: invoicePdf.size,
				sha256: invoicePdf.sha256,
			},
		],
		statuses: [200, 202],
		messages: [
			v2(
				'+919876543210',
				'document',
				{
					document: {
						id: '<upload 0>',
						caption: 'Hello Rahul Mehta, here is invoice INV-2025-0042 for INR 4,250.00.',
						filename: 'INV-2025-0042.pdf',
					},
				},
				{ ref: 'INV-2025-0042', ref1: 'billing' },
			),
		],
		outputs: {
			'Upload the PDF to Kaleyra': [
				{
					json: {
						mediaId: '<upload 0>',
						mediaType: 'document',
						mimeType: 'application/pdf',
						fileName: 'INV-2025-0042.pdf',
						fileSize: invoicePdf.size,
						status: 'uploaded',
						code: 'WA200',
					},
				},
			],
			'Send the invoice': [
				{
					message: 0,
					to: '+919876543210',
					type: 'document',
					ref: 'INV-2025-0042',
					ref1: 'billing',
				},
			],
		},
	},
	'store-location-on-request.json': {
		story:
			'mark an incoming message read with a typing indicator, send the store location, then ask for theirs',
		messages: [
			{
				api: 'v2',
				businessNumber: BUSINESS_NUMBER,
				to: null,
				type: 'read',
				payload: {
					messaging_object: {
						messaging_product: 'whatsapp',
						status: 'read',
						message_id:
							'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAEhggQjdDMEFBNzNGQjdGMkY5RDM1RTBCQjVCMEY1QjcA',
						typing_indicator: { type: 'text' },
					},
				},
			},
			v2(
				'+919812345678',
				'location',
				{
					location: {
						latitude: 12.9716,
						longitude: 77.6412,
						name: 'Indiranagar store',
						address: '100 Feet Rd, Indiranagar, Bengaluru 560038',
					},
				},
				{ ref: 'store-location' },
			),
			v2(
				'+919812345678',
				'interactive',
				{
					interactive: {
						type: 'location_request_message',
						body: { text: 'Or share your location, Asha, and we will deliver to you.' },
						action: { name: 'send_location' },
					},
				},
				{ ref: 'location-request' },
			),
		],
		outputs: {
			'Mark as read': [
				{
					json: {
						messageId: 'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAEhggQjdDMEFBNzNGQjdGMkY5RDM1RTBCQjVCMEY1QjcA',
						status: 'read',
						typingIndicator: true,
						code: 'WA202',
					},
				},
			],
			'Send the store location': [
				{ message: 1, to: '+919812345678', type: 'location', ref: 'store-location' },
			],
			'Ask for their location': [
				{ message: 2, to: '+919812345678', type: 'interactive', ref: 'location-request' },
			],
		},
	},
	'confirm-delivery-slot.json': {
		story:
			'confirm the delivery slot: Send and Wait asks with three slots, the execution waits, the customer taps "Tomorrow 14-16", the trigger hands the tap over, the slot is confirmed',
		asking: DELIVERY_SLOT,
		messages: [
			v2(
				'+919812345678',
				'interactive',
				{
					interactive: {
						type: 'button',
						body: {
							text: 'Hi Asha, your order A-1001 is ready. When should we deliver it? Tap a slot.',
						},
						footer: { text: 'We hold the slot for 4 hours' },
						action: {
							buttons: [
								slotButton('tomorrow-am', 'Tomorrow 10-12'),
								slotButton('tomorrow-pm', 'Tomorrow 14-16'),
								slotButton('saturday-am', 'Saturday 10-12'),
							],
						},
					},
				},
				{ ref: 'A-1001', ref1: 'delivery-slot' },
			),
			v2(
				'+919812345678',
				'text',
				{
					text: {
						body: 'Thank you, Asha! We will deliver order A-1001 in your slot: Tomorrow 14-16.',
						preview_url: false,
					},
				},
				{ ref: 'A-1001', ref1: 'delivery-slot-tomorrow-pm' },
			),
		],
		outputs: {
			// The answer, about the question (message 0); answeredAt is checked to be the tap's time.
			'Ask for a delivery slot': [
				{
					json: {
						answered: true,
						value: 'tomorrow-pm',
						label: 'Tomorrow 14-16',
						from: '+919812345678',
						messageId: '<message 0>',
						timedOut: false,
					},
				},
			],
			'Confirm the slot': [
				{
					message: 1,
					to: '+919812345678',
					type: 'text',
					ref: 'A-1001',
					ref1: 'delivery-slot-tomorrow-pm',
				},
			],
			'Close the question': [],
		},
	},
	'send-and-wait-answers.json': {
		story:
			'the trigger that hands Send and Wait taps over to the waiting execution (it sends nothing itself)',
		handsOverFor: 'confirm-delivery-slot.json',
	},
};
