import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { clip, isEmpty, isHttpLink, kindOf, leaf } from '../../shared/checks';
import { maxDownloadBytes } from '../../shared/media';
import type { FileCallOperation } from '../../shared/types';
import { str } from '../message/fields';

const mediaLink = leaf((value) => {
	if (isEmpty(value))
		return "it is empty. Map the link of the customer's file, such as the trigger's mediaUrl: {{ $json.mediaUrl }}.";
	if (typeof value !== 'string') return `expected a link, got ${kindOf(value)}.`;
	if (!isHttpLink(value))
		return `"${clip(value)}" is not an http(s) link. Map the trigger's mediaUrl, or enter a full URL starting with https://.`;
	return undefined;
});

const binaryField = leaf((value) =>
	isEmpty(value) || (typeof value === 'string' && value.trim() === '')
		? 'it is empty. Enter the name of the binary field the file goes into, e.g. data.'
		: undefined,
);

/**
 * A file behind a link (a customer's photo, voice note or invoice: the trigger's mediaUrl) into the
 * item's binary data, by the rules of the trigger's Download Media: the API key only to the
 * credential's own Kaleyra host, no redirect to another host, a size cap and a deadline. For a
 * workflow that decides after the trigger whether it needs the file.
 */
export const download: FileCallOperation = {
	kind: 'call',
	answer: 'file',
	value: 'download',
	name: 'Download',
	action: 'Download a media file',
	description:
		"Fetch a customer's file from its link (the trigger's mediaUrl) into the item's binary data",
	properties: [
		{
			displayName: 'Media Link',
			name: 'mediaUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: '{{ $json.mediaUrl }}',
			description:
				"The link Kaleyra sent with the customer's file (the trigger's mediaUrl). Kaleyra's API key goes with it only when it is on the credential's own Kaleyra host.",
		},
		{
			displayName: 'Put File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			description: 'The binary field the file goes into',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'File Name',
					name: 'fileName',
					type: 'string',
					default: '',
					description:
						"Store the file under this name instead of the server's (or one made from the link)",
				},
				{
					displayName: 'Max Media Size (MB)',
					name: 'maxMediaSizeMb',
					type: 'number',
					// WhatsApp's largest file, a document (MEDIA_LIMITS; a literal for n8n's scanner, held equal by a test).
					default: 100,
					typeOptions: { minValue: 1, maxValue: 100 },
					description: 'A larger file is not fetched: the item fails instead',
				},
			],
		},
	],
	fieldLabels: { url: 'mediaUrl', binaryProperty: 'binaryPropertyName' },
	build: (p) => {
		const options = p.options as IDataObject;
		const url = str(p.mediaUrl).trim();
		const binaryProperty = str(p.binaryPropertyName).trim();
		const fileName = str(options.fileName).trim().replace(/[\\/]/g, '_');
		return {
			url,
			binaryProperty,
			maxBytes: maxDownloadBytes(options.maxMediaSizeMb),
			...(fileName === '' ? {} : { fileName }),
			checked: { url, binaryProperty },
		};
	},
	schema: z.object({ url: mediaLink, binaryProperty: binaryField }),
};
