/** The pure parts behind the list and the uploads, without n8n: how rows become sections, and which files WhatsApp takes. */
import { listSections } from '../../nodes/KaleyraWhatsApp/resources/message/sendList';
import {
	isStaticWebp,
	kindOfMimeType,
	mediaFileProblem,
	uploadParts,
} from '../../nodes/KaleyraWhatsApp/shared/media';

describe('List rows become sections', () => {
	it('groups rows by their section title in order of first appearance, keeping row order', () => {
		expect(
			listSections([
				{ section: 'Shirts', id: 's1', title: 'Blue' },
				{ section: 'Mugs', id: 'm1', title: 'White' },
				{ section: 'Shirts', id: 's2', title: 'Red', description: 'Cotton' },
			]),
		).toEqual([
			{
				title: 'Shirts',
				rows: [
					{ id: 's1', title: 'Blue' },
					{ id: 's2', title: 'Red', description: 'Cotton' },
				],
			},
			{ title: 'Mugs', rows: [{ id: 'm1', title: 'White' }] },
		]);
	});

	it('reads a JSON string, trims values, and leaves a section without title untitled', () => {
		expect(listSections('[{ "id": " a ", "title": " A ", "description": "" }]')).toEqual([
			{ rows: [{ id: 'a', title: 'A' }] },
		]);
	});

	it('keeps what is no array (or no JSON) as it is, for the check to quote', () => {
		expect(listSections('{ not json')).toBe('{ not json');
		expect(listSections({ id: 'a' })).toEqual({ id: 'a' });
		expect(listSections('')).toEqual([]);
	});
});

describe('Files WhatsApp takes', () => {
	const file = (mimeType: string, bytes = 10) => ({
		property: 'data',
		fileName: 'f',
		mimeType,
		data: Buffer.alloc(bytes),
		size: bytes,
	});
	/** A WebP file of `bytes` bytes whose first chunk is `chunk`; for VP8X, `flags` is its flags byte (0x02: animated). */
	const webp = (chunk: string, flags: number, bytes: number) => {
		const data = Buffer.alloc(bytes);
		data.write('RIFF', 0, 'latin1');
		data.writeUInt32LE(bytes - 8, 4);
		data.write('WEBP', 8, 'latin1');
		data.write(chunk, 12, 'latin1');
		data[20] = flags;
		return data;
	};

	it('knows the kind of each MIME type WhatsApp takes, ignoring case and parameters', () => {
		expect(
			[
				'image/JPEG',
				'video/3gpp',
				'audio/ogg; codecs=opus',
				'application/pdf',
				'image/webp',
				'image/gif',
			].map(kindOfMimeType),
		).toEqual(['image', 'video', 'audio', 'document', 'sticker', undefined]);
	});

	it('takes a file at its kind’s limit and refuses one byte more', () => {
		expect(mediaFileProblem('video', file('video/mp4', 16 * 1024 * 1024))).toBeUndefined();
		expect(mediaFileProblem('video', file('video/mp4', 16 * 1024 * 1024 + 1))).toMatch(
			/up to 16 MB/,
		);
	});

	it('refuses a still sticker over 100 KB, and takes an animated one up to 500 KB', () => {
		const still = webp('VP8 ', 0, 150 * 1024);
		const lossless = webp('VP8L', 0, 150 * 1024);
		const extendedStill = webp('VP8X', 0x10, 150 * 1024);
		const animated = webp('VP8X', 0x12, 450 * 1024);
		expect([still, lossless, extendedStill, animated].map(isStaticWebp)).toEqual([
			true,
			true,
			true,
			false,
		]);
		expect(mediaFileProblem('sticker', { ...file('image/webp'), data: still })).toBe(
			'the file in binary property "data" is a static sticker of 150 KB; WhatsApp allows static stickers up to 100 KB (animated ones up to 500 KB). Make it smaller.',
		);
		expect(mediaFileProblem('sticker', { ...file('image/webp'), data: extendedStill })).toMatch(
			/static sticker of 150 KB/,
		);
		expect(mediaFileProblem('sticker', { ...file('image/webp'), data: animated })).toBeUndefined();
		expect(
			mediaFileProblem('sticker', { ...file('image/webp'), data: webp('VP8 ', 0, 100 * 1024) }),
		).toBeUndefined();
	});

	it('does not call a file static that it cannot read as WebP (only the 500 KB limit applies)', () => {
		expect(isStaticWebp(Buffer.alloc(200 * 1024))).toBe(false);
		expect(
			mediaFileProblem('sticker', { ...file('image/webp'), data: Buffer.alloc(200 * 1024) }),
		).toBeUndefined();
	});

	it('uploads the bare MIME type, in the part and the type field, with a file name even when the binary data has none', () => {
		const parts = uploadParts({
			kind: 'audio',
			file: { ...file('audio/ogg; codecs=opus'), fileName: '' },
		});
		expect(parts.fields).toEqual({ type: 'audio/ogg' });
		expect(
			parts.files.map(({ name, fileName, mimeType }) => ({ name, fileName, mimeType })),
		).toEqual([{ name: 'file', fileName: 'file', mimeType: 'audio/ogg' }]);
	});
});
