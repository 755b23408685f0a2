import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { z } from 'zod';

import {
	leaf,
	link,
	optionalLink,
	optionalText,
	phone,
	reference,
	text,
} from '../../shared/checks';
import { LIMITS, MEDIA_HEADERS } from '../../shared/limits';
import type { KaleyraOperation } from '../../shared/types';
import {
	addressProperties,
	bodyProperty,
	messageOptions,
	optional,
	str,
	v1Message,
} from './fields';

/** 1 to 3 reply buttons, titles and IDs unique; shared with the v2 reply buttons. */
export const buttonsSchema = z.unknown().superRefine((value, ctx) => {
	const buttons = Array.isArray(value)
		? (value as Array<{ reply: { id: unknown; title: unknown } }>)
		: [];
	if (buttons.length < 1 || buttons.length > LIMITS.replyButtons) {
		ctx.addIssue({
			code: 'custom',
			message: `WhatsApp allows 1 to ${LIMITS.replyButtons} reply buttons; this message has ${buttons.length}. ${buttons.length > LIMITS.replyButtons ? 'Remove' : 'Add'} buttons.`,
		});
	}
	// Every button is checked too, so one run names every problem (a 4th button and a long title).

	const seenTitles = new Map<string, number>();
	const seenIds = new Map<string, number>();
	buttons.forEach(({ reply }, index) => {
		const titleProblem = text(LIMITS.buttonLabel, 'the button label')(reply.title);
		if (titleProblem !== undefined)
			ctx.addIssue({ code: 'custom', message: titleProblem, path: [index, 'reply', 'title'] });
		const idProblem = optionalText(LIMITS.buttonId)(reply.id);
		if (idProblem !== undefined)
			ctx.addIssue({ code: 'custom', message: idProblem, path: [index, 'reply', 'id'] });
		const title = String(reply.title).toLowerCase();
		const id = String(reply.id);
		if (titleProblem === undefined && seenTitles.has(title))
			ctx.addIssue({
				code: 'custom',
				path: [index, 'reply', 'title'],
				message: `"${String(reply.title)}" is also the title of button ${seenTitles.get(title)! + 1}. WhatsApp needs different titles.`,
			});
		else if (idProblem === undefined && seenIds.has(id))
			ctx.addIssue({
				code: 'custom',
				path: [index, 'reply', 'id'],
				message: `"${id}" is also the ID of button ${seenIds.get(id)! + 1}. Give each button its own ID.`,
			});
		seenTitles.set(title, index);
		seenIds.set(id, index);
	});
});

const replyButtonsSchema = z
	.object({
		to: leaf(phone),
		from: leaf(phone),
		body: leaf(text(LIMITS.body, 'the message text')),
		footer: leaf(optionalText(LIMITS.footer)),
		action: z.object({ buttons: buttonsSchema }),
		header_type: z.unknown(),
		header_value: z.unknown(),
		caption: leaf(optionalText(LIMITS.caption)),
		callback_url: leaf(optionalLink),
		ref: reference,
		ref1: reference,
		ref2: reference,
	})
	.superRefine((f, ctx) => {
		if (f.header_type === undefined) return;
		const type = String(f.header_type);
		let problem: string | undefined;
		if (type === 'text') problem = text(LIMITS.headerText, 'the header text')(f.header_value);
		else if (MEDIA_HEADERS.includes(type)) problem = link(`header ${type}`)(f.header_value);
		else {
			ctx.addIssue({
				code: 'custom',
				path: ['header_type'],
				message: `"${type}" is not a header type. Use text, image, video or document.`,
			});
			return;
		}
		// The same form field is filled from Header Text or Header Media Link: name the one the user sees.
		if (problem !== undefined)
			ctx.addIssue({
				code: 'custom',
				path: ['header_value', type === 'text' ? 'text' : 'link'],
				message: problem,
			});
	});

/** The reply buttons, shared with the v2 reply buttons. */
export const buttonsProperty: INodeProperties = {
	displayName: 'Buttons',
	name: 'buttons',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true, maxAllowedFields: LIMITS.replyButtons },
	default: {
		button: [
			{ id: 'yes', title: 'Yes' },
			{ id: 'no', title: 'No' },
		],
	},
	placeholder: 'Add Button',
	description: 'One to three buttons. Titles must differ; the ID comes back in the tap.',
	hint: `At most ${LIMITS.replyButtons} buttons; titles up to ${LIMITS.buttonLabel} characters, all different`,
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
					description: `The label on the button, up to ${LIMITS.buttonLabel} characters`,
					hint: `Up to ${LIMITS.buttonLabel} characters`,
				},
				{
					displayName: 'ID',
					name: 'id',
					type: 'string',
					default: '',
					description: `What your workflow receives when the customer taps it (the button ID in interactive.button_reply), up to ${LIMITS.buttonId} characters. Empty: the title is used.`,
					hint: `Up to ${LIMITS.buttonId} characters; empty: the title is used`,
				},
			],
		},
	],
};

