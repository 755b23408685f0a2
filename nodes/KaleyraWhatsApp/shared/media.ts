import { z } from 'zod';

import type { BinaryFile, MediaKind, MediaUpload } from './types';

/**
 * WhatsApp's media limits (docs/kaleyra-api.md §2, Meta's rules): the MIME types each kind accepts and
 * its largest size. An upload is checked against them before anything is sent, so a 30 MB video
 * or a HEIC photo fails in n8n, naming the binary property, instead of at Meta later.
 */
const MB = 1024 * 1024;
export const MEDIA_LIMITS: Record<
	MediaKind,
	{ name: string; mimeTypes: string[]; maxBytes: number; label: string }
> = {
	image: { name: 'Image', mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB, label: '5 MB' },
	video: {
		name: 'Video',
		mimeTypes: ['video/mp4', 'video/3gpp'],
		maxBytes: 16 * MB,
		label: '16 MB',
	},
	audio: {
		name: 'Audio',
		mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
		maxBytes: 16 * MB,
		label: '16 MB',
	},
	document: {
		name: 'Document',
		mimeTypes: [
			'application/pdf',
			'text/plain',
			'application/msword',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'application/vnd.ms-excel',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'application/vnd.ms-powerpoint',
			'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		],
		maxBytes: 100 * MB,
		label: '100 MB',
	},
	// 500 KB is the animated limit; a static sticker may have 100 KB (STATIC_STICKER_MAX_BYTES).
	sticker: { name: 'Sticker', mimeTypes: ['image/webp'], maxBytes: 500 * 1024, label: '500 KB' },
};

/** A file name's extension for the types customers send (a photo, voice note, …), when the file came without a name. */
export const FILE_EXTENSIONS = new Map<string, string>([
	['image/jpeg', 'jpg'],
	['image/png', 'png'],
	['image/webp', 'webp'],
	['video/mp4', 'mp4'],
	['video/3gpp', '3gp'],
	['audio/ogg', 'ogg'],
	['audio/mpeg', 'mp3'],
	['audio/aac', 'aac'],
	['audio/amr', 'amr'],
	['audio/mp4', 'm4a'],
	['application/pdf', 'pdf'],
	['text/plain', 'txt'],
]);

/**
 * A name for a file that came without one: the stem and the extension of its MIME type
 * (`image-wamid_HBg….jpg`), or the stem alone for a type without a known extension.
 */
export function fileNameFor(stem: string, mimeType: string | null): string {
	const extension = mimeType === null ? undefined : FILE_EXTENSIONS.get(bareMimeType(mimeType));
	return `${stem}${extension === undefined ? '' : `.${extension}`}`;
}

/**
 * A file's name from the last segment of its link (`…/media/inbound/4711` → `4711.jpg` for a JPEG),
 * for a server that names none; `file` for a link without a path.
 */
export function fileNameFromLink(link: string, mimeType: string | null): string {
	let segment: string;
	try {
		segment = decodeURIComponent(new URL(link).pathname.split('/').filter(Boolean).pop() ?? '');
	} catch {
		segment = '';
	}
	const stem = segment.replace(/[\\/]/g, '_').slice(0, 120) || 'file';
	return /\.[A-Za-z0-9]{1,8}$/.test(stem) ? stem : fileNameFor(stem, mimeType);
}

/**
 * The largest file a download takes, from the Max Media Size (MB) a builder asked for: at least
 * 1 MB, at most WhatsApp's largest file (a document, 100 MB), which is also the default.
 */
export function maxDownloadBytes(askedMb: unknown): number {
	const largest = MEDIA_LIMITS.document.maxBytes / MB;
	const asked = Number(askedMb ?? largest) || largest;
	return Math.min(Math.max(asked, 1), largest) * MB;
}

/** Meta refuses a static (not animated) sticker over 100 KB after it was sent. */
const STATIC_STICKER_MAX_BYTES = 100 * 1024;

/**
 * Whether a WebP file is certainly a still image: a "VP8 " or "VP8L" chunk, or a "VP8X" header
 * without its animation flag. A file that is not recognisably WebP is not called static.
 */
export function isStaticWebp(data: Buffer): boolean {
	if (
		data.length < 21 ||
		data.toString('latin1', 0, 4) !== 'RIFF' ||
		data.toString('latin1', 8, 12) !== 'WEBP'
	)
		return false;
	const chunk = data.toString('latin1', 12, 16);
	if (chunk === 'VP8 ' || chunk === 'VP8L') return true;
	const ANIMATION = 0x02;
	return chunk === 'VP8X' && (data[20] & ANIMATION) === 0;
}

/** The bare MIME type, lower case, without parameters (`application/pdf; name=x` → `application/pdf`). */
export function bareMimeType(mimeType: string): string {
	return mimeType.split(';')[0].trim().toLowerCase();
}

/** The media kind a file's MIME type belongs to; undefined when WhatsApp takes it as none. */
export function kindOfMimeType(mimeType: string): MediaKind | undefined {
	const bare = bareMimeType(mimeType);
	const kinds = Object.keys(MEDIA_LIMITS) as MediaKind[];
	return kinds.find((kind) => MEDIA_LIMITS[kind].mimeTypes.includes(bare));
}

function sizeText(bytes: number): string {
	return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Problems of one file against a kind's limits, in the user's words; undefined when WhatsApp takes it.
 * `kindField` is the field the kind was chosen in (Send Media's Media Type): a file of another kind
 * WhatsApp takes then gets that field and the value to choose, rather than "convert it".
 */
export function mediaFileProblem(
	kind: MediaKind,
	file: BinaryFile,
	kindField?: string,
): string | undefined {
	const limits = MEDIA_LIMITS[kind];
	const where = `binary property "${file.property}"`;
	if (file.data.length === 0) return `the file in ${where} is empty.`;
	if (!limits.mimeTypes.includes(bareMimeType(file.mimeType))) {
		const fits = kindOfMimeType(file.mimeType);
		const fix =
			kindField !== undefined && fits !== undefined
				? `Set ${kindField} to ${MEDIA_LIMITS[fits].name}, or convert the file.`
				: 'Convert it, or set the MIME type if it is wrong.';
		return `the file in ${where} is ${file.mimeType === '' ? 'of unknown type' : `"${file.mimeType}"`}; WhatsApp takes ${kind} files only as ${limits.mimeTypes.join(', ')}. ${fix}`;
	}
	if (file.data.length > limits.maxBytes)
		return `the file in ${where} is ${sizeText(file.data.length)}; WhatsApp allows ${kind} files up to ${limits.label}. ${kind === 'document' || kind === 'sticker' ? 'Make it smaller.' : 'Compress it, or send it as a document (up to 100 MB).'}`;
	if (kind === 'sticker' && file.data.length > STATIC_STICKER_MAX_BYTES && isStaticWebp(file.data))
		return `the file in ${where} is a static sticker of ${sizeText(file.data.length)}; WhatsApp allows static stickers up to 100 KB (animated ones up to 500 KB). Make it smaller.`;
	return undefined;
}

/** The check every upload gets, before the upload and before any send that uses it. */
export const uploadSchema = z.unknown().superRefine((value, ctx) => {
	const upload = value as MediaUpload;
	const problem = mediaFileProblem(upload.kind, upload.file, upload.kindField);
	if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, path: ['file'] });
});

/** The file of an upload as its multipart part: field `file`, with the file's name and MIME type. */
export function uploadParts(upload: MediaUpload) {
	const { fileName, mimeType, data } = upload.file;
	const type = bareMimeType(mimeType);
	return {
		fields: { type },
		files: [{ name: 'file', fileName: fileName === '' ? 'file' : fileName, mimeType: type, data }],
	};
}

/** The media ID of a file not uploaded yet: build() writes it, the transport replaces it after the upload. */
export const PENDING_UPLOAD = 'pending-upload';
