/**
 * Issue 20 point 6: one item, one number. n8n's editor counts items from 0 and shows an error's
 * item as "[item 0]" (its context.itemIndex); the node's own "Nothing was sent for item …" must
 * name the same item as Kaleyra's refusal of it does.
 */
import {
	ASHA,
	BEN,
	POD_BASE_URLS,
	accepted,
	kaleyra,
	oneAtATime,
	run,
	setUpNock,
	unexpectedRequests,
} from '../node/support';

const WA401 = {
	status: 401,
	body: {
		code: 'WA401',
		message: 'Phone number is not present or does not belong to the account',
		data: {},
		error: {},
	},
};

describe('point 6: a validation error and a Kaleyra refusal of the same single item number it alike', () => {
	setUpNock();

	it('a recipient that is no phone number: "Nothing was sent for item 0.", at item 0', async () => {
		const result = await run('send-text', [{ ...ASHA, phone: '12345' }]);

		expect(unexpectedRequests).toEqual([]);
		expect(result.error).toMatchObject({
			name: 'NodeOperationError',
			context: { itemIndex: 0 },
			description: 'Nothing was sent for item 0.',
		});
	});

	it('the same item refused by Kaleyra (WA401): at item 0 too', async () => {
		const { received } = kaleyra(POD_BASE_URLS.in, [WA401]);

		const result = await run('send-text', [ASHA]);

		expect(received).toHaveLength(1);
		expect(result.error).toMatchObject({ name: 'NodeApiError', context: { itemIndex: 0 } });
	});

	it('the second of two items is item 1 in both', async () => {
		const invalid = await run('send-text', [ASHA, { ...BEN, phone: '12345' }]);
		expect(unexpectedRequests).toEqual([]);
		expect(invalid.error).toMatchObject({
			context: { itemIndex: 1 },
			description: 'Nothing was sent for item 1.',
		});

		// One at a time, so that Ben's request is the second Kaleyra answers.
		kaleyra(POD_BASE_URLS.in, [accepted('wamid.1'), WA401]);
		const refused = await run(oneAtATime('send-text'), [ASHA, BEN]);
		expect(refused.error).toMatchObject({ name: 'NodeApiError', context: { itemIndex: 1 } });
	});
});
