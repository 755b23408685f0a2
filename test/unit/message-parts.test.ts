/** The pure parts behind the list and the uploads, without n8n: how rows become sections, and which files WhatsApp takes. */
import { listSections } from '../../nodes/KaleyraWhatsApp/resources/message/sendList';
import { kindOfMimeType, mediaFileProblem, uploadParts } from '../../nodes/KaleyraWhatsApp/shared/media';

describe('List rows become sections', () => {
	it('groups rows by their section title in order of first appearance, keeping row order', () => {
		expect(
			listSections([
				{ section: 'Shirts', id: 's1', title: 'Blue' },
				{ section: 'Mugs', id: 'm1', title: 'White' },
				{ section: 'Shirts', id: 's2', title: 'Red', description: 'Cotton' },
			]),
		).toEqual([
			{ title: 'Shirts', rows: [{ id: 's1', title: 'Blue' }, { id: 's2', title: 'Red', description: 'Cotton' }] },
			{ title: 'Mugs', rows: [{ id: 'm1', title: 'White' }] },
		]);
	});

	it('reads a JSON string, trims values, and leaves a section without title untitled', () => {
		expect(listSections('[{ "id": " a ", "title": " A ", "description": "" }]')).toEqual([{ rows: [{ id: 'a', title: 'A' }] }]);
	});

	it('keeps what is no array (or no JSON) as it is, for the check to quote', () => {
		expect(listSections('{ not json')).toBe('{ not json');
		expect(listSections({ id: 'a' })).toEqual({ id: 'a' });
		expect(listSections('')).toEqual([]);
	});
});

describe('Files WhatsApp takes', () => {
	const file = (mimeType: string, bytes = 10) => ({ property: 'data', fileName: 'f', mimeType, data: Buffer.alloc(bytes) });

	it('knows the kind of each MIME type WhatsApp takes, ignoring case and parameters', () => {
		expect(['image/JPEG', 'video/3gpp', 'audio/ogg; codecs=opus', 'application/pdf', 'image/webp', 'image/gif'].map(kindOfMimeType)).toEqual([
			'image',
			'video',
			'audio',
			'document',
			'sticker',
			undefined,
		]);
	});

	it('takes a file at its kind’s limit and refuses one byte more', () => {
		expect(mediaFileProblem('video', file('video/mp4', 16 * 1024 * 1024))).toBeUndefined();
		expect(mediaFileProblem('video', file('video/mp4', 16 * 1024 * 1024 + 1))).toMatch(/up to 16 MB/);
	});

	it('uploads the bare MIME type, in the part and the type field, with a file name even when the binary data has none', () => {
		const parts = uploadParts({ kind: 'audio', file: { ...file('audio/ogg; codecs=opus'), fileName: '' } });
		expect(parts.fields).toEqual({ type: 'audio/ogg' });
		expect(parts.files.map(({ name, fileName, mimeType }) => ({ name, fileName, mimeType }))).toEqual([{ name: 'file', fileName: 'file', mimeType: 'audio/ogg' }]);
	});
});
