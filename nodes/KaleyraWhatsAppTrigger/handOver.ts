import type { IDataObject, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

import { ANSWER_RECORDED, resumeUrlOf } from '../shared/answers';
import { onceKey, type CallbackItem } from './callbacks';
import { seenCallbacks } from './once';

/**
 * A tap on a Send and Wait reply button reaches the number's callback URL, this trigger, not the
 * waiting execution: the trigger hands it over. The button ID names the execution's signed resume
 * URL without a host; the trigger posts the tap to its own n8n's waiting-webhook address (never
 * any other host), where n8n checks the signature and the asking node checks the number. Only an
 * answer the node recorded counts as handed over; any other tap (forged, altered, late, from
 * another number) is delivered as the ordinary button reply it is.
 */

export const startForAnswersOption: INodeProperties = {
	displayName: 'Start Workflow for Send and Wait Answers',
	name: 'startForAnswers',
	type: 'boolean',
	default: false,
	description:
		'Whether a tap that answers a Send and Wait for Reply question also starts this workflow. Off: the waiting execution gets it, and this workflow does not start for it.',
};

/** This n8n's waiting-webhook address, as n8n gives it to expressions ($execution.resumeUrl). */
function waitingBase(ctx: IWebhookFunctions): string | undefined {
	try {
		const url = new URL(String(ctx.evaluateExpression('{{ $execution.resumeUrl }}')));
		return `${url.origin}${url.pathname.replace(/\/[^/]*$/, '')}`;
	} catch {
		return undefined;
	}
}

/** Posts one tap to its execution's resume URL; true only when the asking node recorded it. */
async function resume(ctx: IWebhookFunctions, url: URL, item: CallbackItem): Promise<boolean> {
	try {
		// n8n itself, not Kaleyra: the node's transport is the door to Kaleyra only.
		const response = (await ctx.helpers.httpRequest({
			method: 'POST',
			url: url.toString(),
			body: { from: item.from, messageId: item.messageId, replyTo: item.replyTo },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 15_000,
		})) as { statusCode: number; body: unknown };
		const body = response.body as IDataObject | null;
		return (
			response.statusCode >= 200 &&
			response.statusCode < 300 &&
			typeof body === 'object' &&
			body !== null &&
			body[ANSWER_RECORDED] === true
		);
	} catch {
		return false;
	}
}

/**
 * Hands every Send and Wait tap among `received` to its waiting execution. Returns the items the
 * workflow may still start for (all of them with Start Workflow for Send and Wait Answers on) and
 * how many were handed over. A handed-over tap is remembered in `scope` as seen, so Kaleyra
 * delivering it again does not start the workflow as a late tap.
 */
export async function handOverAnswers(
	ctx: IWebhookFunctions,
	received: CallbackItem[],
	scope: string,
): Promise<{ passOn: CallbackItem[]; answered: number }> {
	const taps = received.filter(
		(item) => item.type === 'button_reply' && (item.buttonId ?? '').length > 0,
	);
	if (taps.length === 0) return { passOn: received, answered: 0 };
	const base = waitingBase(ctx);
	if (base === undefined) return { passOn: received, answered: 0 };
	const startToo = (ctx.getNodeParameter('options.startForAnswers', false) as boolean) === true;
	const handed = new Set<CallbackItem>();
	for (const item of taps) {
		const url = resumeUrlOf(item.buttonId!, base);
		if (url === undefined || !(await resume(ctx, url, item))) continue;
		handed.add(item);
		const key = onceKey(item);
		if (!startToo && key !== undefined) seenCallbacks.firstTime(scope, key);
	}
	return {
		passOn: startToo ? received : received.filter((item) => !handed.has(item)),
		answered: handed.size,
	};
}
