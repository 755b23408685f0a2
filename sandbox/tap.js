'use strict';

/**
 * The customer taps a reply button of the last interactive message they received (issue 18 point
 * 6): the button's ID and title go back in a button-reply callback, quoting that message, as
 * WhatsApp sends it. `button` is the button's title (case-insensitive), its ID, or its position
 * from 1; `to` picks whose messages to look at (the last customer written to by default).
 */

/** The reply buttons of a message the sandbox accepted: v2 interactive buttons or v1 reply buttons. */
function buttonsOf(message) {
	if (message.api === 'v2') {
		const interactive = message.payload?.messaging_object?.interactive;
		return interactive?.type === 'button'
			? (interactive.action?.buttons ?? []).map((b) => b.reply)
			: [];
	}
	return message.type === 'reply'
		? (message.payload?.action?.buttons ?? []).map((b) => b.reply)
		: [];
}

const digits = (number) => String(number ?? '').replace(/\D/g, '');

/** The customer's tap as an incoming-message spec for the callbacks, or an Error saying why there is none. */
function tapSpec(messages, { button, to } = {}) {
	const wanted = to === undefined ? undefined : digits(to);
	const message = [...messages]
		.reverse()
		.find((m) => buttonsOf(m).length > 0 && (wanted === undefined || digits(m.to) === wanted));
	if (message === undefined)
		return new Error(
			`no message with reply buttons was sent${wanted === undefined ? '' : ` to +${wanted}`} yet`,
		);
	const buttons = buttonsOf(message);
	const key = String(button ?? 1);
	const found =
		buttons.find((b) => String(b.title).toLowerCase() === key.toLowerCase()) ??
		buttons.find((b) => String(b.id) === key) ??
		(/^[1-3]$/.test(key) ? buttons[Number(key) - 1] : undefined);
	if (found === undefined)
		return new Error(
			`the last message with reply buttons has no button "${key}"; it has ${buttons.map((b) => `"${b.title}"`).join(', ')}`,
		);
	return {
		kind: 'button',
		businessNumber: message.businessNumber,
		from: message.to,
		buttonId: found.id,
		buttonTitle: found.title,
		question: message.messageId,
	};
}

module.exports = { tapSpec };
