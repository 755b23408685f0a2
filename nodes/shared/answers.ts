/**
 * Send and Wait's reply buttons, as both nodes read them. A tap reaches the number's callback URL
 * (the Kaleyra WhatsApp Trigger), not the waiting execution, so each button's ID carries the
 * execution's resume URL as n8n signed it (`getSignedResumeUrl`), without its host: the trigger
 * puts its own n8n's waiting-webhook address in front and posts the tap there. n8n checks the
 * signature (an HMAC with this instance's secret over the path and query), so only an ID signed
 * by this n8n resumes anything; a forged or altered ID gets n8n's 401 and resumes nothing.
 */

/** Marks a button ID as a Send and Wait answer; no builder's own ID is likely to start so. */
export const ANSWER_ID_PREFIX = 'n8nkw1:';

/** WhatsApp's longest reply-button ID. */
export const BUTTON_ID_MAX = 256;

/** The signed query of an answer (short keys: the whole ID must fit in 256 characters). */
export const ANSWER_QUERY = {
	/** The input item the question was sent for. */
	item: 'i',
	/** Response type: a (Approval), c (Choice), f (Free Text). */
	type: 't',
	/** How it is answered: b (a reply button, through the trigger), l (the link form). */
	by: 'by',
	/** The number asked, digits only: a tap from any other number resumes nothing. */
	to: 'to',
	/** The button's answer: approve / decline, or the Choice's value. */
	value: 'v',
	/** The button's label (Choice). */
	label: 'l',
	/** The link form's answers, [[value, label], …] as JSON. */
	options: 'o',
} as const;

/** What a successful answer's response says, so the trigger can tell it from n8n's own pages. */
export const ANSWER_RECORDED = 'answerRecorded';

/** The part of a signed resume URL a button ID carries: `<execution>/<node>?<query>&signature=…`. */
const RESUME_REST = /^(\d{1,20})\/([A-Za-z0-9_-]{1,64})\?([A-Za-z0-9%._~=&+*-]{1,230})$/;

/** The button ID for a signed resume URL: its last two path segments and its query. */
export function answerId(signedResumeUrl: string): string {
	const url = new URL(signedResumeUrl);
	const [executionId, nodeId] = url.pathname.split('/').slice(-2);
	return `${ANSWER_ID_PREFIX}${executionId}/${nodeId}${url.search}`;
}

/**
 * Where the trigger posts a tap with this button ID: under `waitingBase` (this n8n's own
 * waiting-webhook address), never any other host; undefined for an ID that is not an answer or
 * has not the shape the node gives (an execution number, a node ID, a query with a signature).
 */
export function resumeUrlOf(buttonId: string, waitingBase: string): URL | undefined {
	if (!buttonId.startsWith(ANSWER_ID_PREFIX)) return undefined;
	const rest = RESUME_REST.exec(buttonId.slice(ANSWER_ID_PREFIX.length));
	if (rest === null) return undefined;
	const url = new URL(`${waitingBase.replace(/\/+$/, '')}/${rest[1]}/${rest[2]}?${rest[3]}`);
	if (!/^[0-9a-f]{64}$/.test(url.searchParams.get('signature') ?? '')) return undefined;
	return url;
}
