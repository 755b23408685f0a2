import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * The one rule for a custom base URL, applied by the connection test (below) and by the node
 * (transport.ts checks the same patterns and then says which part is wrong): https, or http only
 * on this machine; no user-info (a "localhost:x@" prefix would hide the real host), no query, no
 * fragment, no dot segments (each would move the API path somewhere else).
 */
export const BASE_URL_SHAPE =
	'^(https://([A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*|\\[[0-9A-Fa-f:.]+\\])|http://(localhost|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|\\[::1\\]))(:\\d{1,5})?(/[^?#@\\s\\\\]*)?$';
export const DOT_SEGMENT = '/(\\.|%2e){1,2}(/|$)';
/** A Kaleyra SID is letters and digits; anything else could change the API path. */
export const SID_SHAPE = '^[A-Za-z0-9_-]{1,64}$';

/**
 * The API key as it is sent, compared and cut out of what is written: trimmed, since a key pasted
 * with a stray space or newline is sent trimmed, and redaction looking for the untrimmed one would
 * miss the key an answer echoes. Every reader of the key takes it from here.
 */
export function apiKeyOf(credentials: ICredentialDataDecryptedObject): string {
	return String(credentials.apiKey ?? '').trim();
}

/**
 * What the connection test says for a 5xx: most often a proxy, gateway or firewall between n8n
 * and Kaleyra answering for it, where n8n would show only the status text ("Bad Gateway").
 */
const GATEWAY_TROUBLE = (status: number) =>
	`The test got HTTP ${status} instead of Kaleyra's answer: a proxy or gateway between n8n and Kaleyra could not reach the Kaleyra API, or Kaleyra is having trouble. Check the pod or the custom base URL, and that your proxy lets this n8n reach api.*.kaleyra.io (or .ai). If the address is right, try again in a few minutes.`;

const BASE_URL_REFUSED =
	'Base URL of the Kaleyra WhatsApp API credential is refused: use https://host[:port][/path] without user name, query, fragment or dot segments (plain http only for localhost)';
const SID_REFUSED =
	'SID of the Kaleyra WhatsApp API credential is refused: a Kaleyra SID has only letters, digits, _ and -';
export const WABA_ID_REFUSED =
	'WABA ID of the Kaleyra WhatsApp API credential is refused: a WhatsApp Business Account ID has only letters, digits, _ and -';

/** The SID check inside an expression: the SID as the node uses it (trimmed), or a throw. */
const SID_OR_THROW = `(() => { const sid = String($credentials.sid ?? "").trim(); if (!new RegExp(${JSON.stringify(SID_SHAPE)}).test(sid)) throw new Error(${JSON.stringify(SID_REFUSED)}); return sid; })()`;

/**
 * The WABA ID goes into the template listing's path as the SID does, so the same rule holds it
 * (empty is allowed: it is optional). Checked by the connection test too, so a bad one shows when
 * the credential is saved rather than at the first template lookup.
 */
const WABA_ID_OR_THROW = `(() => { const waba = String($credentials.wabaId ?? "").trim(); if (waba !== "" && !new RegExp(${JSON.stringify(SID_SHAPE)}).test(waba)) throw new Error(${JSON.stringify(WABA_ID_REFUSED)}); return true; })()`;

/** Kaleyra's API host per pod (docs/kaleyra-api.md §1): the connection test and every request go there. */
export const POD_HOSTS: Record<string, string> = {
	in: 'https://api.in.kaleyra.io',
	sg: 'https://api.ap.kaleyra.io',
	eu: 'https://api.eu.kaleyra.io',
	na: 'https://api.na.kaleyra.ai',
};

/**
 * The connection test's base URL, from the pod (POD_HOSTS, the same table transport.ts sends to). A URL the rule refuses, or a SID or WABA ID that could change a path, makes the
 * expression throw, so the test has no URL and sends nothing, rather than sending the key
 * somewhere the node would never send it. (A throw in the url expression alone is not enough:
 * n8n then calls the bare base URL, key included.)
 */
export const KALEYRA_BASE_URL_EXPRESSION = `={{ ${SID_OR_THROW} && ${WABA_ID_OR_THROW} && ($credentials.pod === "custom" ? (() => { const url = String($credentials.baseUrl ?? "").trim().replace(/\\/+$/, ""); if (!new RegExp(${JSON.stringify(BASE_URL_SHAPE)}, "i").test(url) || new RegExp(${JSON.stringify(DOT_SEGMENT)}, "i").test(url)) throw new Error(${JSON.stringify(
	BASE_URL_REFUSED,
)}); return url; })() : ${JSON.stringify(POD_HOSTS)}[$credentials.pod]) }}`;

