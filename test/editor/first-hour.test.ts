/**
 * Issue 20, "The first hour in the editor": what a builder meets before anything has failed.
 * Each describe is one point of the issue.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { NodeHelpers, type IDataObject, type INode, type INodeParameters } from 'n8n-workflow';

import { KaleyraWhatsAppApi } from '../../credentials/KaleyraWhatsAppApi.credentials';
import { KaleyraWhatsApp } from '../../nodes/KaleyraWhatsApp/KaleyraWhatsApp.node';
import { KaleyraWhatsAppTrigger } from '../../nodes/KaleyraWhatsAppTrigger/KaleyraWhatsAppTrigger.node';
import {
	BUSINESS_DIGITS,
	POD_BASE_URLS,
	SEND_NODE,
	SID,
	accepted,
	itemsOf,
	kaleyra,
	loadFixture,
	run,
	setUpNock,
	v2Url,
	withNode,
} from '../node/support';

describe('point 3: the credential dialog is a form, not a notice', () => {
	const credential = new KaleyraWhatsAppApi();
	const notices = credential.properties.filter((property) => property.type === 'notice');

	it('has one notice of one short line, pointing to the docs link for the codes', () => {
		expect(notices.map((notice) => notice.displayName)).toEqual([
			'Test failed with only a code, such as ENOTFOUND? The docs link above says what each code means.',
		]);
		// About one line of the dialog at 1280×800 (n8n's credential form is ~560 px wide at 14 px).
		expect(notices[0].displayName.length).toBeLessThanOrEqual(100);
	});

	it("the docs link opens the README's section on failed tests", () => {
		expect(credential.documentationUrl).toBe(
			'https://www.npmjs.com/package/n8n-nodes-kaleyra-whatsapp#when-the-test-fails',
		);
	});
});

describe('point 4: Send Media takes the media type from a binary file', () => {
	setUpNock();
	const BASE = POD_BASE_URLS.in;
	const MEDIA_URL = `${BASE}/v2/${SID}/whatsapp/${BUSINESS_DIGITS}/media`;
	const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');
	const invoice = {
		phone: '+919811111111',
		orderId: 'A-1001',
		$binary: {
			data: {
				data: PDF.toString('base64'),
				mimeType: 'application/pdf',
				fileName: 'invoice-A-1001.pdf',
			},
		},
	};
	const uploaded = {
		status: 200,
		body: { code: 'WA200', message: 'Media uploaded', data: { media_id: '111' }, error: {} },
	};
	/** The binary fixture as a step added today (version 1.2) leaves it: Media Type never touched. */
	const addedToday = (parameters: IDataObject = {}) => {
		const workflow = withNode(loadFixture('send-media-binary'), { typeVersion: 1.2, parameters });
		const node = workflow.nodes.find((n) => n.name === SEND_NODE)!;
		delete (node.parameters as IDataObject).mediaType;
		return workflow;
	};

	it('a PDF from binary data on a new step is uploaded and sent as a document, Media Type left as it came', async () => {
		const { received } = kaleyra(BASE, [uploaded, accepted('wamid.1')]);
		const result = await run(addedToday(), [invoice]);

		expect(result.error).toBeUndefined();
		expect(received.map((r) => r.url)).toEqual([MEDIA_URL, v2Url(BASE)]);
		expect((received[0].body as { fields: unknown }).fields).toEqual([['type', 'application/pdf']]);
		expect((received[1].body as { messaging_object: IDataObject }).messaging_object).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: '+919811111111',
			type: 'document',
			document: { id: '111', caption: 'Invoice for order A-1001', filename: 'invoice-A-1001.pdf' },
		});
		expect(itemsOf(result)[0].json).toMatchObject({
			type: 'document',
			mediaId: '111',
			messageId: 'wamid.1',
		});
	});

	it('a workflow saved on version 1 without a Media Type still sends an image, and a PDF is refused naming Media Type and Document', async () => {
		const workflow = withNode(loadFixture('send-media-binary'), { typeVersion: 1 });
		delete (workflow.nodes.find((n) => n.name === SEND_NODE)!.parameters as IDataObject).mediaType;
		const result = await run(workflow, [invoice]);

		// Nothing was sent: any request would be unexpected (setUpNock checks after each test).
		expect(result.error?.message).toBe(
			'Input Binary Field: the file in binary property "data" is "application/pdf"; WhatsApp takes image files only as image/jpeg, image/png. Set Media Type to Document, or convert the file.',
		);
	});

	it("From the File's MIME Type with a public link is refused before sending, saying what to choose", async () => {
		const workflow = withNode(loadFixture('send-media-document'), {
			typeVersion: 1.2,
			parameters: { mediaType: 'fromFile' },
		});
		const result = await run(workflow, [invoice]);

		// Nothing was sent: any request would be unexpected (setUpNock checks after each test).
		expect(result.error?.message).toBe(
			"Media Type: From the File's MIME Type needs Media Source Binary Data. Choose the type of the linked or uploaded file.",
		);
	});

	const properties = new KaleyraWhatsApp().description.properties;
	const shown = (parameters: IDataObject, typeVersion: number) =>
		properties.filter((property) =>
			NodeHelpers.displayParameter(
				{ resource: 'message', operation: 'sendMedia', ...parameters } as INodeParameters,
				property,
				{ typeVersion } as INode,
				new KaleyraWhatsApp().description,
			),
		);
	const mediaTypeOn = (parameters: IDataObject, typeVersion: number) =>
		shown(parameters, typeVersion).filter((property) => property.name === 'mediaType');

	it("the editor offers From the File's MIME Type, as the default, only for Binary Data on version 1.2; earlier versions keep Image", () => {
		expect(
			mediaTypeOn({ mediaSource: 'binary' }, 1.2).map((p) => [
				p.default,
				(p.options as Array<{ value: string }>).map((o) => o.value),
			]),
		).toEqual([['fromFile', ['fromFile', 'audio', 'document', 'image', 'sticker', 'video']]]);
		expect(mediaTypeOn({ mediaSource: 'link' }, 1.2).map((p) => p.default)).toEqual(['image']);
		expect(
			mediaTypeOn({ mediaSource: 'binary' }, 1.1).map((p) => [
				p.default,
				(p.options as unknown[]).length,
			]),
		).toEqual([['image', 5]]);
		expect(mediaTypeOn({ mediaSource: 'binary' }, 1).map((p) => p.default)).toEqual(['image']);
	});

	it.each([
		['image', 'https://example.com/product-photo.jpg'],
		['document', 'https://example.com/invoice-1042.pdf'],
		['video', 'https://example.com/unboxing.mp4'],
		['audio', 'https://example.com/voice-note.mp3'],
		['sticker', 'https://example.com/thank-you.webp'],
	])('Media Link for %s shows a link to such a file', (mediaType, placeholder) => {
		const links = shown({ mediaSource: 'link', mediaType }, 1.2).filter(
			(property) => property.name === 'mediaLink',
		);
		expect(links.map((link) => link.placeholder)).toEqual([placeholder]);
	});
});

