/**
 * Issue 23, point 12: the template lookup follows the listing's pages under one deadline as a
 * whole (TRANSPORT.lookupTimeoutMs), not 20 pages each at the per-request deadline.
 */
import nock from 'nock';

import { TRANSPORT } from '../../nodes/KaleyraWhatsApp/shared/transport';
import { ASHA, POD_BASE_URLS, SID, itemsOf, loadFixture, run, withNode } from './support';

const WABA_ID = '104583920017284';
const PAGE_MS = 150;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
	nock.cleanAll();
	TRANSPORT.lookupTimeoutMs = 30_000;
});

it('point 12: a listing that answers every page slowly, with always one more page, ends at the lookup deadline: a few pages, not 20', async () => {
	// 20 pages of 150 ms would take 3 s; the whole lookup may take 400 ms, each request still 30 s.
	TRANSPORT.lookupTimeoutMs = 400;
	let pages = 0;
	nock(POD_BASE_URLS.in)
		.persist()
		.get(`/v2/${SID}/whatsapp/${WABA_ID}/message_templates`)
		.query(true)
		.delay(PAGE_MS)
		.reply(200, () => {
			pages++;
			return {
				data: [
					{
						name: 'something_else',
						language: 'en',
						status: 'APPROVED',
						category: 'UTILITY',
						components: [],
					},
				],
				paging: { cursors: { after: `p${pages}` } },
			};
		});
	const sent = nock(POD_BASE_URLS.in)
		.post(/messages/)
		.reply(202, {});

	const result = await run(
		withNode(loadFixture('send-template-order-shipped'), { onError: 'continueRegularOutput' }),
		[{ ...ASHA, arrives: 'Friday' }],
		{
			pod: 'in',
			wabaId: WABA_ID,
		} as never,
	);

	const [item] = itemsOf(result);
	expect(item.json).toMatchObject({ code: 'INVALID_INPUT', field: 'Template', maybeSent: false });
	expect(String(item.json.error)).toMatch(/did not answer in time/);
	// However slow the machine, the deadline ends the lookup before page 20 (at 150 ms a page, 3 or fewer).
	expect(pages).toBeLessThan(20);
	expect(pages).toBeLessThanOrEqual(3);
	expect(sent.isDone()).toBe(false);
});
