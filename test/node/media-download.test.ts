/**
 * Issue 22, point 3: Media → Download. A workflow that decides after the trigger whether it needs
 * the customer's file maps the trigger's mediaUrl into this operation and gets the file in binary
 * data, by the trigger's own rules: the API key only to the credential's Kaleyra host, no redirect
 * to another host, a size cap and a deadline; a file it cannot have fails the item, naming the field.
 */
import nock from 'nock';
import type { IBinaryData, IDataObject, INode } from 'n8n-workflow';

import { download } from '../../nodes/KaleyraWhatsApp/resources/media/download';
import { MEDIA_LIMITS } from '../../nodes/KaleyraWhatsApp/shared/media';
import { DOWNLOAD } from '../../nodes/KaleyraWhatsApp/shared/transport';
import { accountWorkflow } from '../account/support';
import {
	API_KEY,
	POD_BASE_URLS,
	SEND_NODE,
	SID,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	run,
	setUpNock,
} from './support';

setUpNock();

const KALEYRA = POD_BASE_URLS.in;
const ELSEWHERE = 'https://files.example-cdn.test';
const PHOTO = Buffer.from('\xff\xd8\xff\xe0 a small JPEG of a broken parcel', 'latin1');
const INVOICE = Buffer.from('%PDF-1.7 invoice A-1001', 'latin1');
const PHOTO_LINK = `${KALEYRA}/v2/${SID}/media/inbound/1479537139`;

/** What the trigger gave: a customer's photo, its link in mediaUrl. */
const FROM_TRIGGER = {
	event: 'message',
	type: 'image',
	from: '+919812345678',
	messageId: 'wamid.PHOTO',
	mediaUrl: PHOTO_LINK,
};

const downloadNode = (parameters: IDataObject = {}, onError?: INode['onError']) =>
	accountWorkflow(
		{
			resource: 'media',
			operation: 'download',
			mediaUrl: '={{ $json.mediaUrl }}',
			...parameters,
		},
		onError,
	);

const bytesOf = (binary: IBinaryData) => Buffer.from(binary.data, 'base64');

/** The stored file's facts as n8n's binary data holds them. */
const factsOf = (binary: IBinaryData) => ({
	fileName: binary.fileName,
	mimeType: binary.mimeType,
	fileExtension: binary.fileExtension,
	bytes: binary.bytes,
});

