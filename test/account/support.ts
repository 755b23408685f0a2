/**
 * The account operations' tests (issue 17): a workflow with one Kaleyra node whose parameters are
 * exactly the given ones, run in n8n-core's engine against nock, as test/node/support.ts runs sends.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { WorkflowFixture } from '../helpers/engine';
import { API_KEY, NODE_TYPE, SEND_NODE, type Account } from '../node/support';

export const WABA_ID = '104500000000123';
/** The India pod with a WABA ID in the credential. */
export const WITH_WABA = { pod: 'in', wabaId: WABA_ID } as Account;

export function accountWorkflow(
	parameters: IDataObject,
	onError?: INode['onError'],
): WorkflowFixture {
	return {
		nodes: [
			{
				id: 'a',
				name: 'Items',
				type: 'test.items',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b',
				name: SEND_NODE,
				type: NODE_TYPE,
				typeVersion: 1.1,
				position: [220, 0],
				parameters: parameters as INode['parameters'],
				credentials: { kaleyraWhatsAppApi: { id: '1', name: 'Kaleyra' } },
				...(onError === undefined ? {} : { onError }),
			},
		],
		connections: { Items: { main: [[{ node: SEND_NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	} as WorkflowFixture;
}

/** The headers every GET to Kaleyra carries (no body, so no content type). */
export const GET_HEADERS = {
	'api-key': API_KEY,
	'content-type': undefined,
	accept: 'application/json',
};