describe('point 8: Send Reply Buttons says what its Callback URL is for, and when to pick v1 or API v2', () => {
	const description = new KaleyraWhatsApp().description;
	const operation = description.properties.find(
		(property) =>
			property.name === 'operation' && property.displayOptions?.show?.resource?.includes('message'),
	);
	const option = (value: string) =>
		(operation?.options as Array<{ value: string; description?: string }>).find(
			(o) => o.value === value,
		)?.description;

	it('Callback URL has a hint under it: what goes there and what empty means', () => {
		const callbackUrl = description.properties.find((property) => property.name === 'callbackUrl');
		expect(callbackUrl?.hint).toBe(
			"Optional: where Kaleyra sends this message's statuses, e.g. a Kaleyra WhatsApp Trigger's Production URL (with Status events on). Empty: your callback profile's URL.",
		);
	});

	it('each reply-button operation says what it has that the other lacks, and names the other', () => {
		expect(option('sendReplyButtons')).toBe(
			"Up to 3 tap-to-answer buttons through Kaleyra's v1 API, with a Callback URL for this message's statuses; header media by public link. For a number on API v2, or a header from binary data, use Send Reply Buttons (API V2).",
		);
		expect(option('sendInteractiveButtons')).toBe(
			"Up to 3 tap-to-answer buttons through Kaleyra's API v2, under a text, image, video or document header (link, media ID or binary data); statuses go to your callback profile. Use this for a number on API v2.",
		);
	});
});

