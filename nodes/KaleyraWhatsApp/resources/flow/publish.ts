import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { CallOperation } from '../../shared/types';
import { str } from '../message/fields';
import { flowId } from './common';

/** A draft Flow published, so it can be sent: from then on it cannot be deleted, only deprecated. */
export const publish: CallOperation = {
	kind: 'call',
	value: 'publish',
	name: 'Publish',
	action: 'Publish a flow',
	description:
		'Publish a draft Flow so it can be sent (a published Flow cannot be deleted, only deprecated)',
	properties: [
		{
			displayName: 'Flow ID',
			name: 'flowId',
			type: 'string',
			default: '',
			required: true,
			description: "The Flow's ID, as Flow → Create or Get Many shows it",
		},
	],
	fieldLabels: { flow_id: 'flowId' },
	build: (p, account) => {
		const id = str(p.flowId).trim();
		return {
			method: 'POST',
			path: ['v2', account.sid, 'whatsapp', id, 'publish'],
			checked: { flow_id: id },
		};
	},
	schema: z.object({ flow_id: flowId }),
	toItems: (answer, p) => [
		{
			flowId: str(p.flowId).trim(),
			status: 'PUBLISHED',
			success: (answer.data as IDataObject | undefined)?.success ?? answer.success ?? true,
		},
	],
	failureHints: {
		WA400:
			'Meta publishes only a DRAFT Flow without validation errors (Flow → Get Many shows them); a published Flow stays published and can only be deprecated.',
	},
};
