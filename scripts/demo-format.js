'use strict';
/**
 * How `npm run demo` prints a message the sandbox received: the request line as it was sent (the
 * v2 path carries the business number as digits, without "+"), then the JSON body (v2) or, for
 * the v1 API, the form fields one per line, each value as it went over the wire (a structured
 * field such as `action` is a JSON string inside the form).
 */
const indent = (text, by = '    ') => text.replace(/^/gm, by);

function requestLine(message) {
	return message.api === 'v2'
		? `POST /v2/${message.sid}/whatsapp/${String(message.businessNumber).replace(/^\+/, '')}/messages (JSON)`
		: `POST /v1/${message.sid}/messages (form, application/x-www-form-urlencoded)`;
}

function formFields(payload) {
	return Object.entries(payload)
		.map(([key, value]) => `${key} = ${typeof value === 'string' ? value : JSON.stringify(value)}`)
		.join('\n');
}

function describeMessage(message) {
	const body =
		message.api === 'v2' ? JSON.stringify(message.payload, null, 2) : formFields(message.payload);
	return [
		`  Kaleyra received ${requestLine(message)}`,
		`    message id ${message.messageId}, to ${message.to}, type ${message.type}`,
		indent(body),
	].join('\n');
}

module.exports = { describeMessage, requestLine, formFields };
