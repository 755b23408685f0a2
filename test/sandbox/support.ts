import { Agent, request } from 'undici';
import { startSandbox } from '../../sandbox';
import type { Sandbox, SandboxAccount } from '../../sandbox';

/** The account the seeds' samples are sent from (seed SID; the X-ed numbers made real). */
export const ACCOUNT: SandboxAccount = {
	sid: 'HXAP16XXXXXX97IN',
	apiKey: 'Axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx3',
	numbers: ['+919900000001', '919900000002'],
};
/** A second account: its number must not be usable with ACCOUNT's key, and it is postpaid. */
export const OTHER_ACCOUNT: SandboxAccount = {
	sid: 'HXOTHER0002',
	apiKey: 'other-account-key-0002',
	numbers: ['+14155550100'],
	postpaid: true,
};
export const BUSINESS_NUMBER = '+919900000001';
export const CUSTOMER = '+919812345678';

export interface Reply {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	json: any;
}

export type CallOptions = Omit<NonNullable<Parameters<typeof request>[1]>, 'dispatcher'>;

/** A sandbox for one test file, plus an HTTP client that reads whole replies. */
export function useSandbox(accounts: SandboxAccount[] = [ACCOUNT, OTHER_ACCOUNT]) {
	const context = {} as { sandbox: Sandbox; agent: Agent };

	beforeAll(async () => {
		context.sandbox = await startSandbox({ accounts });
		context.agent = new Agent();
	});
	afterEach(() => context.sandbox.reset());
	afterAll(async () => {
		await context.agent.close();
		await context.sandbox.close();
	});

	async function call(path: string, options: CallOptions = {}): Promise<Reply> {
		const response = await request(`${context.sandbox.url}${path}`, {
			...options,
			dispatcher: context.agent,
		});
		const text = await response.body.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.statusCode, headers: response.headers, text, json };
	}

	function sendV2(
		body: unknown,
		{ number = BUSINESS_NUMBER, sid = ACCOUNT.sid, apiKey = ACCOUNT.apiKey } = {},
	) {
		return call(`/v2/${sid}/whatsapp/${number}/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'api-key': apiKey },
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});
	}

	function sendV1Form(
		fields: Record<string, string>,
		{ sid = ACCOUNT.sid, apiKey = ACCOUNT.apiKey } = {},
	) {
		return call(`/v1/${sid}/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', 'api-key': apiKey },
			body: new URLSearchParams(fields).toString(),
		});
	}

	return {
		get sandbox() {
			return context.sandbox;
		},
		get agent() {
			return context.agent;
		},
		call,
		sendV2,
		sendV1Form,
	};
}

/** A multipart/form-data body built by hand, as curl --form sends it. */
export function multipart(
	fields: Record<string, string>,
	file?: { name: string; filename: string; type: string; data: Buffer },
) {
	const boundary = '----sandboxtestboundary7MA4YWxkTrZu0gW';
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
			),
		);
	}
	if (file) {
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`,
			),
			file.data,
			Buffer.from('\r\n'),
		);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export const WAMID = /^wamid\.[A-Za-z0-9+/]+={0,2}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