describe('point 3: Media → Download', () => {
	it("a photo on the account's own Kaleyra host lands in binary `data` with its bytes, MIME type, a name from the link and its size; the key goes along; the trigger's json stays", async () => {
		const host = nock(KALEYRA, { reqheaders: { 'api-key': API_KEY } })
			.get(`/v2/${SID}/media/inbound/1479537139`)
			.reply(200, PHOTO, {
				'content-type': 'image/jpeg',
				'content-length': String(PHOTO.length),
			});
		const result = await run(downloadNode(), [FROM_TRIGGER]);
		expect(host.isDone()).toBe(true);
		const [item] = result.output(SEND_NODE);
		expect(item.json).toEqual(FROM_TRIGGER);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(Object.keys(item.binary!)).toEqual(['data']);
		expect(bytesOf(item.binary!.data)).toEqual(PHOTO);
		expect(factsOf(item.binary!.data)).toEqual({
			fileName: '1479537139.jpg',
			mimeType: 'image/jpeg',
			fileExtension: 'jpg',
			bytes: PHOTO.length,
		});
	});

	it('a document on another host keeps the name its server gives, goes into the field asked for, and that host gets no API key', async () => {
		let headers: Record<string, string | string[] | undefined> = {};
		nock(ELSEWHERE)
			.get('/in/88')
			.reply(function () {
				headers = this.req.headers;
				return [
					200,
					INVOICE,
					{
						'content-type': 'application/pdf',
						'content-disposition': 'attachment; filename="Invoice A-1001.pdf"',
					},
				];
			});
		const result = await run(downloadNode({ binaryPropertyName: 'invoice' }), [
			{ mediaUrl: `${ELSEWHERE}/in/88` },
		]);
		expect(headers['api-key']).toBeUndefined();
		expect(JSON.stringify(headers)).not.toContain(API_KEY);
		const [item] = result.output(SEND_NODE);
		expect(bytesOf(item.binary!.invoice)).toEqual(INVOICE);
		expect(factsOf(item.binary!.invoice)).toEqual({
			fileName: 'Invoice A-1001.pdf',
			mimeType: 'application/pdf',
			fileExtension: 'pdf',
			bytes: INVOICE.length,
		});
	});

	it('Options → File Name names the file instead', async () => {
		nock(KALEYRA).get(`/v2/${SID}/media/inbound/1479537139`).reply(200, PHOTO, {
			'content-type': 'image/jpeg',
		});
		const result = await run(downloadNode({ options: { fileName: 'parcel A-1001.jpg' } }), [
			FROM_TRIGGER,
		]);
		expect(result.output(SEND_NODE)[0].binary!.data.fileName).toBe('parcel A-1001.jpg');
	});

	it('a redirect from the Kaleyra host to another host is not followed: the node fails naming Media Link, and the key never leaves', async () => {
		nock(KALEYRA)
			.get(`/v2/${SID}/media/inbound/1479537139`)
			.reply(302, '', { location: `${ELSEWHERE}/stolen` });
		const elsewhere = nock(ELSEWHERE).get('/stolen').reply(200, PHOTO);
		const result = await run(downloadNode(), [FROM_TRIGGER]);
		expect(elsewhere.isDone()).toBe(false);
		nock.cleanAll();
		expect(result.error?.message).toBe(
			'Media Link: the file could not be downloaded: the media link redirects to another host (files.example-cdn.test); not followed [DOWNLOAD_FAILED]',
		);
	});

	it('a 404 fails the node naming Media Link, saying what to check; nothing else is asked', async () => {
		nock(KALEYRA).get(`/v2/${SID}/media/inbound/1479537139`).reply(404, { error: 'nope' });
		const result = await run(downloadNode(), [FROM_TRIGGER]);
		expect(result.error?.message).toBe(
			'Media Link: the file could not be downloaded: the file is not there (any more) (HTTP 404) [DOWNLOAD_FAILED]',
		);
		expect(result.error?.description).toBe(
			"Check Media Link: map the trigger's mediaUrl of a message that came to this Kaleyra account (its links last for a limited time).",
		);
	});

	it('with On Error → Continue, a 404 becomes that item’s error item and the next item still gets its file', async () => {
		nock(KALEYRA)
			.get('/v2/media/gone')
			.reply(404, { error: 'nope' })
			.get(`/v2/${SID}/media/inbound/1479537139`)
			.reply(200, PHOTO, { 'content-type': 'image/jpeg' });
		const result = await run(downloadNode({}, 'continueRegularOutput'), [
			{ mediaUrl: `${KALEYRA}/v2/media/gone` },
			FROM_TRIGGER,
		]);
		const [failed, fetched] = result.output(SEND_NODE);
		expect(failed).toEqual({
			json: {
				error:
					'Media Link: the file could not be downloaded: the file is not there (any more) (HTTP 404) [DOWNLOAD_FAILED]',
				description:
					"Check Media Link: map the trigger's mediaUrl of a message that came to this Kaleyra account (its links last for a limited time).",
				code: 'DOWNLOAD_FAILED',
				httpStatus: 404,
				retryable: false,
				maybeSent: false,
			},
			pairedItem: { item: 0 },
		});
		expect(bytesOf(fetched.binary!.data)).toEqual(PHOTO);
		expect(fetched.pairedItem).toEqual({ item: 1 });
	});

	it('a file larger than Max Media Size is not fetched (by its size) or cut off (a stream without one)', async () => {
		const big = Buffer.alloc(1024 * 1024 + 1, 7);
		nock(KALEYRA)
			.get('/v2/media/sized')
			.reply(200, big, { 'content-length': String(big.length) });
		const sized = await run(downloadNode({ options: { maxMediaSizeMb: 1 } }), [
			{ mediaUrl: `${KALEYRA}/v2/media/sized` },
		]);
		expect(sized.error?.message).toBe(
			`Media Link: the file could not be downloaded: the file is ${big.length} bytes, more than the 1048576 allowed (Options → Max Media Size) [DOWNLOAD_FAILED]`,
		);

		nock(KALEYRA)
			.get('/v2/media/chunked')
			.reply(200, () => big);
		const chunked = await run(downloadNode({ options: { maxMediaSizeMb: 1 } }), [
			{ mediaUrl: `${KALEYRA}/v2/media/chunked` },
		]);
		expect(chunked.error?.message).toBe(
			'Media Link: the file could not be downloaded: the download broke off: the file is larger than 1048576 bytes',
		);
	});

	it('a host that does not answer in time fails the item as retryable', async () => {
		const saved = DOWNLOAD.timeoutMs;
		DOWNLOAD.timeoutMs = 200;
		try {
			nock(KALEYRA).get('/v2/media/slow').delay(2000).reply(200, PHOTO);
			const result = await run(downloadNode({}, 'continueRegularOutput'), [
				{ mediaUrl: `${KALEYRA}/v2/media/slow` },
			]);
			expect(itemsOf(result)[0].json).toMatchObject({
				error:
					'Media Link: the file could not be downloaded: the download failed: ETIMEDOUT (the media host did not answer in time)',
				code: 'DOWNLOAD_FAILED',
				retryable: true,
				maybeSent: false,
			});
		} finally {
			DOWNLOAD.timeoutMs = saved;
			nock.abortPendingRequests();
		}
	});

	it('an empty or non-http Media Link is refused before anything is fetched, naming the field', async () => {
		const empty = await run(downloadNode(), [{ mediaUrl: '' }]);
		expect(empty.error?.message).toBe(
			"Media Link: it is empty. Map the link of the customer's file, such as the trigger's mediaUrl: {{ $json.mediaUrl }}.",
		);
		const ftp = await run(downloadNode(), [{ mediaUrl: 'ftp://files.example.test/a.jpg' }]);
		expect(ftp.error?.message).toBe(
			'Media Link: "ftp://files.example.test/a.jpg" is not an http(s) link. Map the trigger\'s mediaUrl, or enter a full URL starting with https://.',
		);
	});

	it("Max Media Size's default is WhatsApp's largest file, a 100 MB document, as in the trigger", () => {
		const options = download.properties.find((property) => property.name === 'options')!;
		const size = (options.options as Array<{ name: string; default: unknown }>).find(
			(option) => option.name === 'maxMediaSizeMb',
		)!;
		expect(size.default).toBe(MEDIA_LIMITS.document.maxBytes / (1024 * 1024));
	});

	itKeepsTheApiKeyOutOfEverythingUsersSee();
});
