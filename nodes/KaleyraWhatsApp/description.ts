import type { INodeProperties } from 'n8n-workflow';

import { resources } from './resources';
import { simplifyProperties, toolDescriptionProperty } from './toolMode';

/** An operation's fields, shown only when its resource and operation are selected. */
function shownFor(
	resource: string,
	operation: string,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, resource: [resource], operation: [operation] },
		},
	}));
}

/** The node's fields, assembled from the registry: Resource, one Operation field per resource, then every operation's fields. */
export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'message',
		options: resources.map(({ value, name }) => ({ value, name })),
	},
	...resources.map((resource): INodeProperties => {
		const firstOperation = resource.operations[0].value;
		return {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			default: firstOperation,
			displayOptions: { show: { resource: [resource.value] } },
			options: resource.operations.map(({ value, name, action, description }) => ({
				value,
				name,
				action,
				description,
			})),
		};
	}),
	...resources.flatMap((resource) =>
		resource.operations.flatMap((operation) =>
			shownFor(resource.value, operation.value, [
				toolDescriptionProperty(resource, operation),
				...operation.properties,
				...simplifyProperties(operation),
			]),
		),
	),
];
