/**
 * Issue 22, point 2 (sandbox side): the customer's file, kept by the sandbox as Kaleyra keeps
 * inbound media, behind the callback's media_url on the account's own host.
 */
import { ACCOUNT, useSandbox } from './support';

const context = useSandbox();
const INVOICE = Buffer.from('%PDF-1.7 the invoice for order A-1001', 'latin1');

async function sentInvoice() {
	const posted = await context.sandbox.customer({
		kind: 'document',
		url: 'http://127.0.0.1:9/nowhere',
		file: { data: INVOICE, mimeType: 'application/pdf', fileName: 'Invoice A-1001.pdf' },
	});
	const payload = posted.payload as {
		meta_object: { value: { messages: Array<{ document: Record<string, string> }> } };
		extra_info: { media_url: string };
	};
	return {
		url: payload.extra_info.media_url,
		document: payload.meta_object.value.messages[0].document,
	};
}

describe('sandbox: a customer sends a file', () => {
	it('point 2: the callback names the document and links to the sandbox, which serves the exact bytes to the api-key', async () => {
		const { url, document } = await sentInvoice();
		expect(document).toMatchObject({
			mime_type: 'application/pdf',
			filename: 'Invoice A-1001.pdf',
		});
		expect(url).toMatch(
			new RegExp(`^${context.sandbox.url}/v2/${ACCOUNT.sid}/media/inbound/${document.id}$`),
		);
		const file = await context.call(url.slice(context.sandbox.url.length), {
			headers: { 'api-key': ACCOUNT.apiKey },
		});
		expect([
			file.status,
			file.headers['content-type'],
			file.headers['content-disposition'],
			Buffer.from(file.text, 'latin1'),
		]).toEqual([200, 'application/pdf', 'attachment; filename="Invoice A-1001.pdf"', INVOICE]);
	});

	it('point 2: without the api-key the file is refused (401); an unknown ID is 404', async () => {
		const { url } = await sentInvoice();
		const path = url.slice(context.sandbox.url.length);
		expect((await context.call(path)).status).toBe(401);
		expect(
			(await context.call(path.replace(/[0-9]+$/, '1'), { headers: { 'api-key': ACCOUNT.apiKey } }))
				.status,
		).toBe(404);
	});
});
