import { request } from 'undici';
import { DEFAULT_ACCOUNT, isLoopback, startSandbox } from '../../sandbox';
import { ACCOUNT, BUSINESS_NUMBER, CUSTOMER, OTHER_ACCOUNT, useSandbox } from './support';

const api = useSandbox();

const text = {
	messaging_object: {
		messaging_product: 'whatsapp',
		to: CUSTOMER,
		type: 'text',
		text: { body: 'Hello' },
	},
};
const NOT_FOUND = { code: 'E404', message: 'Not found' };

describe('listening', () => {
	it.each(['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '::ffff:10.0.0.1'])(
		'refuses to listen on %s',
		async (host) => {
			await expect(startSandbox({ host })).rejects.toThrow(
				`the Kaleyra sandbox listens on loopback addresses only (127.0.0.0/8, ::1, localhost), not ${host}`,
			);
		},
	);

	it.each([
		['127.0.0.1', true],
		['127.10.20.30', true],
		['::1', true],
		['[::1]', true],
		['0:0:0:0:0:0:0:1', true],
		['localhost', true],
		['128.0.0.1', false],
		['', false],
	])('counts %s as loopback: %s', (host, expected) => {
		expect(isLoopback(host)).toBe(expected);
	});

	it.each(['127.0.0.2', 'localhost'])(
		'listens on %s, quickly, with the default account',
		async (host) => {
			const started = Date.now();
			const sandbox = await startSandbox({ host });
			try {
				expect(Date.now() - started).toBeLessThan(1000);
				expect(sandbox.url).toMatch(/^http:\/\/(127\.\d+\.\d+\.\d+|\[::1\]):\d+$/);
				expect(sandbox.accounts).toEqual([
					{
						sid: 'HXSANDBOX01',
						numbers: ['+919900000001'],
						postpaid: false,
						wabaId: '100000000000001',
					},
				]);
				const reply = await request(
					`${sandbox.url}/v2/${DEFAULT_ACCOUNT.sid}/whatsapp/${DEFAULT_ACCOUNT.numbers[0]}/messages`,
					{
						method: 'POST',
						headers: { 'content-type': 'application/json', 'api-key': DEFAULT_ACCOUNT.apiKey },
						body: JSON.stringify(text),
					},
				);
				expect(reply.statusCode).toBe(202);
				await reply.body.dump();
			} finally {
				await sandbox.close();
			}
		},
	);

	it('refuses options it cannot serve', async () => {
		await expect(startSandbox({ port: 'x' as never })).rejects.toThrow(
			'port must be an integer from 0 to 65535, not x',
		);
		await expect(startSandbox({ port: 70000 })).rejects.toThrow(
			'port must be an integer from 0 to 65535, not 70000',
		);
		await expect(startSandbox({ accounts: [] })).rejects.toThrow(
			'accounts must be a non-empty array',
		);
		await expect(
			startSandbox({ accounts: [{ sid: 'HX1', apiKey: 'k', numbers: ['12'] }] }),
		).rejects.toThrow('account HX1: 12 is not an E.164 number');
		await expect(startSandbox({ accounts: [ACCOUNT, ACCOUNT] })).rejects.toThrow(
			`account ${ACCOUNT.sid} is listed twice`,
		);
	});

	it('close() ends a hanging request, so nothing is left open', async () => {
		const sandbox = await startSandbox({ accounts: [ACCOUNT] });
		sandbox.fault({ kind: 'hang' });
		const pending = request(`${sandbox.url}/v1/${ACCOUNT.sid}/callback/profiles`, {
			headers: { 'api-key': ACCOUNT.apiKey },
		});
		const outcome = pending.then(
			() => 'answered',
			(error: { code?: string }) => error.code,
		);
		while (sandbox.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

		await sandbox.close();
		expect(await outcome).toBe('UND_ERR_SOCKET');
		await expect(sandbox.close()).resolves.toBeUndefined();
	});

	it('close() cuts a latency fault short without handling the request', async () => {
		const sandbox = await startSandbox({ accounts: [ACCOUNT] });
		sandbox.fault({ kind: 'latency', ms: 60_000 });
		const outcome = request(
			`${sandbox.url}/v2/${ACCOUNT.sid}/whatsapp/${BUSINESS_NUMBER}/messages`,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json', 'api-key': ACCOUNT.apiKey },
				body: JSON.stringify(text),
			},
		).then(
			() => 'answered',
			(error: { code?: string }) => error.code,
		);
		while (sandbox.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

		await sandbox.close();
		expect(await outcome).toBe('UND_ERR_SOCKET');
		expect(sandbox.messages).toEqual([]);
	});

	it('logs one line per request', async () => {
		const lines: string[] = [];
		const sandbox = await startSandbox({ accounts: [ACCOUNT], log: (line) => lines.push(line) });
		try {
			sandbox.fault({ kind: 'status', status: 500 });
			for (const apiKey of [ACCOUNT.apiKey, ACCOUNT.apiKey]) {
				const reply = await request(
					`${sandbox.url}/v2/${ACCOUNT.sid}/whatsapp/${BUSINESS_NUMBER}/messages`,
					{
						method: 'POST',
						headers: { 'content-type': 'application/json', 'api-key': apiKey },
						body: JSON.stringify(text),
					},
				);
				await reply.body.dump();
			}
		} finally {
			await sandbox.close();
		}
		const path = `/v2/${ACCOUNT.sid}/whatsapp/${BUSINESS_NUMBER}/messages`;
		expect(lines).toEqual([`POST ${path} 500 (fault: status)`, `POST ${path} 202`]);
	});
});

describe('what it records', () => {
	it('records each request as sent, with the api-key redacted', async () => {
		const body = JSON.stringify(text);
		await api.sendV2(body);

		expect(api.sandbox.requests).toEqual([
			{
				method: 'POST',
				path: `/v2/${ACCOUNT.sid}/whatsapp/${BUSINESS_NUMBER}/messages`,
				headers: expect.objectContaining({
					'content-type': 'application/json',
					'api-key': 'REDACTED',
				}),
				body,
				status: 202,
				fault: null,
				receivedAt: expect.any(String),
			},
		]);
	});

	it('never keeps an API key, right or wrong, in requests', async () => {
		const keys = [ACCOUNT.apiKey, OTHER_ACCOUNT.apiKey, 'a-wrong-key-123'];
		for (const apiKey of keys) {
			await api.sendV2(text, { apiKey });
			await api.sendV1Form({ to: '919812345678', type: 'reply' }, { apiKey });
			await api.call(`/v1/${ACCOUNT.sid}/callback/profiles`, { headers: { 'api-key': apiKey } });
		}
		api.sandbox.fault({ kind: 'reset' });
		await api.sendV2(text).catch(() => undefined);

		expect(api.sandbox.requests).toHaveLength(10);
		const recorded = JSON.stringify(api.sandbox.requests);
		const served = (await api.call('/__sandbox/requests')).text;
		for (const key of keys) {
			expect(recorded).not.toContain(key);
			expect(served).not.toContain(key);
		}
		expect(api.sandbox.requests.every((entry) => entry.headers['api-key'] === 'REDACTED')).toBe(
			true,
		);
	});

	it('answers 404 E404 to anything else, and records it', async () => {
		for (const [method, path] of [
			['GET', '/'],
			['GET', `/v2/${ACCOUNT.sid}/whatsapp/${BUSINESS_NUMBER}/messages`],
			['POST', `/v1/${ACCOUNT.sid}/callback/profiles`],
			['POST', `/v3/${ACCOUNT.sid}/messages`],
		]) {
			const reply = await api.call(path, {
				method: method as 'GET' | 'POST',
				headers: { 'api-key': ACCOUNT.apiKey },
			});
			expect([path, reply.status, reply.json]).toEqual([path, 404, NOT_FOUND]);
		}
		expect(api.sandbox.requests.map((entry) => entry.status)).toEqual([404, 404, 404, 404]);
	});

	it('reset() clears messages, requests and faults', async () => {
		await api.sendV2(text);
		api.sandbox.fault({ kind: 'status', status: 500 });
		api.sandbox.reset();

		expect(api.sandbox.messages).toEqual([]);
		expect(api.sandbox.requests).toEqual([]);
		expect(api.sandbox.pendingFaults()).toEqual([]);
		expect((await api.sendV2(text)).status).toBe(202);
	});
});

describe('admin endpoints (for another process)', () => {
	it('GET /__sandbox/health describes the sandbox without its keys', async () => {
		await api.sendV2(text);
		const reply = await api.call('/__sandbox/health');

		expect(reply.status).toBe(200);
		expect(reply.json).toEqual({
			status: 'ok',
			url: api.sandbox.url,
			accounts: [
				{ sid: ACCOUNT.sid, numbers: ['+919900000001', '+919900000002'], postpaid: false },
				{ sid: OTHER_ACCOUNT.sid, numbers: ['+14155550100'], postpaid: true },
			],
			messages: 1,
			requests: 1,
			faults: 0,
			inFlight: 0,
			maxInFlight: 1,
		});
		expect(reply.text).not.toContain(ACCOUNT.apiKey);
	});

	it('GET /__sandbox/messages and /__sandbox/requests serve the records, and are not recorded themselves', async () => {
		await api.sendV2(text);
		const messages = await api.call('/__sandbox/messages');
		const requests = await api.call('/__sandbox/requests');

		expect(messages.json).toEqual(JSON.parse(JSON.stringify(api.sandbox.messages)));
		expect(messages.json).toHaveLength(1);
		expect(requests.json).toEqual(JSON.parse(JSON.stringify(api.sandbox.requests)));
		expect(requests.json).toHaveLength(1);
	});

	it('POST /__sandbox/faults scripts one fault or several', async () => {
		const one = await api.call('/__sandbox/faults', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				match: { path: '/messages' },
				kind: 'status',
				status: 429,
				retryAfter: 3,
			}),
		});
		const several = await api.call('/__sandbox/faults', {
			method: 'POST',
			body: JSON.stringify([{ kind: 'html' }, { kind: 'empty', times: 2 }]),
		});
		expect(one.json).toEqual({ added: 1, pending: 1 });
		expect(several.json).toEqual({ added: 2, pending: 3 });
		expect((await api.call('/__sandbox/faults')).json).toEqual([
			{ match: { path: '/messages' }, times: 1, kind: 'status', status: 429, retryAfter: 3 },
			{ match: {}, times: 1, kind: 'html' },
			{ match: {}, times: 2, kind: 'empty' },
		]);

		const first = await api.sendV2(text);
		expect([first.status, first.headers['retry-after']]).toEqual([429, '3']);
		expect((await api.sendV2(text)).status).toBe(502);
	});

	it('POST /__sandbox/faults refuses an invalid spec and adds none of a batch', async () => {
		const invalid = await api.call('/__sandbox/faults', {
			method: 'POST',
			body: JSON.stringify([{ kind: 'html' }, { kind: 'latency' }]),
		});
		const notJson = await api.call('/__sandbox/faults', { method: 'POST', body: 'kind=html' });

		expect(invalid.status).toBe(400);
		expect(invalid.json).toEqual({
			code: 'SANDBOX400',
			message: 'invalid fault spec: a latency fault needs ms >= 0',
		});
		expect(notJson.status).toBe(400);
		expect(notJson.json.code).toBe('SANDBOX400');
		expect(api.sandbox.pendingFaults()).toEqual([]);
	});

	it('DELETE /__sandbox/faults clears them', async () => {
		api.sandbox.fault({ kind: 'status', status: 500, times: 3 });
		const reply = await api.call('/__sandbox/faults', { method: 'DELETE' });
		expect(reply.json).toEqual({ pending: 0 });
		expect((await api.sendV2(text)).status).toBe(202);
	});

	it('POST /__sandbox/reset clears everything', async () => {
		await api.sendV2(text);
		api.sandbox.fault({ kind: 'status', status: 500 });
		const reply = await api.call('/__sandbox/reset', { method: 'POST' });

		expect(reply.json).toEqual({ status: 'reset' });
		expect(api.sandbox.messages).toEqual([]);
		expect(api.sandbox.requests).toEqual([]);
		expect(api.sandbox.pendingFaults()).toEqual([]);
	});

	it('faults never apply to the admin endpoints', async () => {
		api.sandbox.fault({ kind: 'reset' });
		expect((await api.call('/__sandbox/health')).status).toBe(200);
		expect(api.sandbox.pendingFaults()).toHaveLength(1);
	});

	it('answers 404 to an unknown admin endpoint', async () => {
		const reply = await api.call('/__sandbox/nothing');
		expect([reply.status, reply.json]).toEqual([404, NOT_FOUND]);
	});
});
