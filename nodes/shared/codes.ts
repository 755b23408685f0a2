/** What a code means for the user: a title, what to do, and whether sending again later can succeed. */
export interface CodeMeaning {
	title: string;
	hint: string;
	retryable: boolean;
}

export const CHECK_CREDENTIAL =
	'Open the Kaleyra WhatsApp API credential and check the SID and API key (Kaleyra console → Developers → API Keys), and that the pod is the one your account lives in.';

/**
 * Kaleyra's and Meta's codes, once for both nodes: the send node words a refused send by them, the
 * trigger gives a failed status's `hint` from them (docs/kaleyra-api.md §2, §5.4, §6). Read with
 * entryOf (own keys only: the codes come from outside).
 */
export const CODES: Record<string, CodeMeaning> = {
	RBC001: {
		title: 'Kaleyra rejected the SID or API key',
		hint: CHECK_CREDENTIAL,
		retryable: false,
	},
	WA401: {
		title: 'The business number is not in this Kaleyra account',
		hint: 'Check the Business Number field: it must be a WhatsApp number registered in the account of this SID, with its country code.',
		retryable: false,
	},
	'WA-401': {
		title: 'The WhatsApp API is not available for this account or number',
		hint: "The number may be set up on Kaleyra's other API version, or WhatsApp is not enabled for the account. Ask Kaleyra support to enable WhatsApp API v2 for this number.",
		retryable: false,
	},
	WA400: {
		title: 'Kaleyra rejected the message content',
		hint: 'Fix the content Kaleyra objects to, then run the workflow again.',
		retryable: false,
	},
	E413: {
		title: 'Kaleyra rejected the message content',
		hint: 'Fix the content Kaleyra objects to, then run the workflow again.',
		retryable: false,
	},
	E110: {
		title: 'The Kaleyra account balance is too low',
		hint: 'Top up the Kaleyra account (console → Billing), then run the workflow again. Nothing was sent for this item.',
		retryable: false,
	},
	WAV2101: {
		title: "The account's daily WhatsApp limit is reached",
		hint: "Kaleyra sends no more messages from this account today. Try again tomorrow, or ask Kaleyra to raise the account's daily limit.",
		retryable: false,
	},
	// Meta's throughput limit per business number (80 messages/s by default), passed on by Kaleyra.
	'130429': {
		title: 'Meta is throttling this business number',
		hint: 'More messages per second than Meta allows for this number. Lower Options → Messages per Second, or ask Meta for a higher throughput.',
		retryable: true,
	},
	WA500: {
		title: 'Kaleyra had an internal error',
		hint: 'Try again in a few minutes; Kaleyra suggests up to 3 tries with a pause between them.',
		retryable: true,
	},
	// Meta's delivery failures, as a failed status callback (or, rarely, a refusal) carries them.
	'131047': {
		title: 'More than 24 hours have passed since the customer last wrote',
		hint: 'More than 24 hours have passed since the customer last wrote, so WhatsApp delivers only approved templates. Send a template message instead, or wait until the customer writes again.',
		retryable: false,
	},
	'131026': {
		title: 'WhatsApp could not deliver to this number',
		hint: 'WhatsApp could not deliver to this number: it may not be on WhatsApp, has not accepted the new terms, or the app is too old. Check the number, or reach the customer another way; do not retry at once.',
		retryable: false,
	},
	'131042': {
		title: 'A payment or eligibility problem on the WhatsApp Business account',
		hint: 'A payment or eligibility problem on the WhatsApp Business account: Meta stopped paid messages. Check the payment method and the account in Meta Business Manager, or ask Kaleyra.',
		retryable: false,
	},
	'131050': {
		title: 'The customer has stopped marketing messages from your business',
		hint: 'The customer has stopped marketing messages from your business. Do not send them marketing templates; utility and service messages still reach them.',
		retryable: false,
	},
	'131053': {
		title: 'WhatsApp could not download the media of your message',
		hint: 'WhatsApp could not download the media of your message. Check that the link is public HTTPS, answers quickly with the right content type, and is within the size limit; or upload the file first.',
		retryable: false,
	},
	'131049': {
		title: 'Meta held this marketing message back',
		hint: 'Meta held this marketing message back to protect engagement. Do not re-send at once; try later or with another template.',
		retryable: false,
	},
	'131056': {
		title: 'Too many messages to this customer in a short time',
		hint: 'Too many messages to this one customer in a short time (the pair rate limit). Wait a few seconds between messages to the same number, then send again.',
		retryable: true,
	},
	'131009': {
		title: 'WhatsApp refused a value in the message',
		hint: 'WhatsApp refused a value in the message, e.g. a reaction to a message older than 30 days, deleted, or itself a reaction.',
		retryable: false,
	},
	'132000': {
		title: 'The template got a different number of variables than it has',
		hint: "The template got a different number of variables than it has. Match the template's variables.",
		retryable: false,
	},
	'132001': {
		title: 'The template does not exist in this language',
		hint: 'The template does not exist in this language. Check its name and language code.',
		retryable: false,
	},
	'132012': {
		title: 'A template variable has the wrong kind of value',
		hint: "A template variable has the wrong kind of value (text, currency, date, media). Match the template's variables.",
		retryable: false,
	},
	'132018': {
		title: 'A template variable breaks a rule',
		hint: 'A template variable breaks a rule: no newlines, tabs or more than 4 spaces in a row, and length limits.',
		retryable: false,
	},
};