/** The SID as the node uses it: trimmed, and refused (nothing sent) when it could change the path. */
const SID_PATH_EXPRESSION = `={{ "/v1/" + ${SID_OR_THROW} + "/callback/profiles" }}`;

/** The credential dialog's only notice: what to do with a bare network code, in one short line. */
const CONNECTION_TEST_NOTICE =
	'Test failed with only a code, such as ENOTFOUND? The docs link above says what each code means.';

export class KaleyraWhatsAppApi implements ICredentialType {
	name = 'kaleyraWhatsAppApi';

	displayName = 'Kaleyra WhatsApp API';

	icon: Icon = { light: 'file:../icons/kaleyra.svg', dark: 'file:../icons/kaleyra.dark.svg' };

	// Where the codes a failed connection test shows are explained: the README's section, as npm shows
	// it. A literal: n8n's scanner reads it from the source.
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-kaleyra-whatsapp#when-the-test-fails';

	properties: INodeProperties[] = [
		{
			displayName: 'Pod',
			name: 'pod',
			type: 'options',
			default: 'in',
			description:
				'The Kaleyra data centre your account lives in (shown in the Kaleyra console under Developers → API Keys)',
			options: [
				{ name: 'India (api.in.kaleyra.io)', value: 'in' },
				{ name: 'Singapore (api.ap.kaleyra.io)', value: 'sg' },
				{ name: 'Europe (api.eu.kaleyra.io)', value: 'eu' },
				{ name: 'North America (api.na.kaleyra.ai)', value: 'na' },
				{ name: 'Custom Base URL', value: 'custom' },
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.kaleyra.io',
			description:
				'For the legacy global host, a corporate gateway or a local sandbox. Use https; plain http is accepted only for localhost.',
			displayOptions: { show: { pod: ['custom'] } },
		},
		{
			// n8n shows a connection test that got no HTTP answer as the bare network code, and gives a
			// credential no way to word it (see the README's "When the test fails"). One line, so that the
			// form stays a form: SID and API Key in view; the explanation is behind the dialog's docs link.
			displayName: CONNECTION_TEST_NOTICE,
			name: 'connectionTestNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'SID',
			name: 'sid',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'HXAP16XXXXXX97IN',
			description: 'Your Kaleyra account SID (Developers → API Keys in the Kaleyra console)',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An API key of the same account. It is sent only as the api-key header.',
		},
		{
			displayName: 'WABA ID',
			name: 'wabaId',
			type: 'string',
			default: '',
			placeholder: '102290129340398',
			description:
				"Your WhatsApp Business Account ID. Send Template needs it to list your templates, show their variables as fields and check them before sending (the connection test does not use it). Meta's WhatsApp Manager shows it under the account's name (Business settings → Accounts → WhatsApp accounts); Kaleyra support can tell it too. Without it, enter templates By Name with a Parameter List.",
		},
	];

	/**
	 * The API key goes into the api-key header, and nothing else changes. A function rather than a
	 * generic block: n8n evaluates a generic block's `{{$credentials.apiKey}}` expression for every
	 * request, which a 20,000-message campaign would pay 20,000 times (about 0.8 ms each in n8n 2.41).
	 */
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		headers: { ...requestOptions.headers, 'api-key': apiKeyOf(credentials) },
	});

	/** A read-only call that needs only the SID and key: it sends nothing and costs nothing. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: KALEYRA_BASE_URL_EXPRESSION,
			url: SID_PATH_EXPRESSION,
			method: 'GET',
			qs: { limit: 1, offset: 0 },
			// A redirect would carry the api-key header to whatever host Location names.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Kaleyra rejected the SID or API key (RBC001). Check both, and that the pod matches the account (an India account does not work against the Europe pod).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No Kaleyra API answered at this address. Check the pod or the custom base URL.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The request was refused (HTTP 403) before Kaleyra checked the key: a firewall or proxy between n8n and Kaleyra blocks it, or the account allows API calls only from listed IP addresses. Ask your network team, or Kaleyra support, to allow this n8n.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 407,
					message:
						"This n8n's proxy wants a user name and password (HTTP 407). Put them in the proxy setting n8n starts with: HTTPS_PROXY=http://user:password@proxy:port.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message:
						'Kaleyra is limiting requests from this account right now (HTTP 429). Wait a minute and test again.',
				},
			},
			...[500, 502, 503, 504].map((status) => ({
				type: 'responseCode' as const,
				properties: { value: status, message: GATEWAY_TROUBLE(status) },
			})),
		],
	};
}
