import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { isEmpty, optionalText, text } from '../../shared/checks';
import type { KaleyraOperation, ResolvedParameters } from '../../shared/types';
import {
	addressProperties,
	messageOptions,
	optional,
	str,
	toE164,
	v2Labels,
	v2Message,
} from './fields';

/** Kaleyra's limit for one contacts message (docs/kaleyra-api.md §5.2). */
const MAX_CONTACTS = 257;
const PHONE_TYPES = ['CELL', 'MAIN', 'IPHONE', 'HOME', 'WORK'];
/** The types WhatsApp knows for a card's email and website. */
const ADDRESS_TYPES = [
	{ name: 'Home', value: 'HOME' },
	{ name: 'Work', value: 'WORK' },
];

interface ContactFields {
	formattedName?: unknown;
	firstName?: unknown;
	lastName?: unknown;
	phone?: unknown;
	phoneType?: unknown;
	onWhatsApp?: unknown;
	email?: unknown;
	emailType?: unknown;
	company?: unknown;
	url?: unknown;
	urlType?: unknown;
}

/**
 * Whether the phone gets a wa_id. Meta gives wa_id only to numbers on WhatsApp: with one, the card
 * shows "Message" next to the number, so a landline must not have it. Version 1 nodes added it to
 * every phone and keep doing so, so that their saved workflows send what they sent; from version
 * 1.1 only a phone whose On WhatsApp is on gets it.
 */
function hasWhatsApp(fields: ContactFields, nodeVersion: number): boolean {
	return nodeVersion < 1.1 || fields.onWhatsApp === true;
}

/** One contact card in Meta's shape, from the fields of one Contact entry. */
function contactCard(fields: ContactFields, nodeVersion: number): IDataObject {
	const name: Record<string, unknown> = { formatted_name: str(fields.formattedName).trim() };
	optional(name, 'first_name', str(fields.firstName).trim());
	optional(name, 'last_name', str(fields.lastName).trim());
	const card: IDataObject = { name: name as IDataObject };
	const phone = str(fields.phone).trim();
	if (phone !== '') {
		const e164 = toE164(phone);
		// wa_id is the number without +.
		const waId =
			hasWhatsApp(fields, nodeVersion) && e164.startsWith('+') ? { wa_id: e164.slice(1) } : {};
		card.phones = [{ phone: e164, type: str(fields.phoneType) || 'CELL', ...waId }];
	}
	if (str(fields.email).trim() !== '')
		card.emails = [{ email: str(fields.email).trim(), type: str(fields.emailType) || 'WORK' }];
	if (str(fields.company).trim() !== '') card.org = { company: str(fields.company).trim() };
	if (str(fields.url).trim() !== '')
		card.urls = [{ url: str(fields.url).trim(), type: str(fields.urlType) || 'WORK' }];
	return card;
}

/** The contacts array: from the Contacts field, or an expression's array of Meta-shaped cards, passed on as given. */
function contactsOf(p: ResolvedParameters): unknown {
	if (str(p.contactsSource) !== 'expression') {
		const nodeVersion = p.nodeVersion ?? 1;
		return (((p.contacts ?? {}) as { contact?: ContactFields[] }).contact ?? []).map((fields) =>
			contactCard(fields, nodeVersion),
		);
	}
	const value = p.contactsJson;
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value === '' ? '[]' : value) as unknown;
	} catch {
		return value;
	}
}

const contactsSchema = z.unknown().superRefine((value, ctx) => {
	if (!Array.isArray(value)) {
		ctx.addIssue({
			code: 'custom',
			message: `expected an array of contacts like [{ "name": { "formatted_name": "Asha Rao" }, "phones": [{ "phone": "+919811111111" }] }], got ${JSON.stringify(value)?.slice(0, 80) ?? String(value)}.`,
		});
		return;
	}
	if (value.length === 0)
		ctx.addIssue({ code: 'custom', message: 'there is no contact. Add at least one.' });
	if (value.length > MAX_CONTACTS)
		ctx.addIssue({
			code: 'custom',
			message: `Kaleyra allows at most ${MAX_CONTACTS} contacts in one message; this has ${value.length}. Split them.`,
		});
	value.forEach((card: IDataObject | null, index) => {
		const name = (card?.name ?? {}) as IDataObject;
		const problem = text(1000, "the contact's full name as it should show")(name.formatted_name);
		if (problem !== undefined)
			ctx.addIssue({ code: 'custom', path: [index, 'name', 'formatted_name'], message: problem });
		const phones = card?.phones;
		if (phones !== undefined && !Array.isArray(phones))
			ctx.addIssue({
				code: 'custom',
				path: [index, 'phones'],
				message: 'expected an array of { "phone", "type" }.',
			});
		for (const entry of Array.isArray(phones) ? (phones as IDataObject[]) : []) {
			if (isEmpty(entry?.phone))
				ctx.addIssue({
					code: 'custom',
					path: [index, 'phones'],
					message: 'a phone entry has no number.',
				});
			const type = entry?.type;
			if (!isEmpty(type) && !PHONE_TYPES.includes(String(type)))
				ctx.addIssue({
					code: 'custom',
					path: [index, 'phones'],
					message: `"${String(type)}" is not a phone type WhatsApp knows. Use ${PHONE_TYPES.join(', ')}.`,
				});
		}
		const company = ((card?.org ?? {}) as IDataObject).company;
		const long = optionalText(1000)(company);
		if (long !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'org'], message: long });
	});
});

