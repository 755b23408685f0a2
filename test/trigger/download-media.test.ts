/**
 * Issue 22, point 2: Options → Download Media. A customer's photo, voice note or invoice PDF arrives
 * as a link to Kaleyra's copy; with the option on, the trigger fetches it into the item's binary
 * data, sends the API key only to the account's own Kaleyra host, follows no redirect to another
 * host, and keeps the item with `mediaError` when the file cannot be had.
 */
import nock from 'nock';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { MEDIA_LIMITS } from '../../nodes/KaleyraWhatsApp/shared/media';
import { DOWNLOAD } from '../../nodes/KaleyraWhatsApp/shared/transport';
import { KaleyraWhatsAppTrigger } from '../../nodes/KaleyraWhatsAppTrigger/KaleyraWhatsAppTrigger.node';
import { API_KEY, POD_BASE_URLS, SID, setUpNock } from '../node/support';

import { INCOMING_ID, incoming, message } from './payloads';
import { EVERYTHING, TriggerUnderTest, withSecret } from './support';

setUpNock();

const KALEYRA = POD_BASE_URLS.in;
const ELSEWHERE = 'https://files.example-cdn.test';
const ACCOUNT = { pod: 'in', sid: SID, apiKey: API_KEY };
const PHOTO = Buffer.from('\xff\xd8\xff\xe0 a small JPEG of a broken parcel', 'latin1');
const INVOICE = Buffer.from('%PDF-1.7 invoice A-1001', 'latin1');
const PHOTO_ID = 'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAEhggQTNFQjRDMEFBNzNGQjdGMkY5RDM1RTBCQjVCMEY1QjcA';

const photoFrom = (url: string) =>
	incoming(
		[
			message('image', {
				image: { id: '1479537139650973', mime_type: 'image/jpeg', caption: 'Arrived like this' },
			}),
		],
		{ media_url: url },
	);
const invoiceFrom = (url: string) =>
	incoming(
		[
			message(
				'document',
				{ document: { id: '88', mime_type: 'application/pdf', filename: 'Invoice A-1001.pdf' } },
				{ id: 'wamid.DOC' },
			),
		],
		{ media_url: url },
	);

/** `account: null`: the trigger has no Kaleyra WhatsApp API credential chosen. */
async function received(
	body: unknown,
	options: IDataObject = { downloadMedia: true },
	account: IDataObject | null = ACCOUNT,
): Promise<INodeExecutionData[]> {
	const trigger = new TriggerUnderTest(
		{ events: EVERYTHING, options },
		{ api: account ?? undefined },
	);
	const answer = await trigger.receive({ body, headers: withSecret() });
	expect(answer.status).toBeUndefined();
	return answer.result.workflowData![0];
}

const bytesOf = (binary: IBinaryData) => Buffer.from(binary.data, 'base64');

