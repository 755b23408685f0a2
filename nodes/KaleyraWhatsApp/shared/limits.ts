/**
 * WhatsApp's length and count limits the node checks before sending (docs/kaleyra-api.md §2, §5.1,
 * §5.2, §6): each field's description or hint and its schema read the number from here, so the
 * editor and the check cannot disagree. Lengths count characters (Unicode code points).
 */
export const LIMITS = {
	/** A text message's (and a reply's) body. */
	textBody: 4096,
	/** The body of an interactive or v1 reply-button message, a template's body and its body parameters. */
	body: 1024,
	/** A media message's caption, and a v1 header's. */
	caption: 1024,
	/** A text header (interactive, v1, a template's) and a template's header parameter. */
	headerText: 60,
	footer: 60,
	/** A reply button's title, a list's opener, a link button's label. */
	buttonLabel: 20,
	/** The ID a reply button's tap carries back. */
	buttonId: 256,
	replyButtons: 3,
	listRows: 10,
	listSections: 10,
	/** A list row's title and a section's title. */
	listTitle: 24,
	listRowId: 200,
	listRowDescription: 72,
	/** A template's copy-code (coupon) parameter. */
	couponCode: 15,
} as const;

/** The media a header can hold (interactive messages, v1 reply buttons, templates): no audio or sticker. */
export const MEDIA_HEADERS = ['image', 'video', 'document'];
