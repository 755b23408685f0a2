import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { isEmpty, leaf, link, optionalText, text } from '../../shared/checks';
import { LIMITS, MEDIA_HEADERS } from '../../shared/limits';
import { PENDING_UPLOAD } from '../../shared/media';
import type { BinaryFile, KaleyraRequest, MediaKind, ResolvedParameters } from '../../shared/types';
import { bodyProperty, str, v2Labels, v2Message } from './fields';

/**
 * What the v2 interactive messages share (docs/kaleyra-api.md §2, §5.2): a body, a footer, a header of
 * text or (for buttons and the CTA URL button) an image, video or document by link, media ID or
 * the item's binary data, which is uploaded first.
 */

/** The label of the message's one button (a list's opener, a link button). */
export function buttonLabelProperty(placeholder: string, description: string): INodeProperties {
	return {
		displayName: 'Button Label',
		name: 'buttonText',
		type: 'string',
		default: '',
		required: true,
		placeholder,
		description,
	};
}

export const interactiveBody = bodyProperty(
	'The message above the buttons or the list.',
	LIMITS.body,
);

export const footerProperty: INodeProperties = {
	displayName: 'Footer',
	name: 'footer',
	type: 'string',
	default: '',
	description: `Small grey text under the message, up to ${LIMITS.footer} characters`,
};

/** The binary property a file is read from (n8n's own name and wording for it). */
export const binaryPropertyField: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	placeholder: 'data',
	hint: 'The name of the input binary field containing the file to be sent',
};

/** Header fields: text only (lists), or text and media (buttons, CTA URL). */
export function headerProperties(withMedia: boolean): INodeProperties[] {
	const types = [
		{ name: 'Document', value: 'document' },
		{ name: 'Image', value: 'image' },
		{ name: 'None', value: 'none' },
		{
			name: 'Text',
			value: 'text',
			description: `A bold line above the body, up to ${LIMITS.headerText} characters`,
		},
		{ name: 'Video', value: 'video' },
	];
	const headerFields: INodeProperties[] = [
		{
			displayName: 'Header',
			name: 'headerType',
			type: 'options',
			default: 'none',
			options: withMedia
				? types
				: types.filter((type) => type.value === 'none' || type.value === 'text'),
		},
		{
			displayName: 'Header Text',
			name: 'headerText',
			type: 'string',
			default: '',
			description: `A bold line above the body, up to ${LIMITS.headerText} characters`,
			displayOptions: { show: { headerType: ['text'] } },
		},
	];
	if (!withMedia) return headerFields;
	return [
		...headerFields,
		{
			displayName: 'Header Media Source',
			name: 'headerMediaSource',
			type: 'options',
			default: 'link',
			options: [
				{
					name: 'Public Link',
					value: 'link',
					description: 'An http(s) URL WhatsApp can download without logging in',
				},
				{
					name: 'Uploaded Media ID',
					value: 'id',
					description: 'The ID of a file uploaded to Kaleyra (Media → Upload)',
				},
				{
					name: 'Binary Data',
					value: 'binary',
					description: "A file in the item's binary data, uploaded to Kaleyra first",
				},
			],
			displayOptions: { show: { headerType: MEDIA_HEADERS } },
		},
		{
			displayName: 'Header Media Link',
			name: 'headerMediaLink',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/product.png',
			description: 'Public http(s) URL of the image, video or document',
			displayOptions: { show: { headerType: MEDIA_HEADERS, headerMediaSource: ['link'] } },
		},
		{
			displayName: 'Header Media ID',
			name: 'headerMediaId',
			type: 'string',
			default: '',
			description: 'The media ID from a Kaleyra media upload',
			displayOptions: { show: { headerType: MEDIA_HEADERS, headerMediaSource: ['id'] } },
		},
		{
			...binaryPropertyField,
			displayOptions: { show: { headerType: MEDIA_HEADERS, headerMediaSource: ['binary'] } },
		},
	];
}

