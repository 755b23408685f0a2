import type { INodeProperties } from 'n8n-workflow';

import { CALLBACK_AUTHENTICATION_OPTIONS } from '../../credentials/KaleyraWhatsAppCallbackApi.credentials';
import { MIN_SECRET_LENGTH } from './authentication';
import type { EventKind } from './callbacks';
import { startForAnswersOption } from './handOver';

const INCOMING: Array<{ name: string; value: EventKind; description: string }> = [
	{ name: 'Text', value: 'text', description: 'The customer wrote a text' },
	{ name: 'Media', value: 'media', description: 'An image, video, audio, document or sticker' },
	{ name: 'Location', value: 'location', description: 'The customer shared a location' },
	{ name: 'Contacts', value: 'contacts', description: 'The customer shared contact cards' },
	{ name: 'Button Reply', value: 'buttonReply', description: 'A tap on one of your reply buttons' },
	{ name: 'List Reply', value: 'listReply', description: 'A pick from one of your lists' },
	{
		name: 'Template Quick Reply',
		value: 'quickReply',
		description: "A tap on a template's quick-reply button",
	},
	{ name: 'Reaction', value: 'reaction', description: 'An emoji reaction to a message' },
	{
		name: 'Flow Reply',
		value: 'flowReply',
		description:
			'The answer to a WhatsApp Flow you sent (booking, lead form, survey). Not chosen, Other Incoming Message takes it.',
	},
	{
		name: 'Other Incoming Message',
		value: 'otherMessage',
		description: 'Any other kind (orders, unsupported messages, …)',
	},
];

const STATUSES: Array<{ name: string; value: EventKind; description: string }> = [
	{ name: 'Status: Sent', value: 'sent', description: 'A message you sent reached WhatsApp' },
	{ name: 'Status: Delivered', value: 'delivered', description: "It reached the customer's phone" },
	{ name: 'Status: Read', value: 'read', description: 'The customer read it' },
	{
		name: 'Status: Failed',
		value: 'failed',
		description: 'WhatsApp could not deliver it (error code and hint in the item)',
	},
	{
		name: 'Status: Not Sent',
		value: 'notSent',
		description: 'Kaleyra refused it before WhatsApp, e.g. daily limit reached',
	},
	{
		name: 'Quality and Limit Notice',
		value: 'notice',
		description: "A change of your number's quality rating or messaging limit",
	},
];

const ACCOUNT: Array<{ name: string; value: EventKind; description: string }> = [
	{
		name: 'Template Status Change',
		value: 'templateStatus',
		description:
			'Meta approved, rejected (with its reason), paused or disabled one of your templates. Kaleyra sends these to the callback profile you give its operations team for template status updates.',
	},
];

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Kaleyra calls this trigger only once your WhatsApp number points at it. In the Kaleyra console open Channels → WhatsApp → Manage → Numbers, pick the number, and enter this node\'s Production URL (under Webhook URLs, above) as its Incoming URL and in its Callback Profile (method POST). While you test with "Test this trigger" (n8n 1.x: "Listen for test event"), enter the Test URL there instead.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		default: 'secretHeader',
		description:
			'How this trigger knows a request comes from your Kaleyra callback profile. Others get 401 and start nothing.',
		// Version 1.1 takes this and the fields below from the Kaleyra WhatsApp Callback API credential.
		displayOptions: { show: { '@version': [1] } },
		options: CALLBACK_AUTHENTICATION_OPTIONS,
	},
	{
		displayName:
			'In the Callback Profile, under custom headers, add one header: its name is the Header Name below and its value the Secret, character for character.',
		name: 'secretHeaderNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { '@version': [1], authentication: ['secretHeader'] } },
	},
	{
		displayName: 'Header Name',
		name: 'headerName',
		type: 'string',
		default: 'X-Kaleyra-Secret',
		required: true,
		description: 'The name of the custom header Kaleyra sends',
		displayOptions: { show: { '@version': [1], authentication: ['secretHeader'] } },
	},
	{
		displayName: 'Secret',
		name: 'secret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: 'The value of that header',
		hint: `At least ${MIN_SECRET_LENGTH} characters: a long random value, for example from a password manager. Use the same in the Callback Profile.`,
		displayOptions: { show: { '@version': [1], authentication: ['secretHeader'] } },
	},
	{
		displayName:
			'In the Callback Profile, choose Basic authentication and enter the same User and Password as below.',
		name: 'basicAuthNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { '@version': [1], authentication: ['basicAuth'] } },
	},
	{
		displayName: 'User',
		name: 'user',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { '@version': [1], authentication: ['basicAuth'] } },
	},
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		hint: `At least ${MIN_SECRET_LENGTH} characters: a long random value. Use the same in the Callback Profile.`,
		displayOptions: { show: { '@version': [1], authentication: ['basicAuth'] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		// Every incoming kind (a literal: n8n's scanner reads defaults from the source).
		default: [
			'text',
			'media',
			'location',
			'contacts',
			'buttonReply',
			'listReply',
			'quickReply',
			'reaction',
			'flowReply',
			'otherMessage',
		],
		description: 'What starts the workflow: one execution per message, status or template change',
		hint: 'Statuses are off by default: each message you send reports sent, delivered and read, so turning them on starts up to three executions per message.',
		options: [...INCOMING, ...STATUSES, ...ACCOUNT],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Download Media',
				name: 'downloadMedia',
				type: 'boolean',
				default: false,
				description:
					"Whether to fetch each incoming image, video, audio or voice note, document and sticker into the item as a file. Kaleyra's API key goes only to your Kaleyra host (choose the Kaleyra WhatsApp API credential above); a file that cannot be fetched leaves the item with mediaError.",
			},
			{
				displayName: 'Put File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'The binary field the file goes into, with Download Media on',
			},
			{
				displayName: 'Max Media Size (MB)',
				name: 'maxMediaSizeMb',
				type: 'number',
				// WhatsApp's largest file, a document (MEDIA_LIMITS; a literal for n8n's scanner, held equal by a test).
				default: 100,
				typeOptions: { minValue: 1, maxValue: 100 },
				description: 'A larger file is not fetched: the item gets mediaError instead',
			},
			startForAnswersOption,
		],
	},
];
