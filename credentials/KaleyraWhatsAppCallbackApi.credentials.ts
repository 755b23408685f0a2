import type { Icon, ICredentialType, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** How a callback profile proves itself; the trigger's version 1 offers the same in its own fields. */
export const CALLBACK_AUTHENTICATION_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Secret Header',
		value: 'secretHeader',
		description: 'A custom header with a secret value',
	},
	{ name: 'Basic Auth', value: 'basicAuth', description: 'A user name and password' },
];

/**
 * What proves a callback comes from your Kaleyra callback profile: a secret header or Basic auth
 * (Kaleyra signs no callback). Kept in a credential so that the secret is encrypted at rest, and
 * left out of workflow exports, shared workflows and templates, as for n8n's own Webhook node.
 * Nothing is called with it, so its test (the trigger's `callbackSecretTest`) checks the settings.
 * The trigger's version 1 keeps these fields on the node itself.
 */
export class KaleyraWhatsAppCallbackApi implements ICredentialType {
	name = 'kaleyraWhatsAppCallbackApi';

	displayName = 'Kaleyra WhatsApp Callback API';

	icon: Icon = { light: 'file:../icons/kaleyra.svg', dark: 'file:../icons/kaleyra.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-kaleyra-whatsapp#authentication';

	properties: INodeProperties[] = [
		{
			displayName:
				'Use the same values in the Kaleyra console: Channels → WhatsApp → Manage → Callback Profile of your number. Kaleyra sends them with every callback; a request without them gets 401 and starts nothing.',
			name: 'profileNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			default: 'secretHeader',
			// Secret in URL only here: the trigger's version 1 fields predate it.
			options: [
				...CALLBACK_AUTHENTICATION_OPTIONS,
				{
					name: 'Secret in URL',
					value: 'secretInUrl',
					description:
						"A long random token at the end of the URL: the one secret the number's Incoming URL (a bare URL) can carry",
				},
			],
		},
		{
			displayName:
				"Give Kaleyra the trigger's Production URL with <code>?token=</code> and this Token added, e.g. <code>https://n8n.example.com/webhook/…/kaleyra?token=YOUR-TOKEN</code>, as the number's Incoming URL and as the Callback Profile's URL. A request without it gets 401.",
			name: 'secretInUrlNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { authentication: ['secretInUrl'] } },
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'At least 16 letters, digits or - . _ ~ : a long random value, for example from a password manager. Web servers and proxies may log URLs: keep those logs private, or use Secret Header where Kaleyra sends headers.',
			displayOptions: { show: { authentication: ['secretInUrl'] } },
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-Kaleyra-Secret',
			required: true,
			description: 'The name of the custom header in the Callback Profile',
			displayOptions: { show: { authentication: ['secretHeader'] } },
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The header's value, character for character. At least 16 characters: a long random value, for example from a password manager.",
			displayOptions: { show: { authentication: ['secretHeader'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description: 'The user name in the Callback Profile',
			displayOptions: { show: { authentication: ['basicAuth'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The password in the Callback Profile. At least 16 characters: a long random value.',
			displayOptions: { show: { authentication: ['basicAuth'] } },
		},
	];
}