describe("point 8: the trigger's set-up notice names n8n 2.x's test button", () => {
	it('"Test this trigger" (n8n 2.x), with n8n 1.x\'s "Listen for test event" after it', () => {
		const notice = new KaleyraWhatsAppTrigger().description.properties.find(
			(property) => property.name === 'setupNotice',
		);
		expect(notice?.displayName).toContain(
			'While you test with "Test this trigger" (n8n 1.x: "Listen for test event"), enter the Test URL there instead.',
		);
	});
});

describe("point 8: the nodes panel's Kaleyra WhatsApp entry describes the node, not only the trigger", () => {
	it("n8n merges the trigger into the node's entry and shows the trigger's description there: it says what both do", () => {
		const node = new KaleyraWhatsApp().description;
		const trigger = new KaleyraWhatsAppTrigger().description;
		// n8n 2.41 (generateMergedNodesAndActions): a trigger whose name without "Trigger" is a node's name
		// joins that node's entry, which then takes the trigger's description.
		expect(trigger.name.replace('Trigger', '')).toBe(node.name);
		expect(trigger.description).toBe(
			'Send WhatsApp templates, messages and media through Kaleyra, and start a workflow when a customer writes, taps a button or a message you sent changes status',
		);
	});
});

describe("point 8: the codex files' documentation links open README sections that exist", () => {
	const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
	const anchors = new Set(
		[...readme.matchAll(/^#+ (.+)$/gm)].map((heading) =>
			heading[1]
				.toLowerCase()
				.replace(/[^a-z0-9 -]/g, '')
				.replace(/ /g, '-'),
		),
	);
	it.each([
		'KaleyraWhatsApp/KaleyraWhatsApp.node.json',
		'KaleyraWhatsAppTrigger/KaleyraWhatsAppTrigger.node.json',
	])('%s', (file) => {
		const codex = JSON.parse(
			readFileSync(path.join(__dirname, '..', '..', 'nodes', file), 'utf8'),
		) as { resources: Record<string, Array<{ url: string }>> };
		const hashes = Object.values(codex.resources)
			.flat()
			.map(({ url }) => new URL(url).hash.slice(1))
			.filter((hash) => hash !== '');
		expect(hashes.filter((hash) => !anchors.has(hash))).toEqual([]);
	});

	it("the trigger's Docs link opens the trigger's chapter, its credential's the Authentication section", () => {
		const codex = JSON.parse(
			readFileSync(
				path.join(
					__dirname,
					'..',
					'..',
					'nodes',
					'KaleyraWhatsAppTrigger/KaleyraWhatsAppTrigger.node.json',
				),
				'utf8',
			),
		);
		expect(codex.resources.primaryDocumentation).toEqual([
			{ url: 'https://www.npmjs.com/package/n8n-nodes-kaleyra-whatsapp#kaleyra-whatsapp-trigger' },
		]);
		expect(codex.resources.credentialDocumentation).toEqual([
			{ url: 'https://www.npmjs.com/package/n8n-nodes-kaleyra-whatsapp#authentication' },
		]);
	});
});

describe('point 2: a new trigger gets the callback credential it needs, not the optional API one', () => {
	const { description } = new KaleyraWhatsAppTrigger();
	/** The credential slots n8n's editor shows (and fills from the most recently saved credential). */
	const slots = (parameters: INodeParameters, typeVersion: number) =>
		(description.credentials ?? [])
			.filter((credential) =>
				NodeHelpers.displayParameter(parameters, credential, { typeVersion } as INode, description),
			)
			.map(({ name, required }) => [name, required]);

	it('a new trigger shows one slot, the required callback credential, so an API credential saved later cannot take it', () => {
		expect(slots({ events: ['text'], options: {} }, 1.1)).toEqual([
			['kaleyraWhatsAppCallbackApi', true],
		]);
	});

	it('with Download Media on, the optional API credential it fetches files with is shown too', () => {
		expect(slots({ events: ['image'], options: { downloadMedia: true } }, 1.1)).toEqual([
			['kaleyraWhatsAppCallbackApi', true],
			['kaleyraWhatsAppApi', false],
		]);
		expect(slots({ events: ['image'], options: { downloadMedia: false } }, 1.1)).toEqual([
			['kaleyraWhatsAppCallbackApi', true],
		]);
	});

	it('a version 1 trigger (its secret in node fields) shows the API credential only for Download Media as well', () => {
		expect(slots({ options: {} }, 1)).toEqual([]);
		expect(slots({ options: { downloadMedia: true } }, 1)).toEqual([['kaleyraWhatsAppApi', false]]);
	});
});
