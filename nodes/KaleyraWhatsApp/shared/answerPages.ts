/**
 * The small pages Send and Wait's link serves: the question with its answers as buttons (Approval,
 * Choice) or a text box (Free Text). Opening the link only shows the page (a link preview or a
 * scanner fetching it answers nothing); the answer is the form's POST to the same signed URL.
 */

function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

function page(title: string, content: string): string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}p{white-space:pre-wrap;font-size:1.1rem}button{display:block;width:100%;margin:.5rem 0;padding:.8rem;font-size:1rem;border:1px solid #128c7e;border-radius:.5rem;background:#fff;color:#128c7e}button.first{background:#128c7e;color:#fff}textarea{width:100%;min-height:8rem;font-size:1rem;box-sizing:border-box}</style></head><body>${content}</body></html>`;
}

/** One button per answer (the question itself is in WhatsApp, above the link); each posts its index. */
export function choicePage(labels: string[]): string {
	const buttons = labels
		.map(
			(label, index) =>
				`<button type="submit" name="answer" value="${index}"${index === 0 ? ' class="first"' : ''}>${escapeHtml(label)}</button>`,
		)
		.join('');
	return page('Your answer', `<p>Your answer:</p><form method="post">${buttons}</form>`);
}

/** A text box; the text is posted as `text`. */
export function textPage(buttonLabel: string): string {
	return page(
		'Your answer',
		`<p>Your answer:</p><form method="post"><textarea name="text" required maxlength="4096"></textarea><button type="submit" class="first">${escapeHtml(buttonLabel)}</button></form>`,
	);
}

/** After the answer was recorded, or when the question is answered in WhatsApp itself. */
export function notePage(note: string): string {
	return page('Kaleyra WhatsApp', `<p>${escapeHtml(note)}</p>`);
}
