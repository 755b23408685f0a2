/**
 * Issue 19, point 5: the sandbox can behave like Meta behind Kaleyra, at most N accepted messages
 * per business number in any sliding second, HTTP 429 with Meta's 130429 above it. Five sent at
 * once against a window of 3 take well under a second on any machine (the window is a second).
 */
import { ACCOUNT, BUSINESS_NUMBER, CUSTOMER, useSandbox } from './support';

const api = useSandbox();

const text = {
	messaging_object: {
		messaging_product: 'whatsapp',
		to: CUSTOMER,
		type: 'text',
		text: { body: 'Your order shipped' },
	},
};

describe("Issue 19, point 5: Meta's per-number window in the sandbox", () => {
	afterEach(() => api.sandbox.metaWindow(undefined));

	it('accepts 3 in a second at a window of 3 and refuses the rest with 429 / 130429; another number has its own window', async () => {
		api.sandbox.metaWindow(3);
		const replies = await Promise.all(
			Array.from({ length: 5 }, async () => await api.sendV2(text)),
		);
		const other = await api.sendV2(text, { number: '+919900000002' });

		expect(replies.map((r) => r.status).sort()).toEqual([202, 202, 202, 429, 429]);
		expect(replies.find((r) => r.status === 429)!.json).toMatchObject({ code: '130429' });
		expect(other.status).toBe(202);
		expect(api.sandbox.messages).toHaveLength(4);
		expect(api.sandbox.metaThrottles()).toBe(2);
	});

	it('is off by default: five at once are all accepted', async () => {
		const replies = await Promise.all(
			Array.from({ length: 5 }, async () => await api.sendV2(text)),
		);
		expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
		expect(api.sandbox.metaThrottles()).toBe(0);
		expect(ACCOUNT.numbers).toContain(BUSINESS_NUMBER);
	});
});
