import { ACCOUNT, BUSINESS_NUMBER, CUSTOMER, WAMID, useSandbox } from './support';

const api = useSandbox();

const text = {
	messaging_object: {
		messaging_product: 'whatsapp',
		to: CUSTOMER,
		type: 'text',
		text: { body: 'Your order shipped' },
	},
};
const v2Path = `/v2/${ACCOUNT.sid}/whatsapp/${BUSINESS_NUMBER}/messages`;
const profilesPath = `/v1/${ACCOUNT.sid}/callback/profiles?limit=1&offset=0`;
const profiles = () => api.call(profilesPath, { headers: { 'api-key': ACCOUNT.apiKey } });

async function until(condition: () => boolean, timeoutMs = 3000) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('fault kinds', () => {
	it('latency: waits, then handles the request normally', async () => {
		api.sandbox.fault({ kind: 'latency', ms: 300 });
		const started = Date.now();
		const reply = await api.sendV2(text);

		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
		expect(reply.status).toBe(202);
		expect(reply.json.data.message_id).toMatch(WAMID);
		expect(api.sandbox.messages).toHaveLength(1);
		expect(api.sandbox.requests[0]).toMatchObject({ status: 202, fault: 'latency' });
	});

	it('latency past the client’s timeout: the client gives up, yet the message is accepted', async () => {
		api.sandbox.fault({ kind: 'latency', ms: 400 });
		await expect(
			api.call(v2Path, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'api-key': ACCOUNT.apiKey },
				body: JSON.stringify(text),
				signal: AbortSignal.timeout(100),
			}),
		).rejects.toMatchObject({ name: 'TimeoutError' });

		await until(() => api.sandbox.messages.length === 1);
		expect(api.sandbox.requests[0]).toMatchObject({ status: 202, fault: 'latency' });
	});

	it('status 429: answers with the Retry-After header given', async () => {
		api.sandbox.fault({ kind: 'status', status: 429, retryAfter: 7 });
		const reply = await api.sendV2(text);

		expect(reply.status).toBe(429);
		expect(reply.headers['retry-after']).toBe('7');
		expect(reply.json).toEqual({
			message: 'Too Many Requests',
			data: {},
			error: { error: 'Too many requests, retry later' },
		});
	});

	it('status 429 without retryAfter: no Retry-After header', async () => {
		api.sandbox.fault({ kind: 'status', status: 429 });
		const reply = await api.sendV2(text);
		expect(reply.status).toBe(429);
		expect(reply.headers['retry-after']).toBeUndefined();
	});

	it('status 500: Kaleyra’s WA500 body', async () => {
		api.sandbox.fault({ kind: 'status', status: 500 });
		const reply = await api.sendV2(text);
		expect(reply.status).toBe(500);
		expect(reply.json).toEqual({
			code: 'WA500',
			message: 'Please try again later',
			data: {},
			error: { error: 'Internal server error' },
		});
	});

	it('status 503: a plain JSON body', async () => {
		api.sandbox.fault({ kind: 'status', status: 503 });
		const reply = await api.sendV2(text);
		expect(reply.status).toBe(503);
		expect(reply.headers['content-type']).toBe('application/json');
		expect(reply.json).toEqual({ message: 'Service Unavailable' });
	});

	it('status with a scripted body: sends that body', async () => {
		const low = {
			code: 'E110',
			message: 'Please check your balance, You have a low balance!',
			data: {},
			error: {},
		};
		api.sandbox.fault({ kind: 'status', status: 400, body: low });
		const reply = await api.sendV2(text);
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual(low);
	});

	it('reset: destroys the socket without answering', async () => {
		api.sandbox.fault({ kind: 'reset' });
		await expect(api.sendV2(text)).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
		expect(api.sandbox.requests).toEqual([
			expect.objectContaining({ status: null, fault: 'reset' }),
		]);
	});

	it('hang: never answers, so the client times out', async () => {
		api.sandbox.fault({ kind: 'hang' });
		await expect(
			api.call(profilesPath, { headers: { 'api-key': ACCOUNT.apiKey }, headersTimeout: 300 }),
		).rejects.toMatchObject({
			code: 'UND_ERR_HEADERS_TIMEOUT',
		});
		expect(api.sandbox.requests).toEqual([
			expect.objectContaining({ status: null, fault: 'hang' }),
		]);
	});

	it('html: a gateway’s 502 page', async () => {
		api.sandbox.fault({ kind: 'html' });
		const reply = await api.sendV2(text);
		expect(reply.status).toBe(502);
		expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(reply.text).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
	});

	it('html with another status', async () => {
		api.sandbox.fault({ kind: 'html', status: 504 });
		const reply = await api.sendV2(text);
		expect(reply.status).toBe(504);
		expect(reply.text).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
	});

	it('empty: 200 with an empty body', async () => {
		api.sandbox.fault({ kind: 'empty' });
		const reply = await api.sendV2(text);
		expect(reply.status).toBe(200);
		expect(reply.headers['content-length']).toBe('0');
		expect(reply.text).toBe('');
	});

	it('empty with another status', async () => {
		api.sandbox.fault({ kind: 'empty', status: 202 });
		const reply = await api.sendV2(text);
		expect(reply.status).toBe(202);
		expect(reply.text).toBe('');
	});

	it('records every faulted request, and never a faulted message', async () => {
		api.sandbox.fault([
			{ kind: 'status', status: 500 },
			{ kind: 'html' },
			{ kind: 'empty' },
			{ kind: 'status', status: 429, retryAfter: 1 },
		]);
		for (let i = 0; i < 4; i++) await api.sendV2(text);

		expect(api.sandbox.requests.map(({ status, fault }) => [status, fault])).toEqual([
			[500, 'status'],
			[502, 'html'],
			[200, 'empty'],
			[429, 'status'],
		]);
		expect(api.sandbox.messages).toEqual([]);
	});
});

