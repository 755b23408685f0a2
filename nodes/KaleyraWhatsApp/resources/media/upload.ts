import type { IDataObject } from 'n8n-workflow';

import { kindOfMimeType, uploadSchema } from '../../shared/media';
import type { BinaryFile, KaleyraOperation } from '../../shared/types';
import { addressProperties, str, toE164 } from '../message/fields';
import { binaryPropertyField } from '../message/interactive';

/**
 * A file from the item's binary data uploaded to Kaleyra (postpaid accounts): the media ID it
 * returns can be sent many times for 30 days (Send Media, media headers, template headers).
 */
export const upload: KaleyraOperation = {
	value: 'upload',
	name: 'Upload',
	action: 'Upload a file to Kaleyra',
	description:
		"Upload a file from the item's binary data and output its media ID (postpaid accounts)",
	properties: [
		addressProperties[0],
		binaryPropertyField,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'MIME Type',
					name: 'mimeType',
					type: 'string',
					default: '',
					placeholder: 'application/pdf',
					description:
						'Use this type instead of the one n8n recorded for the file (e.g. when a server sent application/octet-stream)',
				},
				{
					displayName: 'File Name',
					name: 'fileName',
					type: 'string',
					default: '',
					description: 'Upload the file under this name',
				},
			],
		},
	],
	fieldLabels: { from: 'businessNumber', upload: 'binaryPropertyName' },
	binaryInput: (p) => str(p.binaryPropertyName),
	build: (p) => {
		const options = p.options as IDataObject;
		const read = p.binaryFile as BinaryFile;
		const file: BinaryFile = {
			...read,
			mimeType: str(options.mimeType).trim() || read.mimeType,
			fileName: str(options.fileName).trim() || read.fileName,
		};
		// A file of no kind WhatsApp takes is checked as a document, whose list of types the error then names.
		const kind = kindOfMimeType(file.mimeType) ?? 'document';
		return {
			api: 'upload',
			type: kind,
			from: toE164(p.businessNumber),
			to: null,
			refs: {},
			upload: { kind, file },
		};
	},
	schema: uploadSchema,
	output: (request, { code, httpStatus }) => ({
		mediaId: request.upload?.mediaId ?? null,
		mediaType: request.upload?.kind,
		mimeType: request.upload?.file.mimeType,
		fileName: request.upload?.file.fileName,
		fileSize: request.upload?.file.size,
		status: 'uploaded',
		code,
		httpStatus,
	}),
};
