import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

import { MEDIA_TYPES, isEmpty, leaf, link, optionalText } from '../../shared/checks';
import { MEDIA_LIMITS, PENDING_UPLOAD, kindOfMimeType } from '../../shared/media';
import { LIMITS } from '../../shared/limits';
import type { BinaryFile, KaleyraOperation, MediaKind } from '../../shared/types';
import { addressProperties, messageOptions, optional, str, v2Labels, v2Message } from './fields';
import { binaryPropertyField } from './interactive';

const withCaption = ['image', 'video', 'document'];

/** Media Type's value (node version 1.2) for "take the kind from the binary file's MIME type". */
const FROM_FILE = 'fromFile';

const KIND_HINTS: Record<MediaKind, string> = {
	audio: 'AAC, AMR, MP3, MP4 audio or OGG (Opus), up to 16 MB',
	document: 'PDF, TXT or Office file, up to 100 MB',
	image: 'JPEG or PNG, up to 5 MB',
	sticker: 'WebP, up to 100 KB (500 KB animated)',
	video: 'MP4 or 3GPP, up to 16 MB',
};

const kindOptions: INodePropertyOptions[] = (Object.keys(KIND_HINTS) as MediaKind[]).map(
	(kind) => ({
		name: MEDIA_LIMITS[kind].name,
		value: kind,
		description: KIND_HINTS[kind],
	}),
);

const LINK_EXAMPLES: Record<MediaKind, string> = {
	audio: 'https://example.com/voice-note.mp3',
	document: 'https://example.com/invoice-1042.pdf',
	image: 'https://example.com/product-photo.jpg',
	sticker: 'https://example.com/thank-you.webp',
	video: 'https://example.com/unboxing.mp4',
};

function mediaTypeField(defaultType: string, options: INodePropertyOptions[]): INodeProperties {
	return {
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		default: defaultType,
		options,
	};
}

/** One media object (`image`, `document`, …): an ID or a link, and the parts its type allows. */
function mediaSchema(type: string) {
	return z
		.object({
			id: z.unknown(),
			link: z.unknown(),
			caption: leaf(optionalText(LIMITS.caption)),
			filename: leaf(optionalText(240)),
		})
		.superRefine((m, ctx) => {
			const hasId = !isEmpty(m.id);
			const hasLink = !isEmpty(m.link);
			if (hasId && hasLink)
				ctx.addIssue({ code: 'custom', message: 'give either a media ID or a link, not both.' });
			else if (!hasId && m.link !== undefined) {
				const problem = link(type)(m.link);
				if (problem !== undefined)
					ctx.addIssue({ code: 'custom', message: problem, path: ['link'] });
			} else if (!hasId && !hasLink)
				ctx.addIssue({
					code: 'custom',
					message: `it is empty. Enter the ID of the uploaded ${type}.`,
					path: ['id'],
				});
			if (!isEmpty(m.caption) && !withCaption.includes(type))
				ctx.addIssue({
					code: 'custom',
					path: ['caption'],
					message: `WhatsApp shows no caption on ${type} messages. Clear the field, or send the text as a separate message.`,
				});
			if (!isEmpty(m.filename) && type !== 'document')
				ctx.addIssue({
					code: 'custom',
					path: ['filename'],
					message: 'only documents have a file name. Clear the field.',
				});
		});
}

const mediaSchemas: Record<string, z.ZodTypeAny> = Object.fromEntries(
	MEDIA_TYPES.map((type) => [type, mediaSchema(type)]),
);

/**
 * The media type sent: the one chosen, or with From the File's MIME Type the binary file's kind. A
 * file of no kind WhatsApp takes is checked as a document, whose list of types the error then names.
 */
function mediaTypeOf(chosen: string, source: string, file: BinaryFile | undefined): string {
	if (chosen !== FROM_FILE) return chosen;
	if (source !== 'binary' || file === undefined) return FROM_FILE;
	return kindOfMimeType(file.mimeType) ?? 'document';
}