/** The binary property a media header comes from, when its source is Binary Data. */
export function headerBinaryInput(p: ResolvedParameters): string | undefined {
	return MEDIA_HEADERS.includes(str(p.headerType)) && str(p.headerMediaSource) === 'binary'
		? str(p.binaryPropertyName)
		: undefined;
}

function header(p: ResolvedParameters): IDataObject | undefined {
	const type = str(p.headerType);
	if (type === '' || type === 'none') return undefined;
	if (type === 'text') return { type, text: str(p.headerText) };
	const source = str(p.headerMediaSource);
	const media =
		source === 'id'
			? { id: str(p.headerMediaId).trim() }
			: source === 'binary'
				? { id: PENDING_UPLOAD }
				: { link: str(p.headerMediaLink).trim() };
	return { type, [type]: media };
}

/**
 * A v2 interactive message: header (from the header fields), body, footer and the type's action.
 * A header from binary data is uploaded before the send; its media ID goes into the header.
 */
export function interactiveMessage(
	p: ResolvedParameters,
	type: string,
	action: IDataObject,
	body = str(p.body),
): KaleyraRequest {
	const interactive: IDataObject = { type };
	const head = header(p);
	if (head !== undefined) interactive.header = head;
	interactive.body = { text: body };
	if (str(p.footer) !== '') interactive.footer = { text: str(p.footer) };
	interactive.action = action;
	const request = v2Message(p, 'interactive', { interactive });
	const file = p.binaryFile as BinaryFile | undefined;
	if (head !== undefined && file !== undefined) {
		const kind = String(head.type) as MediaKind;
		request.upload = {
			kind,
			file,
			idPath: ['messaging_object', 'interactive', 'header', kind, 'id'],
		};
	}
	return request;
}

const headerSchema = (allowed: string[]) =>
	z.unknown().superRefine((value, ctx) => {
		if (value === undefined) return;
		const h = value as IDataObject;
		const type = String(h.type);
		if (!allowed.includes(type)) {
			ctx.addIssue({
				code: 'custom',
				path: ['type'],
				message: `"${type}" is not a header this message can have. Use ${allowed.join(' or ')}.`,
			});
			return;
		}
		if (type === 'text') {
			const problem = text(LIMITS.headerText, 'the header text')(h.text);
			if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: problem });
			return;
		}
		const media = (h[type] ?? {}) as IDataObject;
		const problem =
			media.link !== undefined
				? link(`header ${type}`)(media.link)
				: isEmpty(media.id)
					? `it is empty. Enter the ID of the uploaded ${type}.`
					: undefined;
		if (problem !== undefined)
			ctx.addIssue({
				code: 'custom',
				path: [type, media.link !== undefined ? 'link' : 'id'],
				message: problem,
			});
	});

/** The schema of an interactive message: the common parts, plus the type's own action. */
export function interactiveSchema(
	headers: string[],
	action: z.ZodTypeAny,
	bodyMax: number = LIMITS.body,
) {
	return z.object({
		interactive: z.object({
			header: headerSchema(headers),
			body: z.object({ text: leaf(text(bodyMax, 'the message text')) }),
			footer: z.object({ text: leaf(optionalText(LIMITS.footer)) }).optional(),
			action,
		}),
	});
}

export const MEDIA_AND_TEXT_HEADERS = ['text', ...MEDIA_HEADERS];

/** Where issues in the common parts point in the UI: the fields they come from, whose labels the checks show. */
export const interactiveLabels: Record<string, string> = {
	...v2Labels,
	'body.messaging_object.interactive.header.type': 'headerType',
	'body.messaging_object.interactive.header.text': 'headerText',
	'body.messaging_object.interactive.body.text': 'body',
	'body.messaging_object.interactive.footer.text': 'footer',
};

/** Where issues in a media header point, for the messages that can have one (headerProperties(true)). */
export const mediaHeaderLabels: Record<string, string> = {
	...Object.fromEntries(
		MEDIA_HEADERS.flatMap((kind) => [
			[`body.messaging_object.interactive.header.${kind}.link`, 'headerMediaLink'],
			[`body.messaging_object.interactive.header.${kind}.id`, 'headerMediaId'],
		]),
	),
	upload: 'binaryPropertyName',
};
