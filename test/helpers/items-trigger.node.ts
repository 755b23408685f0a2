import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

/** The type string to use in fixtures for the harness's start node. */
export const ITEMS_TRIGGER_TYPE = 'test.items';

/** Name of the node parameter that holds the items (a JSON array, as a string or as an array). */
export const ITEMS_PARAMETER = 'items';

/**
 * Start node for harness workflows: emits the items in its `items` parameter, one output item
 * per array element. `runWorkflow({ items })` writes the given items into this parameter, so a
 * fixture can leave it out. All emitted items pair to the (single, empty) item the harness feeds
 * the start node, like a Code node that returns several items.
 *
 * An item's `$binary` key becomes the item's binary data: `{ "$binary": { "data": { "data": "<base64>",
 * "mimeType": "application/pdf", "fileName": "invoice.pdf" } } }`, as n8n keeps binary data in
 * memory (the default mode), so nodes read it through the real binary helpers.
 *
 * It is an ordinary `execute` node rather than a real trigger, so it runs the same way in every
 * execution mode and needs no trigger/poll machinery from the engine.
 */
export class ItemsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Items',
		name: ITEMS_TRIGGER_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Emits fixed items (test harness only)',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Items (JSON Array)',
				name: ITEMS_PARAMETER,
				type: 'json',
				default: '[{}]',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter(ITEMS_PARAMETER, 0) as unknown;
		let parsed: unknown = raw;
		if (typeof raw === 'string') {
			try {
				parsed = JSON.parse(raw === '' ? '[]' : raw);
			} catch (error) {
				throw new NodeOperationError(
					this.getNode(),
					`"${ITEMS_PARAMETER}" is not valid JSON: ${(error as Error).message}`,
				);
			}
		}
		if (!Array.isArray(parsed)) {
			throw new NodeOperationError(
				this.getNode(),
				`"${ITEMS_PARAMETER}" must be a JSON array of objects`,
			);
		}
		return [
			parsed.map((json, index) => {
				if (json === null || typeof json !== 'object' || Array.isArray(json)) {
					throw new NodeOperationError(
						this.getNode(),
						`Item ${index} of "${ITEMS_PARAMETER}" is not an object`,
					);
				}
				const { $binary, ...rest } = json as IDataObject;
				if ($binary === undefined) return { json: json as IDataObject, pairedItem: { item: 0 } };
				return {
					json: rest,
					binary: $binary as INodeExecutionData['binary'],
					pairedItem: { item: 0 },
				};
			}),
		];
	}
}
