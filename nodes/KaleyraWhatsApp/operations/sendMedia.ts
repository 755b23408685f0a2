import { optional, str, v2Labels, v2Message } from './common';
import type { KaleyraOperation } from './types';

const withCaption = ['image', 'video', 'document'];

export const sendMedia: KaleyraOperation = {
	value: 'sendMedia',
	name: 'Send Media',
	action: 'Send an image, video, audio, document or sticker',
	description: 'Send an image, video, audio file, document or sticker, by public link or uploaded media ID',
	properties: [
		{
			displayName: 'Media Type',
			name: 'mediaType',
			type: 'options',
			default: 'image',
			options: [
				{ name: 'Audio', value: 'audio', description: 'AAC, AMR, MP3, MP4 audio or OGG (Opus), up to 16 MB' },
				{ name: 'Document', value: 'document', description: 'PDF, TXT or Office file, up to 100 MB' },
				{ name: 'Image', value: 'image', description: 'JPEG or PNG, up to 5 MB' },
				{ name: 'Sticker', value: 'sticker', description: 'WebP, up to 100 KB (500 KB animated)' },
				{ name: 'Video', value: 'video', description: 'MP4 or 3GPP, up to 16 MB' },
			],
		},
		{
			displayName: 'Media Source',
			name: 'mediaSource',
			type: 'options',
			default: 'link',
			options: [
				{ name: 'Public Link', value: 'link', description: 'An http(s) URL WhatsApp can download without logging in' },
				{ name: 'Uploaded Media ID', value: 'id', description: 'The ID Kaleyra returned when the file was uploaded (valid 30 days)' },
			],
		},
		{
			displayName: 'Media Link',
			name: 'mediaLink',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/invoice-1042.pdf',
			description: 'Public http(s) URL of the file; the server must send the right Content-Type',
			displayOptions: { show: { mediaSource: ['link'] } },
		},
		{
			displayName: 'Media ID',
			name: 'mediaId',
			type: 'string',
			default: '',
			required: true,
			description: 'The media ID from a Kaleyra media upload',
			displayOptions: { show: { mediaSource: ['id'] } },
		},
		{
			displayName: 'Caption',
			name: 'caption',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: 'Text shown under the image, video or document, up to 1024 characters',
			displayOptions: { show: { mediaType: withCaption } },
		},
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'invoice-1042.pdf',
			description: 'The name the customer sees for the document',
			displayOptions: { show: { mediaType: ['document'] } },
		},
	],
	fieldLabels: {
		...v2Labels,
		'body.messaging_object.type': 'Media Type',
		'body.messaging_object.#media.link': 'Media Link',
		'body.messaging_object.#media.id': 'Media ID',
		'body.messaging_object.#media.caption': 'Caption',
		'body.messaging_object.#media.filename': 'File Name',
		'body.messaging_object.#media': 'Media Source',
	},
	build: (p) => {
		const type = str(p.mediaType);
		const media: Record<string, unknown> = {};
		if (str(p.mediaSource) === 'id') media.id = str(p.mediaId).trim();
		else media.link = str(p.mediaLink).trim();
		optional(media, 'caption', p.caption);
		optional(media, 'filename', p.fileName);
		return v2Message(p, type, { [type]: media });
	},
};
