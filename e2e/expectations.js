'use strict';
/**
 * What Kaleyra must receive for each workflow in examples/, written out by hand from the examples'
 * sample data: if an example or the node changes what goes over the wire, the suite says so.
 */
const BUSINESS_NUMBER = '+919845098450';
const { CUSTOMER_MESSAGES } = require('../scripts/callbacks');

const INCOMING_TEXT = CUSTOMER_MESSAGES['answer-incoming-message.json'];
const INCOMING_MESSAGE_ID = INCOMING_TEXT.messageId;
const BUTTON_TAP = CUSTOMER_MESSAGES['route-button-reply.json'];
const TAP_MESSAGE_ID = BUTTON_TAP.messageId;

function v2(to, type, content, extraInfo) {
	return {
		api: 'v2',
		businessNumber: BUSINESS_NUMBER,
		to,
		type,
		payload: {
			messaging_object: { messaging_product: 'whatsapp', recipient_type: 'individual', to, type, ...content },
			extra_info: extraInfo,
		},
	};
}

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
 * production URL (trigger-in-n8n.test.js); the others run headless (kaleyra-whatsapp-in-n8n.test.js).
 */
module.exports = {
	'order-confirmation.json': {
		story: 'order confirmation: one text per order, each built from its item with expressions',
		messages: [
			v2('+919812345678', 'text', { text: { body: orderText('Asha', 'A-1001', 'INR 1499.00', 'Thursday'), preview_url: true } }, { ref: 'A-1001', ref1: 'order-confirmation' }),
			v2('+919876543210', 'text', { text: { body: orderText('Rahul', 'A-1002', 'INR 249.50', 'Friday'), preview_url: true } }, { ref: 'A-1002', ref1: 'order-confirmation' }),
			v2('+6591234567', 'text', { text: { body: orderText('Mei Ling', 'A-1003', 'SGD 86.90', 'Monday'), preview_url: true } }, { ref: 'A-1003', ref1: 'order-confirmation' }),
		],
		outputs: {
			'Send order confirmation': [
				{ message: 0, to: '+919812345678', type: 'text', ref: 'A-1001', ref1: 'order-confirmation' },
				{ message: 1, to: '+919876543210', type: 'text', ref: 'A-1002', ref1: 'order-confirmation' },
				{ message: 2, to: '+6591234567', type: 'text', ref: 'A-1003', ref1: 'order-confirmation' },
			],
		},
	},
	'order-shipped-template.json': {
		story: 'order shipped → template: the approved order_shipped template, its variables mapped from each shipment',
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
							{ type: 'body', parameters: [{ type: 'text', text: customer }, { type: 'text', text: orderId }, { type: 'text', text: arrives }] },
							{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: orderId }] },
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
		story: 'answer an incoming message: the trigger starts on it, a reply quotes it, a reaction marks it',
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
			v2('+919812345678', 'reaction', { reaction: { message_id: INCOMING_MESSAGE_ID, emoji: '👍' } }, { ref: 'support-reaction' }),
		],
		outputs: {
			'Reply to the customer': [{ message: 0, to: '+919812345678', type: 'text', ref: 'support-reply' }],
			'React with a thumbs-up': [{ message: 1, to: '+919812345678', type: 'reaction', ref: 'support-reaction' }],
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
					text: { body: 'Great, Asha! We will deliver tomorrow between 10:00 and 12:00.', preview_url: false },
				},
				{ ref: 'delivery-confirmed' },
			),
		],
		outputs: {
			'Confirm the delivery': [{ message: 0, to: '+919812345678', type: 'text', ref: 'delivery-confirmed' }],
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
						caption: 'Hello Rahul Mehta, here is invoice INV-2025-0042 for INR 4,250.00. Thank you for your business!',
						filename: 'INV-2025-0042.pdf',
					},
				},
				{ ref: 'INV-2025-0042', ref1: 'billing' },
			),
		],
		outputs: {
			'Send invoice PDF': [{ message: 0, to: '+919876543210', type: 'document', ref: 'INV-2025-0042', ref1: 'billing' }],
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
			'Ask yes or no': [{ message: 0, to: '+919812345678', type: 'reply', ref: 'A-1001', ref1: 'delivery-slot' }],
		},
	},
};
