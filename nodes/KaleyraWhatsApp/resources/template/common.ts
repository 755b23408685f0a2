import type { INodePropertyOptions } from 'n8n-workflow';

import type { KaleyraAccount } from '../../shared/transport';
import type { ValidationIssue } from '../../shared/types';

/** A template's statuses as Meta names them (the listing's `status`). */
export const TEMPLATE_STATUSES = [
	'APPROVED',
	'PENDING',
	'REJECTED',
	'PAUSED',
	'DISABLED',
	'IN_APPEAL',
	'PENDING_DELETION',
	'LIMIT_EXCEEDED',
] as const;

/** The categories Kaleyra supports (its Create Template page). */
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;

/** "PENDING_DELETION" → "Pending Deletion", for the editor's choices. */
export const choicesOf = (values: readonly string[]): INodePropertyOptions[] =>
	values.map((value) => ({
		name: value
			.toLowerCase()
			.replace(
				/(^|_)(\w)/g,
				(_, space: string, c: string) => `${space === '' ? '' : ' '}${c.toUpperCase()}`,
			),
		value,
	}));

/** Templates and Flows belong to the WhatsApp Business Account: without its ID there is nothing to ask for. */
export function wabaIdIssues(account: KaleyraAccount, what = 'templates'): ValidationIssue[] {
	if (account.wabaId !== '') return [];
	return [
		{
			field: 'Credential → WABA ID',
			message: `it is empty, and ${what} belong to the WhatsApp Business Account. Open the Kaleyra WhatsApp API credential and enter the WABA ID (Kaleyra console → Channels → WhatsApp → Manage).`,
		},
	];
}

/** Where the account's templates live: `/v2/<SID>/whatsapp/<WABA ID>/message_templates`. */
export const templatesPath = (account: KaleyraAccount) => [
	'v2',
	account.sid,
	'whatsapp',
	account.wabaId,
	'message_templates',
];
