import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolvedValueIssues } from './checks';
import { failureJson } from './items';
import type { ResolvedParameters, ValidationIssue } from './types';

/** An item that is not sent: the node's error, and the json it becomes under On Error → Continue. */
export interface Refused {
	error: NodeOperationError;
	json: IDataObject;
}

/**
 * One item's fields as n8n resolves them (expressions included), held to the type rules every field
 * shares; or the issues, when an expression failed or gave what the field cannot take.
 */
export function resolveParameters(
	ctx: IExecuteFunctions,
	properties: INodeProperties[],
	itemIndex: number,
): { p: ResolvedParameters } | { issues: ValidationIssue[] } {
	const parameters: Record<string, unknown> = {};
	const issues: ValidationIssue[] = [];
	for (const property of properties) {
		if (property.name in parameters) continue;
		const fallback =
			property.type === 'collection' || property.type === 'fixedCollection' ? {} : '';
		try {
			parameters[property.name] = ctx.getNodeParameter(property.name, itemIndex, fallback);
		} catch (error) {
			// One item's expression failing (bad data, a missing node) must not take the batch with it.
			return {
				issues: [
					{
						field: property.displayName,
						message: `its expression failed: ${(error as Error).message}`,
					},
				],
			};
		}
		issues.push(...resolvedValueIssues(property, parameters[property.name]));
	}
	if (issues.length > 0) return { issues };
	const p = parameters as ResolvedParameters;
	p.nodeVersion = ctx.getNode().typeVersion;
	return { p };
}

/**
 * An item that is not sent: its first problem as the error, the others in the description. Items
 * are counted from 0, as n8n's editor and Kaleyra's refusals ("[item 0]") count them.
 */
export function refused(
	ctx: IExecuteFunctions,
	itemIndex: number,
	issues: ValidationIssue[],
): Refused {
	const [first, ...others] = issues;
	const more = others.map((issue) => `${issue.field}: ${issue.message}`).join(' ');
	const error = new NodeOperationError(ctx.getNode(), `${first.field}: ${first.message}`, {
		itemIndex,
		description: `Nothing was sent for item ${itemIndex}.${more === '' ? '' : ` Also: ${more}`}`,
	});
	return {
		error,
		json: failureJson(error, {
			code: 'INVALID_INPUT',
			field: first.field,
			httpStatus: null,
			retryable: false,
			maybeSent: false,
		}),
	};
}
