/**
 * Issue 23, hardening of the template listing (point 4; point 8 is in hardening-lookups.test.ts).
 * Each test is named after the point it proves; each fails on the release before it.
 */
import type { IDataObject } from 'n8n-workflow';

import { KaleyraWhatsAppApi } from '../../credentials/KaleyraWhatsAppApi.credentials';
import { KaleyraWhatsApp } from '../../nodes/KaleyraWhatsApp/KaleyraWhatsApp.node';
import { callNodeMethod } from '../helpers/engine';

import {
	API_KEY,
	NODE_TYPE,
	SID,
	POD_BASE_URLS,
	itemsOf,
	kaleyra,
	loadFixture,
	run,
	setUpNock,
	withNode,
} from './support';

setUpNock();

const BASE = POD_BASE_URLS.in;

describe('4. A template definition the node cannot read from the listing is a clear failure', () => {
	const WABA = { pod: 'in' as const, wabaId: '104583920017284' };
	const SHIPPED = { phone: '+919811111111', name: 'Asha', orderId: '1042', arrives: 'Friday' };
	const listing = (template: IDataObject) => ({
		data: [
			{
				name: 'order_shipped',
				language: 'en',
				status: 'APPROVED',
				category: 'UTILITY',
				...template,
			},
		],
	});
	const shapes: Array<[string, IDataObject, string]> = [
		['components 5', { components: 5 }, 'components: Expected array, received number'],
		['components {}', { components: {} }, 'components: Expected array, received object'],
		['components [null]', { components: [null] }, 'components.0: Expected object, received null'],
		[
			'buttons {}',
			{ components: [{ type: 'BUTTONS', buttons: {} }] },
			'components.0.buttons: Expected array, received object',
		],
	];
	it.each(shapes)(
		'point 4: Send Template with a listed template whose %s stops with a clear error, and under Continue gives an error item; nothing sent',
		async (_label, template, reason) => {
			const message = `Kaleyra's template listing has a template "order_shipped" the node cannot read: ${reason}`;
			const stopped = kaleyra(BASE, [{ status: 200, body: listing(template) }], 'GET');
			const result = await run(
				loadFixture('send-template-order-shipped'),
				[SHIPPED],
				WABA as never,
			);
			expect(result.error?.message).toBe(
				`Template: its variables could not be read from the listing (${message}). ${UNREADABLE}`,
			);
			expect(stopped.received.map((r) => r.method)).toEqual(['GET']);

			const continued = kaleyra(BASE, [{ status: 200, body: listing(template) }], 'GET');
			const items = itemsOf(
				await run(
					withNode(loadFixture('send-template-order-shipped'), {
						onError: 'continueRegularOutput',
					}),
					[SHIPPED],
					WABA as never,
				),
			);
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({
				error: `Template: its variables could not be read from the listing (${message}). ${UNREADABLE}`,
				maybeSent: false,
			});
			expect(continued.received.map((r) => r.method)).toEqual(['GET']);
		},
	);

	it.each(shapes)(
		'point 4: the Variables field of a template whose %s says the listing cannot be read (no TypeError)',
		async (_label, template, reason) => {
			kaleyra(BASE, [{ status: 200, body: listing(template) }], 'GET');
			const fields = callNodeMethod(
				{
					nodeType: new KaleyraWhatsApp(),
					node: {
						type: NODE_TYPE,
						parameters: {
							resource: 'message',
							operation: 'sendTemplate',
							template: { __rl: true, mode: 'list', value: 'order_shipped|en' },
						} as never,
						credentials: { kaleyraWhatsAppApi: { id: '1', name: 'Kaleyra' } },
					},
					credentialTypes: [new KaleyraWhatsAppApi()],
					credentials: {
						kaleyraWhatsAppApi: {
							'1': { pod: 'in', sid: SID, apiKey: API_KEY, wabaId: WABA.wabaId } as never,
						},
					},
					path: 'parameters.variables',
				},
				async (ctx, type) =>
					await (type as KaleyraWhatsApp).methods.resourceMapping!.getTemplateVariables.call(ctx),
			);
			await expect(fields).rejects.toMatchObject({
				message: `Kaleyra's template listing has a template "order_shipped" the node cannot read: ${reason}`,
				description: UNREADABLE,
			});
		},
	);
});

const UNREADABLE =
	'Check the template in Kaleyra (or Meta\'s WhatsApp Manager), or set Variables to "Parameter List" and enter them by hand.';
