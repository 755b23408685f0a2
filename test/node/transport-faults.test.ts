/**
 * Issue 6, the transport fault matrix: a real socket (a tiny HTTP server on 127.0.0.1) plays a
 * misbehaving Kaleyra or gateway, the node runs in n8n's engine, and each fault shows the exact
 * `retryable` / `maybeSent` of the item and how many times the message reached the server.
 * The cases about the deadline shorten it to 300 ms (TRANSPORT.timeoutMs), so the hang and the
 * endless trickle cost a fraction of a second, not the 30 s a user waits; the others keep 30 s.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { TRANSPORT } from '../../nodes/KaleyraWhatsApp/shared/transport';
import { itemsOf, loadFixture, run, talkToARealServerWithoutNock, withNode } from './support';

type Play = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;

let server: Server;
let baseUrl = '';
let play: Play = () => undefined;
let attempts = 0;
const sockets = new Set<Socket>();

beforeAll(async () => {
	server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => play(req, res, ++attempts));
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

/**
 * Only the cases about the deadline shorten it (DEADLINE_CASE_MS): every other case keeps the
 * real 30 s, so a busy machine cannot turn a redirect or a 502 into a timeout.
 */
const DEADLINE_CASE_MS = 300;

beforeEach(() => {
	TRANSPORT.timeoutMs = 30_000;
});

afterEach(() => {
	TRANSPORT.timeoutMs = 30_000;
	for (const socket of sockets) socket.destroy();
	attempts = 0;
});

afterAll(async () => await new Promise<void>((resolve) => server.close(() => resolve())));
talkToARealServerWithoutNock();

const ACCEPTED = JSON.stringify({
	code: 'WA202',
	message: 'Request Accepted',
	data: { message_id: 'wamid.OK' },
	error: {},
});

async function sendOne(): Promise<IDataObject> {
	const fixture = withNode(loadFixture('send-text'), { onError: 'continueRegularOutput' });
	const result = await run(fixture, [{ phone: '+919811111111', name: 'Asha', orderId: 'A-1001' }], {
		pod: 'custom',
		baseUrl,
	});
	const [item] = itemsOf(result);
	return item.json;
}

const outcome = (json: IDataObject) =>
	json.status === 'accepted'
		? { status: 'accepted' }
		: { retryable: json.retryable, maybeSent: json.maybeSent, httpStatus: json.httpStatus };

interface Fault {
	name: string;
	play: Play;
	expected: IDataObject;
	sends: number;
	/** The request deadline for a case about the deadline; the real 30 s unless said. */
	deadlineMs?: number;
}

const json = (
	res: ServerResponse,
	status: number,
	body: string,
	headers: Record<string, string> = {},
) => {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(body);
};

