/**
 * Issue 22, point 9: the trigger's cost per callback. n8n reads and decrypts the callback
 * credential on every getCredentials() (in n8n 2.x inside an expression isolate of its own), so a
 * burst of callbacks to one trigger reads it once and reuses the settings for a few seconds.
 * Changing the secret must still work: a callback the kept settings refuse is checked against a
 * fresh read before it gets 401.
 */
import { TestCredentialsHelper } from '../helpers/credentials-helper';
import { SETTINGS_KEPT_MS } from '../../nodes/KaleyraWhatsAppTrigger/recent-settings';

import { incoming, message } from './payloads';
import { SECRET, TriggerUnderTest, withSecret } from './support';

const NEW_SECRET = 'kly-cb-4Rt8-ROTATED-m2Kq7Yv';
const text = (n: number) =>
	incoming([message('text', { text: { body: `Message ${n}` } }, { id: `wamid.BURST${n}` })]);
const STARTED = { received: 1, started: 1, notChosen: 0, duplicates: 0 };
const REFUSED = {
	code: 401,
	message: 'Unauthorized: this callback is not from your Kaleyra callback profile',
};

function triggerWithCredential() {
	const callback = {
		authentication: 'secretHeader',
		headerName: 'X-Kaleyra-Secret',
		secret: SECRET,
	};
	const trigger = new TriggerUnderTest({ events: ['text'] }, { version: 1.1, callback });
	return { trigger, callback };
}

describe('point 9: the callback credential is read once per burst, not per callback', () => {
	let reads: jest.SpyInstance;
	let now: jest.SpyInstance;
	let clock: number;

	beforeEach(() => {
		reads = jest.spyOn(TestCredentialsHelper.prototype, 'getDecrypted');
		clock = Date.UTC(2026, 11, 6, 23, 0, 0);
		now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
	});

	afterEach(() => {
		reads.mockRestore();
		now.mockRestore();
	});

	it('point 9: ten callbacks in a row start ten runs and read the credential once', async () => {
		const { trigger } = triggerWithCredential();
		for (let n = 1; n <= 10; n++) {
			const answer = await trigger.receive({ body: text(n), headers: withSecret() });
			expect([answer.body, answer.items?.[0].text]).toEqual([STARTED, `Message ${n}`]);
			clock += 100;
		}
		expect(reads).toHaveBeenCalledTimes(1);
	});

	it('point 9: a new secret in the credential is accepted at once', async () => {
		const { trigger, callback } = triggerWithCredential();
		await trigger.receive({ body: text(1), headers: withSecret() });
		callback.secret = NEW_SECRET;
		const answer = await trigger.receive({
			body: text(2),
			headers: { 'X-Kaleyra-Secret': NEW_SECRET },
		});
		expect(answer.body).toEqual(STARTED);
		expect(reads).toHaveBeenCalledTimes(2);
	});

	it(`point 9: the old secret works at most ${SETTINGS_KEPT_MS / 1000} s after the credential was last read`, async () => {
		const { trigger, callback } = triggerWithCredential();
		await trigger.receive({ body: text(1), headers: withSecret() });
		callback.secret = NEW_SECRET;
		clock += SETTINGS_KEPT_MS - 100;
		expect((await trigger.receive({ body: text(2), headers: withSecret() })).body).toEqual(STARTED);
		clock += 100;
		const answer = await trigger.receive({ body: text(3), headers: withSecret() });
		expect([answer.status, answer.body, answer.items]).toEqual([401, REFUSED, undefined]);
	});

	it('point 9: a wrong secret is refused on a fresh read even while the right one is kept', async () => {
		const { trigger } = triggerWithCredential();
		await trigger.receive({ body: text(1), headers: withSecret() });
		const answer = await trigger.receive({
			body: text(2),
			headers: { 'X-Kaleyra-Secret': `${SECRET}x` },
		});
		expect([answer.status, answer.body, answer.items]).toEqual([401, REFUSED, undefined]);
		expect(reads).toHaveBeenCalledTimes(2);
	});

	it('point 9: two triggers on one credential keep their settings apart', async () => {
		const first = triggerWithCredential();
		const second = triggerWithCredential();
		await first.trigger.receive({ body: text(1), headers: withSecret() });
		second.callback.secret = NEW_SECRET;
		const answer = await second.trigger.receive({ body: text(2), headers: withSecret() });
		expect(answer.status).toBe(401);
	});
});