export const sendContacts: KaleyraOperation = {
	value: 'sendContacts',
	name: 'Send Contacts',
	action: 'Send contact cards',
	description:
		'One or more contact cards (name, phone, email, company) the customer can save or message',
	properties: [
		...addressProperties,
		{
			displayName: 'Contacts From',
			name: 'contactsSource',
			type: 'options',
			default: 'fields',
			options: [
				{ name: 'Fields', value: 'fields', description: 'Enter each contact below' },
				{
					name: 'Expression',
					value: 'expression',
					description: "An array of contact cards in WhatsApp's format, built upstream",
				},
			],
		},
		{
			displayName: 'Contacts',
			name: 'contacts',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			placeholder: 'Add Contact',
			displayOptions: { show: { contactsSource: ['fields'] } },
			options: [
				{
					displayName: 'Contact',
					name: 'contact',
					values: [
						{ displayName: 'Company', name: 'company', type: 'string', default: '' },
						{
							displayName: 'Email',
							name: 'email',
							type: 'string',
							default: '',
							placeholder: 'name@email.com',
						},
						{
							displayName: 'Email Type',
							name: 'emailType',
							type: 'options',
							default: 'WORK',
							options: ADDRESS_TYPES,
						},
						{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
						{
							displayName: 'Full Name',
							name: 'formattedName',
							type: 'string',
							default: '',
							description: 'The name as the card shows it (required)',
						},
						{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
						{
							displayName: 'On WhatsApp',
							name: 'onWhatsApp',
							type: 'boolean',
							default: false,
							description:
								'Whether the phone has WhatsApp. Set it only for numbers that have WhatsApp: Meta gives a WhatsApp ID only to those, and with one the card offers "Message" instead of "Invite to WhatsApp".',
							displayOptions: { show: { '@version': [1.1] } },
						},
						{
							displayName: 'Phone',
							name: 'phone',
							type: 'string',
							default: '',
							placeholder: '+919811111111',
						},
						{
							displayName: 'Phone Type',
							name: 'phoneType',
							type: 'options',
							default: 'CELL',
							options: PHONE_TYPES.map((type) => ({
								name: type.charAt(0) + type.slice(1).toLowerCase(),
								value: type,
							})),
						},
						{ displayName: 'Website', name: 'url', type: 'string', default: '' },
						{
							displayName: 'Website Type',
							name: 'urlType',
							type: 'options',
							default: 'WORK',
							options: ADDRESS_TYPES,
						},
					],
				},
			],
		},
		{
			displayName: 'Contacts (JSON)',
			name: 'contactsJson',
			type: 'json',
			default: '[]',
			description:
				'An array of contact cards as WhatsApp takes them: [{ "name": { "formatted_name": "Asha Rao" }, "phones": [{ "phone": "+919811111111", "type": "CELL" }] }]',
			displayOptions: { show: { contactsSource: ['expression'] } },
		},
		messageOptions(true),
	],
	fieldLabels: {
		...v2Labels,
		'body.messaging_object.contacts': 'contacts',
		'body.messaging_object.contacts.#.name.formatted_name': 'contacts.contact.formattedName',
		'body.messaging_object.contacts.#.phones': 'contacts.contact.phone',
		'body.messaging_object.contacts.#.org': 'contacts.contact.company',
	},
	build: (p) => v2Message(p, 'contacts', { contacts: contactsOf(p) as IDataObject[] }),
	schema: z.object({ contacts: contactsSchema }),
};
