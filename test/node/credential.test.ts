/**
 * The Kaleyra WhatsApp API credential: how it authenticates, what its connection test calls for
 * each pod (and that it is the same base the node sends messages to), what the test tells the user,
 * and the base URLs the node refuses before sending anything.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IAuthenticate } from 'n8n-workflow';

import { KaleyraWhatsAppApi, POD_HOSTS } from '../../credentials/KaleyraWhatsAppApi.credentials';
import {
	ACCOUNTS,
	API_KEY,
	INDIA,
	SEND_NODE,
	SID,
	accepted,
	itKeepsTheApiKeyOutOfEverythingUsersSee,
	itemsOf,
	kaleyra,
	loadFixture,
	run,
	setUpNock,
	testConnection,
	unexpectedRequests,
	verdict,
	withNode,
} from './support';

setUpNock();

/** The README's section under the heading GitHub and npm give the anchor `anchor`, up to the next heading. */
function readmeSection(anchor: string): string {
	const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
	const headings = [...readme.matchAll(/^#+ (.+)$/gm)];
	const start = headings.findIndex(
		(heading) =>
			heading[1]
				.toLowerCase()
				.replace(/[^a-z0-9 -]/g, '')
				.replace(/ /g, '-') === anchor,
	);
	if (start === -1) throw new Error(`README has no heading for #${anchor}`);
	return readme.slice(headings[start].index, headings[start + 1]?.index);
}

const credential = new KaleyraWhatsAppApi();

const profilesPath = `/v1/${SID}/callback/profiles?limit=1&offset=0`;

describe('Authentication', () => {
	it('puts the API key into the api-key header, and changes nothing else of the request', async () => {
		const authenticate = credential.authenticate as Extract<
			IAuthenticate,
			(...args: never[]) => unknown
		>;
		const request = {
			method: 'POST' as const,
			url: 'https://api.in.kaleyra.io/v2/x',
			headers: { accept: 'application/json' },
			body: { a: 1 },
		};

		const authenticated = await authenticate({ sid: SID, apiKey: API_KEY, pod: 'in' }, request);

		expect(authenticated).toEqual({
			...request,
			headers: { accept: 'application/json', 'api-key': API_KEY },
		});
		expect(request.headers).toEqual({ accept: 'application/json' });
	});

	it('resolves to the real key on the wire: the connection test sends api-key and calls a read-only endpoint', async () => {
		const { received } = kaleyra(
			POD_HOSTS.in,
			[{ status: 200, body: { data: [], total: 0 } }],
			'GET',
		);

		await testConnection(INDIA);

		expect(
			received.map(({ method, url, headers }) => ({ method, url, apiKey: headers['api-key'] })),
		).toEqual([
			{ method: 'GET', url: `https://api.in.kaleyra.io${profilesPath}`, apiKey: API_KEY },
		]);
	});
});

describe('The connection test and the node agree on the host', () => {
	it.each(ACCOUNTS)('on the $label both call $baseUrl', async ({ account, baseUrl }) => {
		if (account.pod !== 'custom') expect(POD_HOSTS[account.pod]).toBe(baseUrl);
		const test = kaleyra(baseUrl, [{ status: 200, body: { data: [] } }], 'GET');
		const send = kaleyra(baseUrl, [accepted('wamid.1')]);

		const tested = await testConnection(account);
		const sent = await run(
			'send-text',
			[{ phone: '+919811111111', name: 'Asha', orderId: 'A-1' }],
			account,
		);

		expect(verdict(tested)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sent.error).toBeUndefined();
		expect(test.received.map((r) => r.url)).toEqual([`${baseUrl}${profilesPath}`]);
		expect(send.received.map((r) => r.url)).toEqual([
			`${baseUrl}/v2/${SID}/whatsapp/919845098450/messages`,
		]);
	});
});

describe('What the connection test tells the user', () => {
	it('a key Kaleyra accepts (200): "Connection successful!"', async () => {
		kaleyra(POD_HOSTS.eu, [{ status: 200, body: { data: [] } }], 'GET');

		expect(verdict(await testConnection({ pod: 'eu' }))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});

	it('a wrong SID or key (401, RBC001): check both, and the pod', async () => {
		const rbc001 = {
			status: 401,
			body: { code: 'RBC001', message: 'Incorrect SID or API key', data: [], error: {} },
		};
		// n8n's httpRequestWithAuthentication tries once more after a 401 (to refresh a credential).
		const { received } = kaleyra(POD_HOSTS.eu, [rbc001, rbc001], 'GET');

		expect(verdict(await testConnection({ pod: 'eu' }))).toEqual({
			status: 'Error',
			message:
				'Kaleyra rejected the SID or API key (RBC001). Check both, and that the pod matches the account (an India account does not work against the Europe pod).',
		});
		expect(received).toHaveLength(2);
	});

	it('an address where no Kaleyra API answers (404): check the pod or custom base URL', async () => {
		kaleyra('https://gateway.example.com', [{ status: 404, body: 'Not Found' }], 'GET');

		expect(
			verdict(
				await testConnection({ pod: 'custom', baseUrl: 'https://gateway.example.com/wrong' }),
			),
		).toEqual({
			status: 'Error',
			message: 'No Kaleyra API answered at this address. Check the pod or the custom base URL.',
		});
	});
});

describe('What the connection test says when something other than Kaleyra answers', () => {
	it('a corporate proxy that wants its own login (407): put it in HTTPS_PROXY', async () => {
		kaleyra(POD_HOSTS.in, [{ status: 407, body: 'Proxy Authentication Required' }], 'GET');

		expect(verdict(await testConnection(INDIA))).toEqual({
			status: 'Error',
			message:
				"This n8n's proxy wants a user name and password (HTTP 407). Put them in the proxy setting n8n starts with: HTTPS_PROXY=http://user:password@proxy:port.",
		});
	});

	it('a firewall or IP allow-list refusing the call (403): ask the network team or Kaleyra to allow this n8n', async () => {
		kaleyra(POD_HOSTS.in, [{ status: 403, body: '<html>Forbidden</html>' }], 'GET');

		expect(verdict(await testConnection(INDIA)).message).toBe(
			'The request was refused (HTTP 403) before Kaleyra checked the key: a firewall or proxy between n8n and Kaleyra blocks it, or the account allows API calls only from listed IP addresses. Ask your network team, or Kaleyra support, to allow this n8n.',
		);
	});

	it('Kaleyra limiting the account (429): wait a minute', async () => {
		kaleyra(POD_HOSTS.in, [{ status: 429, body: { message: 'Too Many Requests' } }], 'GET');

		expect(verdict(await testConnection(INDIA)).message).toBe(
			'Kaleyra is limiting requests from this account right now (HTTP 429). Wait a minute and test again.',
		);
	});

	it.each([500, 502, 503, 504])(
		'a gateway that could not reach Kaleyra (%i): check the address and the proxy, then try again later',
		async (status) => {
			kaleyra(
				'https://gateway.example.com',
				[{ status, body: '<html><h1>Bad Gateway</h1></html>' }],
				'GET',
			);

			expect(
				verdict(await testConnection({ pod: 'custom', baseUrl: 'https://gateway.example.com' })),
			).toEqual({
				status: 'Error',
				message: `The test got HTTP ${status} instead of Kaleyra's answer: a proxy or gateway between n8n and Kaleyra could not reach the Kaleyra API, or Kaleyra is having trouble. Check the pod or the custom base URL, and that your proxy lets this n8n reach api.*.kaleyra.io (or .ai). If the address is right, try again in a few minutes.`,
			});
		},
	);

	it("every code n8n shows bare, for a test that got no answer, is explained in the README section the dialog's docs link opens, with what to check", () => {
		const docs = new URL(credential.documentationUrl!);
		const section = readmeSection(docs.hash.slice(1));
		const explains = (code: string) =>
			section.split('\n').find((line) => line.startsWith('|') && line.includes(code)) ?? '';
		expect(explains('`ENOTFOUND`')).toMatch(/host name does not exist: check the pod or base URL/);
		expect(explains('`EAI_AGAIN`')).toMatch(/pod or base URL/);
		expect(explains('`ECONNREFUSED`')).toMatch(/nothing answers at that address or port/);
		expect(explains('`ECONNRESET`')).toMatch(/connection was cut, often by a firewall or a proxy/);
		expect(explains('`ECONNABORTED`')).toMatch(
			/no answer \(n8n waits up to 5 minutes.*\): a firewall drops it, or this n8n needs a proxy \(set `HTTPS_PROXY`\)/,
		);
		expect(explains('`ETIMEDOUT`')).toMatch(/proxy/);
		expect(explains('`SELF_SIGNED`')).toMatch(/certificate is not trusted, .*NODE_EXTRA_CA_CERTS/);
		// n8n 1.x shows its own sentence instead of the code; the section names those too.
		expect(explains('*incorrect host*')).toMatch(/pod or base URL/);
		expect(explains('*refused the connection*')).toMatch(/address or port/);
		expect(explains('*closed unexpectedly*')).toMatch(/firewall or a proxy/);
		expect(explains('*aborted*')).toMatch(
			/no answer .*firewall drops it, or this n8n needs a proxy/,
		);
		expect(explains('*certificate*')).toMatch(/NODE_EXTRA_CA_CERTS/);
		expect(explains('*Bad gateway*')).toMatch(
			/proxy or gateway could not reach Kaleyra: check the address and the proxy/,
		);
	});
});

describe('The connection test never sends the key in clear over a network', () => {
	it('a custom plain-http URL on another host is refused, and nothing is sent', async () => {
		const tested = await testConnection({ pod: 'custom', baseUrl: 'http://gateway.example.com' });

		expect(unexpectedRequests).toEqual([]);
		// The rule throws inside the base URL expression; n8n's tester then has no URL to call.
		expect(verdict(tested)).toEqual({ status: 'Error', message: 'Invalid URL' });
	});

	it('a plain-http sandbox on this machine stays on http', async () => {
		const { received } = kaleyra(
			'http://localhost:4010',
			[{ status: 200, body: { data: [] } }],
			'GET',
		);

		await testConnection({ pod: 'custom', baseUrl: ' http://localhost:4010/ ' });

		expect(received.map((r) => r.url)).toEqual([`http://localhost:4010${profilesPath}`]);
	});
});

describe('Base URLs the node refuses before sending anything', () => {
	const items = [
		{ phone: '+919811111111', name: 'Asha', orderId: 'A-1' },
		{ phone: '+919822222222', name: 'Ben', orderId: 'A-2' },
	];
	const fix =
		'Open the credential and enter a base URL such as https://api.kaleyra.io: https, no user name, query, fragment or dot segments (plain http only for localhost).';

	it('plain http on a host that is not this machine: it would send the API key unencrypted', async () => {
		const result = await run('send-text', items, {
			pod: 'custom',
			baseUrl: 'http://gateway.example.com/kaleyra',
		});

		expect(unexpectedRequests).toEqual([]);
		expect(result.error).toMatchObject({ name: 'NodeOperationError' });
		expect({ message: result.error?.message, description: result.error?.description }).toEqual({
			message:
				'Base URL of the Kaleyra WhatsApp API credential is refused: it uses plain http to gateway.example.com, which would send the API key unencrypted; use https (plain http only for localhost)',
			description: fix,
		});
	});

	it('a base URL without http(s)://', async () => {
		const result = await run('send-reply-buttons', items, {
			pod: 'custom',
			baseUrl: 'api.kaleyra.io',
		});

		expect(unexpectedRequests).toEqual([]);
		expect(result.error?.message).toBe(
			'Base URL of the Kaleyra WhatsApp API credential is refused: it is not a URL; enter one such as https://api.kaleyra.io',
		);
		expect(result.error?.description).toBe(fix);
	});

	it('with On Error "Continue", every item says so, and none is sent', async () => {
		const workflow = withNode(loadFixture('send-text'), { onError: 'continueRegularOutput' });

		const result = await run(workflow, items, { pod: 'custom', baseUrl: 'http://10.0.0.5:8080' });

		expect(unexpectedRequests).toEqual([]);
		const json = {
			error:
				'Base URL of the Kaleyra WhatsApp API credential is refused: it uses plain http to 10.0.0.5, which would send the API key unencrypted; use https (plain http only for localhost)',
			description: fix,
			code: 'CREDENTIAL',
			httpStatus: null,
			retryable: false,
			maybeSent: false,
		};
		expect(itemsOf(result)).toEqual([
			{ json, pairedItem: { item: 0 } },
			{ json, pairedItem: { item: 1 } },
		]);
	});

	it('plain http is fine for localhost (a local sandbox)', async () => {
		const { received } = kaleyra('http://localhost:4010', [accepted('wamid.1')]);

		const result = await run('send-text', [items[0]], {
			pod: 'custom',
			baseUrl: 'http://localhost:4010/',
		});

		expect(result.error).toBeUndefined();
		expect(received.map((r) => r.url)).toEqual([
			`http://localhost:4010/v2/${SID}/whatsapp/919845098450/messages`,
		]);
	});

	it('a credential without SID', async () => {
		const result = await run('send-text', items, { pod: 'in', sid: '  ' });

		expect(unexpectedRequests).toEqual([]);
		expect({ message: result.error?.message, description: result.error?.description }).toEqual({
			message: 'The Kaleyra WhatsApp API credential has no SID',
			description:
				'Open the credential and enter the SID shown in the Kaleyra console under Developers → API Keys.',
		});
		expect(result.output(SEND_NODE)).toEqual([]);
	});
});

describe('12. and 2. The connection test sends nothing for a SID the node refuses, and follows no redirect', () => {
	it.each(['..', 'HX/../../v1', 'HX?x=1', 'HX#frag'])(
		'12. SID %j: refused, no request at all (not even to the bare base URL)',
		async (sid) => {
			const tested = await testConnection({ pod: 'in', sid });

			expect(unexpectedRequests).toEqual([]);
			expect(verdict(tested).status).toBe('Error');
		},
	);

	it.each([301, 302, 307])(
		'2. a %i to another host: an error, and the key goes nowhere else',
		async (status) => {
			const { received } = kaleyra(
				POD_HOSTS.in,
				[{ status, headers: { location: 'https://collector.example.net/steal' } }],
				'GET',
			);

			const tested = await testConnection(INDIA);

			expect(received).toHaveLength(1);
			expect(unexpectedRequests).toEqual([]);
			expect(verdict(tested).status).toBe('Error');
		},
	);
});

itKeepsTheApiKeyOutOfEverythingUsersSee();
