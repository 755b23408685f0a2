/**
 * Issue 23, points 15 and 4: the WhatsApp ID a contact card's phone gets, and a template listing
 * the node cannot read.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	POD_BASE_URLS,
	accepted,
	kaleyra,
	loadFixture,
	run,
	setUpNock,
	v2Body,
	withNode,
} from './support';

setUpNock();

const BASE = POD_BASE_URLS.in;
const ASHA = { phone: '+919811111111' };

const SUPPORT_CARD = {
	formattedName: 'Shop Support',
	phone: '+91 80 4000 1234',
	phoneType: 'WORK',
	email: 'help@shop.example.com',
	url: 'https://shop.example.com/help',
};

async function sentCards(contact: IDataObject[], typeVersion: number): Promise<IDataObject> {
	const { received } = kaleyra(BASE, [accepted('wamid.1')]);
	const workflow = withNode(loadFixture('send-contacts'), {
		parameters: { contacts: { contact } },
		typeVersion,
	});
	const result = await run(workflow, [ASHA]);
	expect(result.error).toBeUndefined();
	expect(received).toHaveLength(1);
	return received[0].body as IDataObject;
}

describe('point 15: every contact phone gets a wa_id', () => {
	it('point 15: a landline on a version 1.1 node gets no wa_id; a phone marked On WhatsApp does', async () => {
		const body = await sentCards(
			[SUPPORT_CARD, { formattedName: 'Asha Rao', phone: '+91 98111 11111', onWhatsApp: true }],
			1.1,
		);
		expect(body).toEqual(
			v2Body(ASHA.phone, 'contacts', {
				contacts: [
					{
						name: { formatted_name: 'Shop Support' },
						phones: [{ phone: '+918040001234', type: 'WORK' }],
						emails: [{ email: 'help@shop.example.com', type: 'WORK' }],
						urls: [{ url: 'https://shop.example.com/help', type: 'WORK' }],
					},
					{
						name: { formatted_name: 'Asha Rao' },
						phones: [{ phone: '+919811111111', type: 'CELL', wa_id: '919811111111' }],
					},
				],
			}),
		);
	});

	it('point 15: a version 1 node keeps adding wa_id to every phone, as its saved workflows did', async () => {
		const body = await sentCards([SUPPORT_CARD], 1);
		expect((body.messaging_object as IDataObject).contacts).toEqual([
			{
				name: { formatted_name: 'Shop Support' },
				phones: [{ phone: '+918040001234', type: 'WORK', wa_id: '918040001234' }],
				emails: [{ email: 'help@shop.example.com', type: 'WORK' }],
				urls: [{ url: 'https://shop.example.com/help', type: 'WORK' }],
			},
		]);
	});

	it('point 15: the email and website types can be chosen (Home), Work when not', async () => {
		const body = await sentCards([{ ...SUPPORT_CARD, emailType: 'HOME', urlType: 'HOME' }], 1.1);
		expect((body.messaging_object as IDataObject).contacts).toEqual([
			{
				name: { formatted_name: 'Shop Support' },
				phones: [{ phone: '+918040001234', type: 'WORK' }],
				emails: [{ email: 'help@shop.example.com', type: 'HOME' }],
				urls: [{ url: 'https://shop.example.com/help', type: 'HOME' }],
			},
		]);
	});
});