interface ButtonField {
	id?: unknown;
	title?: unknown;
}

/** The Buttons field as WhatsApp's buttons; an empty ID takes the title, so the tap can still be told apart. */
export function replyButtons(value: unknown): IDataObject[] {
	const collection = (value ?? {}) as { button?: ButtonField[] };
	return (collection.button ?? []).map((button) => {
		const title = str(button.title).trim();
		const id = str(button.id).trim();
		return { type: 'reply', reply: { id: id === '' ? title : id, title } };
	});
}

export const sendReplyButtons: KaleyraOperation = {
	value: 'sendReplyButtons',
	name: 'Send Reply Buttons',
	action: 'Send a message with reply buttons',
	description:
		"Up to 3 tap-to-answer buttons through Kaleyra's v1 API, with a Callback URL for this message's statuses; header media by public link. For a number on API v2, or a header from binary data, use Send Reply Buttons (API V2).",
	properties: [
		...addressProperties,
		bodyProperty('The question or message above the buttons.', LIMITS.body),
		buttonsProperty,
		{
			displayName: 'Footer',
			name: 'footer',
			type: 'string',
			default: '',
			description: `Small grey text under the message, up to ${LIMITS.footer} characters`,
			hint: `Up to ${LIMITS.footer} characters`,
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
				{
					name: 'Text',
					value: 'text',
					description: `A bold line above the body, up to ${LIMITS.headerText} characters`,
				},
				{ name: 'Video', value: 'video', description: 'A video from a public link' },
			],
		},
		{
			displayName: 'Header Text',
			name: 'headerText',
			type: 'string',
			default: '',
			description: 'A bold line above the body',
			hint: `Up to ${LIMITS.headerText} characters`,
			displayOptions: { show: { headerType: ['text'] } },
		},
		{
			displayName: 'Header Media Link',
			name: 'headerMediaLink',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/product.png',
			description: 'Public http(s) URL of the image, video or document',
			displayOptions: { show: { headerType: MEDIA_HEADERS } },
		},
		{
			displayName: 'Header Caption',
			name: 'headerCaption',
			type: 'string',
			default: '',
			description: 'Caption of the header media',
			displayOptions: { show: { headerType: MEDIA_HEADERS } },
		},
		{
			displayName: 'Callback URL',
			name: 'callbackUrl',
			type: 'string',
			default: '',
			placeholder: 'https://your-n8n.example.com/webhook/kaleyra-status',
			hint: "Optional: where Kaleyra sends this message's statuses, e.g. a Kaleyra WhatsApp Trigger's Production URL (with Status events on). Empty: your callback profile's URL.",
			description:
				"Where Kaleyra posts this message's delivery statuses, as GET requests with the status in the query. Empty: the account's callback profile.",
		},
		messageOptions(false),
	],
	fieldLabels: {
		from: 'businessNumber',
		to: 'recipient',
		'fields.to': 'recipient',
		'fields.from': 'businessNumber',
		'fields.body': 'body',
		'fields.footer': 'footer',
		'fields.action.buttons': 'buttons',
		'fields.action.buttons.#.reply.title': 'buttons.button.title',
		'fields.action.buttons.#.reply.id': 'buttons.button.id',
		'fields.header_type': 'headerType',
		'fields.header_value.text': 'headerText',
		'fields.header_value.link': 'headerMediaLink',
		'fields.caption': 'headerCaption',
		'fields.callback_url': 'callbackUrl',
		'fields.ref': 'options.ref',
		'fields.ref1': 'options.ref1',
		'fields.ref2': 'options.ref2',
	},
	build: (p) => {
		const fields: IDataObject = { body: str(p.body), action: { buttons: replyButtons(p.buttons) } };
		optional(fields, 'footer', p.footer);
		const headerType = str(p.headerType);
		if (headerType !== '' && headerType !== 'none') {
			fields.header_type = headerType;
			fields.header_value = str(headerType === 'text' ? p.headerText : p.headerMediaLink).trim();
			if (MEDIA_HEADERS.includes(headerType)) optional(fields, 'caption', p.headerCaption);
		}
		optional(fields, 'callback_url', str(p.callbackUrl).trim());
		// Kaleyra's v1 form says type=reply; the output item says "interactive" (what WhatsApp calls
		// the message, and what Send Interactive Buttons outputs) from node version 1.1, so that it
		// is not read as Send Reply. Version 1 workflows keep "reply".
		return {
			...v1Message(p, 'reply', fields),
			type: (p.nodeVersion ?? 1) >= 1.1 ? 'interactive' : 'reply',
		};
	},
	schema: replyButtonsSchema,
};