describe('point 2: Download Media', () => {
	it("point 2: a photo on the account's own Kaleyra host lands in binary `data` with its bytes, WhatsApp's MIME type and a name from the message; the key goes along", async () => {
		const host = nock(KALEYRA, { reqheaders: { 'api-key': API_KEY } })
			.get(`/v2/${SID}/media/1479537139650973`)
			.reply(200, PHOTO, {
				'content-type': 'application/octet-stream',
				'content-length': String(PHOTO.length),
			});
		const [item] = await received(photoFrom(`${KALEYRA}/v2/${SID}/media/1479537139650973`));
		expect(host.isDone()).toBe(true);
		expect(item.json).toMatchObject({
			event: 'message',
			type: 'image',
			text: 'Arrived like this',
			messageId: INCOMING_ID,
			mediaError: null,
		});
		const file = item.binary!.data;
		expect(bytesOf(file)).toEqual(PHOTO);
		expect([file.mimeType, file.fileName, file.fileExtension, file.bytes]).toEqual([
			'image/jpeg',
			`image-${PHOTO_ID.replace(/[^A-Za-z0-9_-]+/g, '_')}.jpg`,
			'jpg',
			PHOTO.length,
		]);
	});

	it('point 2: a document on another host keeps its own file name, and that host gets no API key', async () => {
		let headers: Record<string, string | string[] | undefined> = {};
		nock(ELSEWHERE)
			.get('/in/88')
			.reply(function () {
				headers = this.req.headers;
				return [200, INVOICE, { 'content-type': 'application/pdf' }];
			});
		const [item] = await received(invoiceFrom(`${ELSEWHERE}/in/88`), {
			downloadMedia: true,
			binaryPropertyName: 'invoice',
		});
		expect(headers['api-key']).toBeUndefined();
		expect(JSON.stringify(headers)).not.toContain(API_KEY);
		expect(bytesOf(item.binary!.invoice)).toEqual(INVOICE);
		expect([item.binary!.invoice.fileName, item.binary!.invoice.mimeType]).toEqual([
			'Invoice A-1001.pdf',
			'application/pdf',
		]);
	});

	it('point 2: a redirect from the Kaleyra host to another host is not followed: mediaError, the item kept, the key never leaves', async () => {
		nock(KALEYRA)
			.get('/v2/media/1')
			.reply(302, '', { location: `${ELSEWHERE}/stolen` });
		const elsewhere = nock(ELSEWHERE).get('/stolen').reply(200, PHOTO);
		const [item] = await received(photoFrom(`${KALEYRA}/v2/media/1`));
		expect(elsewhere.isDone()).toBe(false);
		nock.cleanAll();
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({
			type: 'image',
			mediaError: {
				reason: 'the media link redirects to another host (files.example-cdn.test); not followed',
				retryable: false,
			},
		});
	});

	it('point 2: a redirect within the same host is followed', async () => {
		nock(KALEYRA)
			.get('/v2/media/1')
			.reply(301, '', { location: '/v2/media/1/current' })
			.get('/v2/media/1/current')
			.reply(200, PHOTO);
		const [item] = await received(photoFrom(`${KALEYRA}/v2/media/1`));
		expect(bytesOf(item.binary!.data)).toEqual(PHOTO);
	});

	it.each([
		[404, { reason: 'the file is not there (any more) (HTTP 404)', retryable: false }],
		[401, { reason: 'the media host refused access (HTTP 401)', retryable: false }],
		[503, { reason: 'the media host answered an error (HTTP 503)', retryable: true }],
	])(
		'point 2: an answer %i leaves the item in place with mediaError',
		async (status, mediaError) => {
			nock(KALEYRA).get('/v2/media/1').reply(status, { error: 'nope' });
			const [item] = await received(photoFrom(`${KALEYRA}/v2/media/1`));
			expect(item.binary).toBeUndefined();
			expect(item.json).toMatchObject({
				event: 'message',
				type: 'image',
				text: 'Arrived like this',
				mediaError,
			});
		},
	);

	it('point 2: a file larger than Max Media Size is not fetched (by its size) or cut off (a stream without one)', async () => {
		const big = Buffer.alloc(MEDIA_LIMITS.image.maxBytes / 5 + 1, 7);
		nock(KALEYRA)
			.get('/v2/media/sized')
			.reply(200, big, { 'content-length': String(big.length) });
		const [sized] = await received(photoFrom(`${KALEYRA}/v2/media/sized`), {
			downloadMedia: true,
			maxMediaSizeMb: 1,
		});
		expect(sized.json.mediaError).toEqual({
			reason: `the file is ${big.length} bytes, more than the 1048576 allowed (Options → Max Media Size)`,
			retryable: false,
		});

		nock(KALEYRA)
			.get('/v2/media/chunked')
			.reply(200, () => big);
		const [chunked] = await received(photoFrom(`${KALEYRA}/v2/media/chunked`), {
			downloadMedia: true,
			maxMediaSizeMb: 1,
		});
		expect(chunked.binary).toBeUndefined();
		expect(chunked.json.mediaError).toEqual({
			reason: 'the download broke off: the file is larger than 1048576 bytes',
			retryable: true,
		});
	});

	it('point 2: a host that does not answer in time gives a retryable mediaError', async () => {
		const saved = DOWNLOAD.timeoutMs;
		DOWNLOAD.timeoutMs = 200;
		try {
			nock(KALEYRA).get('/v2/media/slow').delay(2000).reply(200, PHOTO);
			const [item] = await received(photoFrom(`${KALEYRA}/v2/media/slow`));
			expect(item.json.mediaError).toEqual({
				reason: 'the download failed: ETIMEDOUT (the media host did not answer in time)',
				retryable: true,
			});
		} finally {
			DOWNLOAD.timeoutMs = saved;
			nock.abortPendingRequests();
		}
	});

	it('point 2: in a callback of a text, a photo and a sticker without link, the order holds; only the photo gets a file', async () => {
		nock(KALEYRA).get('/v2/media/1').reply(200, PHOTO);
		// The photo's link is its own (`link`), as v1-era and some v2 callbacks carry it; the sticker has none.
		const body = incoming([
			message('text', { text: { body: 'Look:' } }, { id: 'wamid.T' }),
			message(
				'image',
				{ image: { id: '1', mime_type: 'image/jpeg', link: `${KALEYRA}/v2/media/1` } },
				{ id: 'wamid.P' },
			),
			message('sticker', { sticker: { id: '2', mime_type: 'image/webp' } }, { id: 'wamid.S' }),
		]);
		const items = await received(body);
		expect(
			items.map((item) => [
				item.json.messageId,
				item.binary === undefined ? null : Object.keys(item.binary),
				item.json.mediaError,
			]),
		).toEqual([
			['wamid.T', null, null],
			['wamid.P', ['data'], null],
			['wamid.S', null, { reason: 'the callback has no link to the file', retryable: false }],
		]);
	});

	it('point 2: off (the default), items carry the link only: no file, no mediaError, nothing fetched', async () => {
		const [item] = await received(photoFrom(`${KALEYRA}/v2/media/1`), {});
		expect(item.binary).toBeUndefined();
		expect('mediaError' in item.json).toBe(false);
	});

	it("point 2: without the trigger's Kaleyra credential, a file is still fetched, with no key", async () => {
		let headers: Record<string, string | string[] | undefined> = {};
		nock(KALEYRA)
			.get('/v2/media/1')
			.reply(function () {
				headers = this.req.headers;
				return [200, PHOTO];
			});
		const [item] = await received(
			photoFrom(`${KALEYRA}/v2/media/1`),
			{ downloadMedia: true },
			null,
		);
		expect(headers['api-key']).toBeUndefined();
		expect(bytesOf(item.binary!.data)).toEqual(PHOTO);
	});

	it("point 2: Max Media Size's default is WhatsApp's largest file, a 100 MB document", () => {
		const options = new KaleyraWhatsAppTrigger().description.properties.find(
			(property) => property.name === 'options',
		)!;
		const size = (options.options as Array<{ name: string; default: unknown }>).find(
			(option) => option.name === 'maxMediaSizeMb',
		)!;
		expect(size.default).toBe(MEDIA_LIMITS.document.maxBytes / (1024 * 1024));
	});
});