const faults: Fault[] = [
	...[301, 302, 307].map((status): Fault => ({
		name: `redirect ${status} to http://collector.example.net is not followed`,
		play: (_, res) => {
			res.writeHead(status, { location: 'http://collector.example.net/collect' });
			res.end();
		},
		expected: { retryable: false, maybeSent: true, httpStatus: status },
		sends: 1,
	})),
	{
		name: 'reset mid-body',
		play: (_, res) => {
			res.writeHead(202, {
				'content-type': 'application/json',
				'content-length': String(ACCEPTED.length),
			});
			res.write(ACCEPTED.slice(0, 20));
			setImmediate(() => res.socket?.destroy());
		},
		expected: { retryable: false, maybeSent: true, httpStatus: null },
		sends: 1,
	},
	{
		name: 'trickle: the acceptance one byte every 5 ms is read whole',
		play: (_, res) => {
			res.writeHead(202, { 'content-type': 'application/json' });
			let at = 0;
			const next = () => {
				if (at >= ACCEPTED.length) {
					res.end();
					return;
				}
				res.write(ACCEPTED[at++]);
				setTimeout(next, 5);
			};
			next();
		},
		expected: { status: 'accepted' },
		sends: 1,
	},
	{
		name: 'truncated JSON in a 202',
		play: (_, res) => json(res, 202, ACCEPTED.slice(0, 40)),
		expected: { retryable: false, maybeSent: true, httpStatus: 202 },
		sends: 1,
	},
	{
		name: '2xx without a message ID (202 {})',
		play: (_, res) => json(res, 202, '{}'),
		expected: { retryable: false, maybeSent: true, httpStatus: 202 },
		sends: 1,
	},
	{
		name: 'gateway 502 HTML',
		play: (_, res) => {
			res.writeHead(502, { 'content-type': 'text/html' });
			res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
		},
		expected: { retryable: true, maybeSent: true, httpStatus: 502 },
		sends: 1,
	},
	{
		name: "8. Kaleyra's own WA500: it may have queued the message before failing",
		play: (_, res) =>
			json(
				res,
				500,
				'{"code":"WA500","message":"Internal server error, please try again later","data":{},"error":{}}',
			),
		expected: { retryable: true, maybeSent: true, httpStatus: 500 },
		sends: 1,
	},
	{
		name: 'hang: no answer, ends at the deadline',
		play: () => undefined,
		expected: { retryable: false, maybeSent: true, httpStatus: null },
		sends: 1,
		deadlineMs: DEADLINE_CASE_MS,
	},
	{
		name: 'endless trickle: a byte every 40 ms, never idle, ends at the deadline all the same',
		play: (req, res) => {
			res.writeHead(202, { 'content-type': 'application/json' });
			const timer = setInterval(() => res.write(' '), 40);
			req.socket.on('close', () => clearInterval(timer));
		},
		expected: { retryable: false, maybeSent: true, httpStatus: null },
		sends: 1,
		deadlineMs: DEADLINE_CASE_MS,
	},
	{
		name: 'gateway 504 text',
		play: (_, res) => {
			res.writeHead(504, { 'content-type': 'text/plain' });
			res.end('Gateway Timeout');
		},
		expected: { retryable: true, maybeSent: true, httpStatus: 504 },
		sends: 1,
	},
	...[
		['Retry-After: 0', { 'retry-after': '0' }],
		['Retry-After: 1 (seconds)', { 'retry-after': '1' }],
		[
			'Retry-After as an HTTP date in the past',
			{ 'retry-after': new Date(Date.now() - 60_000).toUTCString() },
		],
		[
			'Retry-After as an HTTP date 1 s ahead',
			{ 'retry-after': new Date(Date.now() + 1_000).toUTCString() },
		],
		['no Retry-After', {}],
		['an unreadable Retry-After ("soon")', { 'retry-after': 'soon' }],
		['a negative Retry-After ("-5": invalid, the default pause)', { 'retry-after': '-5' }],
	].map(([label, headers]): Fault => ({
		name: `429 with ${label as string}, then accepted: retried once`,
		play: (_, res, attempt) =>
			attempt === 1
				? json(res, 429, '{"message":"Too many requests"}', headers as Record<string, string>)
				: json(res, 202, ACCEPTED),
		expected: { status: 'accepted' },
		sends: 2,
	})),
	{
		name: '429 every time: given up after 3 tries, not sent',
		play: (_, res) => json(res, 429, '{"message":"Too many requests"}', { 'retry-after': '0' }),
		expected: { retryable: true, maybeSent: false, httpStatus: 429 },
		sends: 3,
	},
];

describe('Transport fault matrix against a real socket', () => {
	it.each(faults)(
		'$name → $expected, $sends send(s)',
		async ({ play: fault, expected, sends, deadlineMs }) => {
			play = fault;
			if (deadlineMs !== undefined) TRANSPORT.timeoutMs = deadlineMs;
			const item = await sendOne();
			expect(outcome(item)).toEqual(expected);
			expect(attempts).toBe(sends);
		},
	);

	it("point 16: only the cases about the deadline shorten it, so none of the others depends on the machine's speed", () => {
		expect(
			faults.filter((fault) => fault.deadlineMs !== undefined).map((fault) => fault.name),
		).toEqual([
			'hang: no answer, ends at the deadline',
			'endless trickle: a byte every 40 ms, never idle, ends at the deadline all the same',
		]);
	});

	it('a timed-out request says so: ETIMEDOUT, "Kaleyra did not answer in time"', async () => {
		play = () => undefined;
		TRANSPORT.timeoutMs = DEADLINE_CASE_MS;
		const item = await sendOne();
		expect({ code: item.code, error: item.error }).toEqual({
			code: 'ETIMEDOUT',
			error: 'Kaleyra did not answer in time',
		});
	});
});
