import type { IDataObject } from 'n8n-workflow';

import { bodyProperty, optional, str, v1Message } from './common';
import type { KaleyraOperation } from './types';

const mediaHeaders = ['image', 'video', 'document'];

interface ButtonField {
	id?: unknown;
	title?: unknown;
}

export const sendReplyButtons: KaleyraOperation = {
	value: 'sendReplyButtons',
	name: 'Send Reply Buttons',
	action: 'Send a message with reply buttons',
	description: 'Ask a question with up to 3 tap-to-answer buttons; the tap comes back as an incoming message',
	properties: [
		bodyProperty('The question or message above the buttons.', 1024),
		{
			displayName: 'Buttons',
			name: 'buttons',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			default: { button: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] },
			placeholder: 'Add Button',
			description: 'One to three buttons. Titles must differ; the ID comes back in the tap.',
			options: [
				{
					displayName: 'Button',
					name: 'button',
					values: [
						{
							displayName: 'Title',
							name: 'title',
							type: 'string',
							default: '',
							description: 'The label on the button, up to 20 characters',
						},
						{
							displayName: 'ID',
							name: 'id',
							type: 'string',
							default: '',
							description:
								'What your workflow receives when the customer taps it (the button ID in interactive.button_reply), up to 256 characters. Empty: the title is used.',
						},
					],
				},
			],
		},
		{
			displayName: 'Footer',
			name: 'footer',
			type: 'string',
			default: '',
			description: 'Small grey text under the message, up to 60 characters',
		},
		{
			displayName: 'Header',
			name: 'headerType',
			type: 'options',
			default: 'none',
			options: [
				{ name: 'Document', value: 'document', description: 'A document from a public link' },
				{ name: 'Image', value: 'image', description: 'An image from a public link' },
				{ name: 'None', value: 'none' },
				{ name: 'Text', value: 'text', description: 'A bold line above the body, up to 60 characters' },
				{ name: 'Video', value: 'video', description: 'A video from a public link' },
			],
		},
		{
			displayName: 'Header Text',
			name: 'headerText',
			type: 'string',
			default: '',
			description: 'Up to 60 characters',
			displayOptions: { show: { headerType: ['text'] } },
		},
		{
			displayName: 'Header Media Link',
			name: 'headerMediaLink',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/product.png',
			description: 'Public http(s) URL of the image, video or document',
			displayOptions: { show: { headerType: mediaHeaders } },
		},
		{
			displayName: 'Header Caption',
			name: 'headerCaption',
			type: 'string',
			default: '',
			description: 'Caption of the header media',
			displayOptions: { show: { headerType: mediaHeaders } },
		},
		{
			displayName: 'Callback URL',
			name: 'callbackUrl',
			type: 'string',
			default: '',
			placeholder: 'https://your-n8n.example.com/webhook/kaleyra-status',
			description: "Where Kaleyra posts this message's delivery statuses (for example an n8n Webhook URL). Empty: the account's callback profile.",
		},
	],
	fieldLabels: {
		from: 'Business Number',
		to: 'Recipient',
		'fields.to': 'Recipient',
		'fields.from': 'Business Number',
		'fields.body': 'Body',
		'fields.footer': 'Footer',
		'fields.action.buttons': 'Buttons',
		'fields.action.buttons.#.reply.title': 'Button {n} → Title',
		'fields.action.buttons.#.reply.id': 'Button {n} → ID',
		'fields.header_type': 'Header',
		'fields.header_value.text': 'Header Text',
		'fields.header_value.link': 'Header Media Link',
		'fields.caption': 'Header Caption',
		'fields.callback_url': 'Callback URL',
		'fields.ref': 'Options → Reference (Ref)',
		'fields.ref1': 'Options → Reference 1 (Ref1)',
		'fields.ref2': 'Options → Reference 2 (Ref2)',
	},
	build: (p) => {
		const collection = (p.buttons ?? {}) as { button?: ButtonField[] };
		const buttons = (collection.button ?? []).map((button) => {
			const title = str(button.title).trim();
			const id = str(button.id).trim();
			return { type: 'reply', reply: { id: id === '' ? title : id, title } };
		});
		const fields: IDataObject = { body: str(p.body), action: { buttons } };
		optional(fields, 'footer', p.footer);
		const headerType = str(p.headerType);
		if (headerType !== '' && headerType !== 'none') {
			fields.header_type = headerType;
			fields.header_value = str(headerType === 'text' ? p.headerText : p.headerMediaLink).trim();
			if (mediaHeaders.includes(headerType)) optional(fields, 'caption', p.headerCaption);
		}
		optional(fields, 'callback_url', str(p.callbackUrl).trim());
		return v1Message(p, 'reply', fields);
	},
};
