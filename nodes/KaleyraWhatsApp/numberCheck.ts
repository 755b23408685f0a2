import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CHECK_NUMBER_FIRST } from './resources/message/fields';
import { getDetails } from './resources/phoneNumber/getDetails';
import { describeFailure } from './shared/errors';
import type { KaleyraAccount } from './shared/transport';
import { callKaleyra } from './shared/transport';
import type { ResolvedParameters } from './shared/types';

/** The option as the node shows it, which every refusal here names. */
export const CHECK_NUMBER_FIELD = `Options → ${CHECK_NUMBER_FIRST.displayName}`;

/**
 * Meta's health status says the number cannot send: BLOCKED (or a plain false). LIMITED still
 * sends, to fewer people, so a campaign is not stopped for it.
 */
const cannotSend = (value: unknown) =>
	value === false || (typeof value === 'string' && value.toUpperCase() === 'BLOCKED');

/** Why Meta blocks the number, in its own words: each error with the entity it is about and Meta's fix. */
function reasons(details: IDataObject): string {
	const errors = Array.isArray(details.errors) ? (details.errors as IDataObject[]) : [];
	if (errors.length === 0) return 'Meta gives no reason; Kaleyra support can say why.';
	return errors
		.map((error) =>
			[
				error.entityType === null ? '' : `${String(error.entityType)}: `,
				String(error.description ?? `error ${String(error.code)}`),
				error.code === null ? '' : ` (${String(error.code)})`,
				error.possibleSolution === null ? '' : `. ${String(error.possibleSolution)}`,
			].join(''),
		)
		.map((sentence) => `${sentence.replace(/[.\s]+$/, '')}.`)
		.join(' ');
}

/**
 * Whether the run asked for the check (read once, from the first item, like the other run
 * settings), or the error that the option's value is not a yes or no.
 */
export function numberCheckWanted(ctx: IExecuteFunctions): boolean | NodeOperationError {
	let value: unknown;
	try {
		value = ctx.getNodeParameter(`options.${CHECK_NUMBER_FIRST.name}`, 0, false);
	} catch (error) {
		return new NodeOperationError(
			ctx.getNode(),
			`${CHECK_NUMBER_FIELD}: its expression failed: ${(error as Error).message}`,
			{
				description: 'It applies to the whole run (read from the first item), so nothing was sent.',
			},
		);
	}
	if (value === true || value === 'true') return true;
	if (value === false || value === 'false' || value === '' || value === null || value === undefined)
		return false;
	return new NodeOperationError(ctx.getNode(), `${CHECK_NUMBER_FIELD}: expected true or false`, {
		description:
			'It applies to the whole run (read from the first item), so nothing was sent. Turn it on or off, or make its expression give true or false.',
	});
}

/**
 * Before a campaign's first message from a business number: the number read as Phone Number → Get
 * Details reads it. Why it cannot send (or cannot be checked), naming the number and Meta's
 * reason; undefined when it can.
 */
export async function numberCannotSend(
	ctx: IExecuteFunctions,
	account: KaleyraAccount,
	businessNumber: string,
): Promise<NodeOperationError | undefined> {
	const p = { businessNumber } as unknown as ResolvedParameters;
	const { method, path } = getDetails.build(p, account);
	const result = await callKaleyra(ctx, account, { method, path });
	if (!result.ok) {
		const { message, description } = describeFailure(result.failure);
		return new NodeOperationError(
			ctx.getNode(),
			`${CHECK_NUMBER_FIELD}: Kaleyra did not say whether ${businessNumber} can send: ${message}`,
			{
				description: `${description} Nothing was sent. Try again, or remove the option to send without the check.`,
			},
		);
	}
	const found = getDetails.toItems(result.body as IDataObject, p);
	const [details] = 'refused' in found ? [] : found;
	if (details === undefined || !cannotSend(details.canSendMessage)) return undefined;
	return new NodeOperationError(
		ctx.getNode(),
		`${CHECK_NUMBER_FIELD}: WhatsApp says ${businessNumber} cannot send (${String(details.canSendMessage)})`,
		{
			description: `${reasons(details)} Nothing was sent. Phone Number → Get Details shows the number's standing; send again once it can.`,
		},
	);
}