describe('fault scheduling', () => {
	it('applies a fault `times` times, then answers normally', async () => {
		api.sandbox.fault({ kind: 'status', status: 500, times: 2 });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await api.sendV2(text)).status);

		expect(statuses).toEqual([500, 500, 202]);
		expect(api.sandbox.messages).toHaveLength(1);
		expect(api.sandbox.pendingFaults()).toEqual([]);
	});

	it('consumes matching faults in the order they were scripted', async () => {
		api.sandbox.fault({ kind: 'status', status: 429, retryAfter: 2 });
		api.sandbox.fault({ kind: 'status', status: 503 });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await api.sendV2(text)).status);
		expect(statuses).toEqual([429, 503, 202]);
	});

	it('shows the pending faults with the times left', async () => {
		api.sandbox.fault({
			match: { method: 'post', path: '/messages' },
			kind: 'status',
			status: 500,
			times: 3,
		});
		await api.sendV2(text);
		expect(api.sandbox.pendingFaults()).toEqual([
			{ match: { method: 'post', path: '/messages' }, times: 2, kind: 'status', status: 500 },
		]);
	});

	it('matches on method, case-insensitively', async () => {
		api.sandbox.fault({ match: { method: 'get' }, kind: 'status', status: 503 });
		expect((await api.sendV2(text)).status).toBe(202);
		expect((await profiles()).status).toBe(503);
		expect((await profiles()).status).toBe(200);
	});

	it('matches on a path substring', async () => {
		api.sandbox.fault({ match: { path: '/callback/profiles' }, kind: 'status', status: 500 });
		expect((await api.sendV2(text)).status).toBe(202);
		expect((await profiles()).status).toBe(500);
	});

	it('matches on a path given as a RegExp source string (as JSON carries it)', async () => {
		api.sandbox.fault({
			match: { path: '^/v2/[^/]+/whatsapp/\\+?\\d+/messages$' },
			kind: 'status',
			status: 500,
		});
		expect((await profiles()).status).toBe(200);
		expect((await api.sendV2(text)).status).toBe(500);
	});

	it('matches on a RegExp', async () => {
		api.sandbox.fault({ match: { path: /limit=1/ }, kind: 'empty' });
		expect((await api.sendV2(text)).status).toBe(202);
		expect((await profiles()).text).toBe('');
	});

	it('leaves a fault for other paths pending while non-matching requests pass', async () => {
		api.sandbox.fault({ match: { path: '/v1/' }, kind: 'status', status: 500 });
		await api.sendV2(text);
		await api.sendV2(text);
		expect(api.sandbox.pendingFaults()).toHaveLength(1);
	});

	it('clearFaults() drops every pending fault', async () => {
		api.sandbox.fault({ kind: 'status', status: 500, times: 5 });
		api.sandbox.clearFaults();
		expect((await api.sendV2(text)).status).toBe(202);
	});

	it('applies faults to requests that would fail anyway (a wrong key still sees the fault)', async () => {
		api.sandbox.fault({ kind: 'status', status: 503 });
		expect((await api.sendV2(text, { apiKey: 'wrong' })).status).toBe(503);
	});

	it.each([
		['no kind', {}, 'fault kind must be one of latency, status, reset, hang, html, empty'],
		[
			'an unknown kind',
			{ kind: 'slow' },
			'fault kind must be one of latency, status, reset, hang, html, empty',
		],
		['latency without ms', { kind: 'latency' }, 'a latency fault needs ms >= 0'],
		['status without status', { kind: 'status' }, 'a status fault needs a status'],
		[
			'a status out of range',
			{ kind: 'status', status: 99 },
			'fault status must be an HTTP status from 200 to 599',
		],
		[
			'times 0',
			{ kind: 'reset', times: 0 },
			'fault times must be a positive integer (or Infinity)',
		],
		[
			'a path that is a number',
			{ kind: 'reset', match: { path: 3 } },
			'fault match.path must be a string or a RegExp',
		],
	])('refuses a fault spec with %s', (_name, spec, message) => {
		expect(() => api.sandbox.fault(spec as never)).toThrow(message);
		expect(api.sandbox.pendingFaults()).toEqual([]);
	});
});
