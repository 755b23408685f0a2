'use strict';

/**
 * Request body parsers for the v1 form endpoints and the media upload:
 * application/x-www-form-urlencoded and multipart/form-data.
 */

/** Parses `a=1&b=2` into a plain object; the last value of a repeated field wins. */
function parseUrlEncoded(buffer) {
	return Object.fromEntries(new URLSearchParams(buffer.toString('utf8')));
}

function boundaryOf(contentType) {
	const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
	return match ? match[1] || match[2] : undefined;
}

/**
 * Parses a multipart/form-data body. Text parts become strings in `fields`; parts with a
 * filename become `{ filename, contentType, data: Buffer }` in `files`.
 * Returns undefined when the body is not well-formed multipart.
 */
function parseMultipart(buffer, contentType) {
	const boundary = boundaryOf(contentType);
	if (!boundary) return undefined;
	const delimiter = Buffer.from(`--${boundary}`);
	const fields = {};
	const files = {};
	let start = buffer.indexOf(delimiter);
	if (start === -1) return undefined;
	for (;;) {
		let partStart = start + delimiter.length;
		if (buffer.subarray(partStart, partStart + 2).toString() === '--') break;
		if (buffer.subarray(partStart, partStart + 2).toString() === '\r\n') partStart += 2;
		const next = buffer.indexOf(delimiter, partStart);
		if (next === -1) return undefined;
		// The part ends with CRLF before the next delimiter.
		const part = buffer.subarray(partStart, next - 2 >= partStart ? next - 2 : next);
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd === -1) return undefined;
		const headers = {};
		for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon > 0)
				headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const disposition = headers['content-disposition'] || '';
		const name = /\bname="([^"]*)"/i.exec(disposition);
		const filename = /\bfilename="([^"]*)"/i.exec(disposition);
		const data = part.subarray(headerEnd + 4);
		if (name) {
			if (filename) {
				files[name[1]] = {
					filename: filename[1],
					contentType: headers['content-type'] || 'application/octet-stream',
					data: Buffer.from(data),
				};
			} else {
				fields[name[1]] = data.toString('utf8');
			}
		}
		start = next;
	}
	return { fields, files };
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
function mediaTypeOf(contentType) {
	return String(contentType || '')
		.split(';')[0]
		.trim()
		.toLowerCase();
}

module.exports = { parseUrlEncoded, parseMultipart, mediaTypeOf };
