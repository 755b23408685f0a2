/**
 * Kaleyra's callbacks as docs/kaleyra-api.md §4 and §5.4 document them, written out by hand with the
 * numbers and IDs of one story: Asha (+91 98123 45678) writes to the shop's number +91 98450 98450.
 */
export const BUSINESS = '919845098450';
export const ASHA = '919812345678';
export const INCOMING_ID =
	'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAEhggQTNFQjRDMEFBNzNGQjdGMkY5RDM1RTBCQjVCMEY1QjcA';
export const QUESTION_ID = 'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAERgSQjk1RkE3QzMwNkI1M0E2RTNBAA==';
export const SENT_ID = 'wamid.HBgMOTE5ODEyMzQ1Njc4FQIAERgSNTY3RjlBNUI2RTk4QzRCMjQzAA==';
/** 2025-01-01T06:20:00Z */
export const WHEN = '1735712400';
export const WHEN_ISO = '2025-01-01T06:20:00.000Z';

const EXTRA_INFO = {
	ref: '',
	ref1: '',
	ref2: '',
	trace_id: 'f3b1c7de-5a0e-4c55-9d0e-2b7a6c1e9f40',
	waba_id: '112233445566778',
};

/** Kaleyra's v2 envelope: WhatsApp's `value` for the shop's number, inside `meta_object`. */
const metaObject = (value: object) => ({
	field: 'messages',
	value: {
		messaging_product: 'whatsapp',
		metadata: { display_phone_number: BUSINESS, phone_number_id: '104735392345678' },
		...value,
	},
});

/** The v2 incoming envelope around one or more WhatsApp messages. */
export function incoming(messages: object[], extraInfo: object = {}) {
	return {
		meta_object: metaObject({ contacts: [{ profile: { name: 'Asha' }, wa_id: ASHA }], messages }),
		extra_info: { ...EXTRA_INFO, ...extraInfo },
	};
}

export const message = (type: string, content: object, extra: object = {}) => ({
	from: ASHA,
	id: INCOMING_ID,
	timestamp: WHEN,
	type,
	...content,
	...extra,
});

/** The v2 status envelope (§5.4's sample), with top-level status and message_id. */
export function statusCallback(
	status: string,
	extra: object = {},
	refs = { ref: 'A-1001', ref1: 'order-confirmation', ref2: '' },
) {
	return {
		meta_object: metaObject({
			statuses: [{ id: SENT_ID, status, timestamp: WHEN, recipient_id: ASHA, ...extra }],
		}),
		extra_info: {
			trace_id: 'a8f0c2d4-1111-4a5b-9c3d-222233334444',
			message_id: SENT_ID,
			waba_id: '112233445566778',
			...refs,
		},
		status,
		message_id: SENT_ID,
	};
}

export const CONVERSATION = {
	conversation: { id: 'c0ffee00c0ffee00c0ffee00c0ffee00', origin: { type: 'service' } },
	pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
};

export const WINDOW_CLOSED = {
	errors: [
		{
			code: 131047,
			title: 'Re-engagement message',
			message: 'Re-engagement message',
			error_data: {
				details:
					'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
			},
		},
	],
};

/** Rejected by Kaleyra before Meta: no meta_object. */
export const NOT_SENT = {
	code: 'WAV2101',
	status: 'not sent',
	reason: 'Daily limit exhausted',
	message_id: SENT_ID,
	extra_info: { ref: 'A-1001', ref1: 'order-confirmation', ref2: '' },
};

/** Every item has every field; these are the ones a callback leaves empty. */
export const NOTHING = {
	type: null,
	from: null,
	to: null,
	name: null,
	userId: null,
	username: null,
	sessionId: null,
	chatInput: null,
	messageId: null,
	text: null,
	buttonId: null,
	buttonTitle: null,
	listId: null,
	listTitle: null,
	replyTo: null,
	mediaUrl: null,
	location: null,
	contacts: null,
	flowResponse: null,
	flowToken: null,
	flowName: null,
	status: null,
	error: null,
	template: null,
	ref: null,
	ref1: null,
	ref2: null,
};
