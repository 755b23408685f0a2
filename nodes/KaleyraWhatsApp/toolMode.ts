import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { KaleyraOperation, KaleyraResource } from './shared/types';

/**
 * The node as an AI agent's tool. n8n makes "Kaleyra WhatsApp Tool" out of this node
 * (`usableAsTool`): same class, node type name + "Tool", and the display option `@tool` true. These
 * fields exist only there.
 */
const TOOL_ONLY = { '@tool': [true] };

/**
 * What a model must know before it calls a message operation: it acts on a real customer's chat at
 * once. Without it n8n's own description says only "Send a text message in Kaleyra WhatsApp".
 */
const NOT_UNDOABLE =
	"It acts at once on the customer's WhatsApp chat and cannot be undone, edited or recalled: call it only when this should really happen, and only once.";

/**
 * The tool's description (what the model reads to choose it), per operation: the operation's own
 * description, and for a message operation that it cannot be undone. A field of this name replaces
 * n8n's "Tool Description" pair, whose automatic text is the operation's action only.
 */
export function toolDescriptionOf(resource: string, operation: KaleyraOperation): string {
	const does = `Kaleyra WhatsApp: ${operation.description}.`;
	return resource === 'message' ? `${does} ${NOT_UNDOABLE}` : does;
}

/** Sends output one item per message: in tool mode only these reach the model ("Simplify"). */
const SIMPLE_KEYS = ['messageId', 'status', 'to'];

/** A send's output item as the model gets it with Simplify on: message ID, status, recipient. */
export function simplified(json: IDataObject): IDataObject {
	return Object.fromEntries(
		SIMPLE_KEYS.filter((key) => key in json).map((key) => [key, json[key]]),
	);
}

/** Tool mode's first field of an operation, where n8n puts its own: the Tool Description. */
export function toolDescriptionProperty(
	resource: KaleyraResource,
	operation: KaleyraOperation,
): INodeProperties {
	return {
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		default: toolDescriptionOf(resource.value, operation),
		typeOptions: { rows: 3 },
		description:
			'What the AI model reads to decide when to call this tool. The text already there says what the operation does (and, for a message, that it cannot be undone).',
		displayOptions: { show: TOOL_ONLY },
	};
}

/**
 * Tool mode's last field of a send whose output is the sent message (not a read receipt or an
 * upload): Simplify, on by default, so the model gets three keys instead of the whole item.
 */
export function simplifyProperties(operation: KaleyraOperation): INodeProperties[] {
	if ((operation.kind ?? 'send') !== 'send' || ('output' in operation && operation.output))
		return [];
	return [
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description:
				'Whether to return only the message ID, status and recipient to the model instead of the full output',
			displayOptions: { show: TOOL_ONLY },
		},
	];
}
