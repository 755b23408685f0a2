/**
 * Issue 23, point 8 (node side): Kaleyra's code is outside data, so a code such as `constructor`
 * must read as an unknown code, not as an entry of the node's code table that a plain object
 * inherits. Each is compared with a made-up code Kaleyra could send, answered the same way.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	ASHA,
	BEN,
	POD_BASE_URLS,
	accepted,
	itemsOf,
	kaleyra,
	oneAtATime,
	run,
	setUpNock,
	withNode,
} from './support';

setUpNock();

const BASE = POD_BASE_URLS.in;

async function continuedFailure(code: string): Promise<IDataObject> {
	kaleyra(BASE, [
		{ status: 400, body: { code, message: 'Something Kaleyra said', data: {}, error: {} } },
		accepted('wamid.2'),
	]);
	const result = await run(
		withNode(oneAtATime('send-text'), { onError: 'continueRegularOutput' }),
		[ASHA, BEN],
	);
	return itemsOf(result)[0].json;
}

describe("point 8: Kaleyra codes named like an object's own members read as unknown codes", () => {
	it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
		"code %s: Kaleyra's own text, the unknown-code hint, retryable a boolean",
		async (code) => {
			const item = await continuedFailure(code);
			const unknown = await continuedFailure('XQ999');

			expect(JSON.stringify(item)).not.toMatch(/undefined|function/);
			expect(typeof item.retryable).toBe('boolean');
			expect(item.description).not.toBe('');
			// Exactly what an unknown code gives, with this code in its place.
			expect(JSON.parse(JSON.stringify(item).split(code).join('XQ999'))).toEqual(unknown);
		},
	);

	it('the node fails with the same words under stop-on-fail', async () => {
		kaleyra(BASE, [
			{
				status: 400,
				body: { code: 'constructor', message: 'Something Kaleyra said', data: {}, error: {} },
			},
		]);
		const result = await run(oneAtATime('send-text'), [ASHA]);
		expect(result.error?.message).toContain('[constructor]: Something Kaleyra said');
		expect(result.error?.message).not.toMatch(/^undefined/);
	});
});