export const sendMedia: KaleyraOperation = {
	value: 'sendMedia',
	name: 'Send Media',
	action: 'Send an image, video, audio, document or sticker',
	description:
		"Send an image, video, audio file, document or sticker, by public link, uploaded media ID or from the item's binary data",
	properties: [
		...addressProperties,
		{
			displayName: 'Media Source',
			name: 'mediaSource',
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
					description: 'The ID Kaleyra returned when the file was uploaded (valid 30 days)',
				},
				{
					name: 'Binary Data',
					value: 'binary',
					description:
						"A file in the item's binary data (Read File, HTTP Request, a PDF generator), uploaded to Kaleyra, then sent",
				},
			],
		},
		// Media Type follows the source. From 1.2 a file from binary data says its own type by default;
		// up to 1.1 it defaults to Image, which saved workflows rely on. The one with every choice comes
		// first: the node checks a value set by an expression against the first field of a name.
		{
			...mediaTypeField(FROM_FILE, [
				{
					name: "From the File's MIME Type",
					value: FROM_FILE,
					description: 'A PDF is sent as a document, a JPEG as an image, and so on',
				},
				...kindOptions,
			]),
			displayOptions: { show: { '@version': [{ _cnd: { gte: 1.2 } }], mediaSource: ['binary'] } },
		},
		{
			...mediaTypeField('image', kindOptions),
			displayOptions: {
				show: { '@version': [{ _cnd: { gte: 1.2 } }], mediaSource: ['link', 'id'] },
			},
		},
		{ ...mediaTypeField('image', kindOptions), displayOptions: { show: { '@version': [1, 1.1] } } },
		// One Media Link per type, so that its example is a file of the type chosen.
		...MEDIA_TYPES.map((type): INodeProperties => ({
			displayName: 'Media Link',
			name: 'mediaLink',
			type: 'string',
			default: '',
			required: true,
			placeholder: LINK_EXAMPLES[type],
			description: 'Public http(s) URL of the file; the server must send the right Content-Type',
			displayOptions: { show: { mediaSource: ['link'], mediaType: [type] } },
		})),
		{
			displayName: 'Media ID',
			name: 'mediaId',
			type: 'string',
			default: '',
			required: true,
			description: 'The media ID from a Kaleyra media upload',
			displayOptions: { show: { mediaSource: ['id'] } },
		},
		{ ...binaryPropertyField, displayOptions: { show: { mediaSource: ['binary'] } } },
		{
			displayName: 'Caption',
			name: 'caption',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: `Text shown under the image, video or document, up to ${LIMITS.caption} characters`,
			displayOptions: { show: { mediaType: [...withCaption, FROM_FILE] } },
		},
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'invoice-1042.pdf',
			description:
				'The name the customer sees for the document. Empty with Binary Data: the file name of the binary data.',
			displayOptions: { show: { mediaType: ['document', FROM_FILE] } },
		},
		messageOptions(true),
	],
	fieldLabels: {
		...v2Labels,
		'body.messaging_object.type': 'mediaType',
		'body.messaging_object.#media.link': 'mediaLink',
		'body.messaging_object.#media.id': 'mediaId',
		'body.messaging_object.#media.caption': 'caption',
		'body.messaging_object.#media.filename': 'fileName',
		'body.messaging_object.#media': 'mediaSource',
		upload: 'binaryPropertyName',
	},
	binaryInput: (p) => (str(p.mediaSource) === 'binary' ? str(p.binaryPropertyName) : undefined),
	build: (p) => {
		const source = str(p.mediaSource);
		const file = p.binaryFile as BinaryFile | undefined;
		const type = mediaTypeOf(str(p.mediaType), source, file);
		const media: Record<string, unknown> = {};
		if (source === 'id') media.id = str(p.mediaId).trim();
		else if (source === 'binary') media.id = PENDING_UPLOAD;
		else media.link = str(p.mediaLink).trim();
		optional(media, 'caption', p.caption);
		optional(
			media,
			'filename',
			str(p.fileName) === '' && type === 'document' ? file?.fileName : p.fileName,
		);
		const request = v2Message(p, type, { [type]: media });
		if (file !== undefined && (MEDIA_TYPES as readonly string[]).includes(type))
			request.upload = {
				kind: type as MediaKind,
				file,
				idPath: ['messaging_object', type, 'id'],
				kindField: 'Media Type',
			};
		return request;
	},
	schema: z.unknown().superRefine((value, ctx) => {
		const message = value as Record<string, unknown>;
		const type = String(message.type);
		const schema = mediaSchemas[type];
		if (type === FROM_FILE) {
			ctx.addIssue({
				code: 'custom',
				path: ['type'],
				message:
					"From the File's MIME Type needs Media Source Binary Data. Choose the type of the linked or uploaded file.",
			});
			return;
		}
		if (schema === undefined) {
			ctx.addIssue({
				code: 'custom',
				path: ['type'],
				message: `"${type}" is not a media type. Use ${MEDIA_TYPES.join(', ')}.`,
			});
			return;
		}
		const result = schema.safeParse(message[type]);
		if (!result.success)
			for (const issue of result.error.issues)
				ctx.addIssue({ code: 'custom', message: issue.message, path: [type, ...issue.path] });
	}),
};
