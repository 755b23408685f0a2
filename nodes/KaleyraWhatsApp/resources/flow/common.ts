import { clip, leaf, text } from '../../shared/checks';
import type { KaleyraAccount } from '../../shared/transport';

/** Meta's Flow categories (a Flow has one or more). */
export const FLOW_CATEGORIES = [
	'SIGN_UP',
	'SIGN_IN',
	'APPOINTMENT_BOOKING',
	'LEAD_GENERATION',
	'CONTACT_US',
	'CUSTOMER_SUPPORT',
	'SURVEY',
	'OTHER',
] as const;

/** Where the account's Flows live: `/v2/<SID>/whatsapp/<WABA ID>/flows`. */
export const flowsPath = (account: KaleyraAccount) => [
	'v2',
	account.sid,
	'whatsapp',
	account.wabaId,
	'flows',
];

/** A Flow's ID as Meta gives it: digits. */
export const flowId = leaf((value) => {
	const problem = text(64, "the Flow's ID, as Flow → Get Many shows it")(value);
	if (problem !== undefined) return problem;
	return /^\d+$/.test(value as string)
		? undefined
		: `"${clip(value as string)}" is not a Flow ID: Meta's IDs are digits, as Flow → Get Many shows them.`;
});
