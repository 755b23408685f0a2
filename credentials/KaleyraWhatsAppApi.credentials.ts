import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * The connection test's base URL, from the pod (the node derives the same in transport.ts; a test
 * holds the two together). A custom plain-http URL is upgraded to https unless it is loopback, so
 * the test never sends the API key unencrypted over a network; the node refuses such a URL outright.
 */
export const KALEYRA_BASE_URL_EXPRESSION =
	'={{ $credentials.pod === "custom" ? $credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/^http:\\/\\/(?!(localhost|127\\.\\d+\\.\\d+\\.\\d+|\\[::1\\])(:|\\/|$))/i, "https://") : { in: "https://api.in.kaleyra.io", sg: "https://api.ap.kaleyra.io", eu: "https://api.eu.kaleyra.io", na: "https://api.na.kaleyra.ai" }[$credentials.pod] }}';

export class KaleyraWhatsAppApi implements ICredentialType {
	name = 'kaleyraWhatsAppApi';

	displayName = 'Kaleyra WhatsApp API';

	icon: Icon = { light: 'file:../icons/kaleyra.svg', dark: 'file:../icons/kaleyra.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-kaleyra-whatsapp';

	properties: INodeProperties[] = [
		{
			displayName: 'Pod',
			name: 'pod',
			type: 'options',
			default: 'in',
			description: 'The Kaleyra data centre your account lives in (shown in the Kaleyra console under Developers → API Keys)',
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
			description: 'For the legacy global host, a corporate gateway or a local sandbox. Use https; plain http is accepted only for localhost.',
			displayOptions: { show: { pod: ['custom'] } },
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
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	/** A read-only call that needs only the SID and key: it sends nothing and costs nothing. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: KALEYRA_BASE_URL_EXPRESSION,
			url: '={{"/v1/" + encodeURIComponent($credentials.sid) + "/callback/profiles"}}',
			method: 'GET',
			qs: { limit: 1, offset: 0 },
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
		],
	};
}
