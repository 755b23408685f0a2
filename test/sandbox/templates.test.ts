import { ACCOUNT, CUSTOMER, useSandbox, WAMID } from './support';

const WABA = '200000000000002';
const api = useSandbox([{ ...ACCOUNT, wabaId: WABA }]);

function listing(query = '', { waba = WABA, apiKey = ACCOUNT.apiKey } = {}) {
	return api.call(`/v2/${ACCOUNT.sid}/whatsapp/${waba}/message_templates${query}`, {
		headers: { 'api-key': apiKey },
	});
}

function sendTemplate(template: unknown) {
	return api.sendV2({
		messaging_object: {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: CUSTOMER,
			type: 'template',
			template,
		},
	});
}

const orderShipped = (components: unknown[]) => ({
	name: 'order_shipped',
	language: { code: 'en' },
	components,
});
const header = (...texts: string[]) => ({
	type: 'header',
	parameters: texts.map((text) => ({ type: 'text', text })),
});
const body = (...texts: string[]) => ({
	type: 'body',
	parameters: texts.map((text) => ({ type: 'text', text })),
});
const trackButton = (suffix: string) => ({
	type: 'button',
	sub_type: 'url',
	index: '0',
	parameters: [{ type: 'text', text: suffix }],
});

describe('Sandbox templates: the listing a template picker reads', () => {
	it('lists the seeded templates of the WABA, in Meta’s shape', async () => {
		const reply = await listing();
		expect(reply.status).toBe(200);
		expect(
			reply.json.data.map(
				(t: { name: string; language: string; status: string }) =>
					`${t.name}/${t.language}/${t.status}`,
			),
		).toEqual([
			'order_shipped/en/APPROVED',
			'appointment_reminder/en_US/APPROVED',
			'invoice_ready/en/APPROVED',
			'login_code/en/APPROVED',
			'winter_sale/en/APPROVED',
			'flash_promo/en/REJECTED',
		]);
		expect(reply.json.data[0]).toMatchObject({
			category: 'UTILITY',
			parameter_format: 'POSITIONAL',
			components: expect.any(Array),
		});
		expect(reply.json.paging).toEqual({});
	});

	it('filters by status and by part of the name, and pages with limit and after', async () => {
		expect((await listing('?status=approved')).json.data).toHaveLength(5);
		expect((await listing('?name=ship')).json.data.map((t: { name: string }) => t.name)).toEqual([
			'order_shipped',
		]);
		const first = await listing('?limit=4');
		expect(first.json.data).toHaveLength(4);
		expect(first.json.paging).toEqual({ cursors: { after: '4' } });
		const second = await listing('?limit=4&after=4');
		expect(second.json.data.map((t: { name: string }) => t.name)).toEqual([
			'winter_sale',
			'flash_promo',
		]);
	});

	it('refuses a wrong key (RBC001) and a WABA ID of another account', async () => {
		expect((await listing('', { apiKey: 'wrong' })).json.code).toBe('RBC001');
		const foreign = await listing('', { waba: '999' });
		expect(foreign.status).toBe(404);
		expect(foreign.json.code).toBe('WA404');
	});

	it('lists a template added through the admin API, and then accepts sends of it', async () => {
		const added = await api.call('/__sandbox/templates', {
			method: 'POST',
			body: JSON.stringify({
				name: 'welcome_back',
				language: 'en',
				components: [{ type: 'BODY', text: 'Welcome back, {{first_name}}!' }],
			}),
		});
		expect(added.json).toEqual({ added: 1, templates: 7 });
		expect((await listing('?name=welcome')).json.data[0]).toMatchObject({
			status: 'APPROVED',
			parameter_format: 'NAMED',
		});
		const reply = await sendTemplate({
			name: 'welcome_back',
			language: { code: 'en' },
			components: [
				{
					type: 'body',
					parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Asha' }],
				},
			],
		});
		expect(reply.status).toBe(202);
	});
});

describe('Sandbox templates: a template send is checked against its definition', () => {
	it('accepts order_shipped with its header, body and URL button parameters, and records it', async () => {
		const template = orderShipped([
			header('1042'),
			body('Asha', '1042', 'Friday'),
			trackButton('1042'),
		]);
		const reply = await sendTemplate(template);
		expect(reply.status).toBe(202);
		expect(reply.json.data.message_id).toMatch(WAMID);
		expect(api.sandbox.messages[0]).toMatchObject({
			type: 'template',
			payload: { messaging_object: { template } },
		});
	});

	it.each([
		[
			'a body variable missing',
			[header('1042'), body('Asha', '1042'), trackButton('1042')],
			{
				'messaging_object.template.components.body.parameters':
					'must have 3 parameter(s) ({{1}}, {{2}}, {{3}}), has 2 (132000)',
			},
		],
		[
			'a text parameter with a newline',
			[header('1042'), body('Asha', '10\n42', 'Friday'), trackButton('1042')],
			{
				'messaging_object.template.components.body.parameters[1].text':
					'may not contain newlines, tabs or more than 4 consecutive spaces (132018)',
			},
		],
		[
			'more than 4 spaces in a row',
			[header('1042'), body('Asha', '1042', 'Fri     day'), trackButton('1042')],
			{
				'messaging_object.template.components.body.parameters[2].text':
					'may not contain newlines, tabs or more than 4 consecutive spaces (132018)',
			},
		],
		[
			'no header parameter',
			[body('Asha', '1042', 'Friday'), trackButton('1042')],
			{
				'messaging_object.template.components.header':
					"is required: the template's header needs a text parameter (132000)",
			},
		],
		[
			'the URL button suffix missing',
			[header('1042'), body('Asha', '1042', 'Friday')],
			{
				'messaging_object.template.components.button': 'button 0 (url) needs a parameter (132000)',
			},
		],
		[
			'an image where the header is text',
			[
				{
					type: 'header',
					parameters: [{ type: 'image', image: { link: 'https://example.com/a.png' } }],
				},
				body('Asha', '1042', 'Friday'),
				trackButton('1042'),
			],
			{
				'messaging_object.template.components.header.parameters[0].type':
					'must be "text", the template\'s header format (132012)',
			},
		],
	])('refuses %s (WA400, naming the component)', async (_story, components, error) => {
		const reply = await sendTemplate(orderShipped(components));
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual({
			code: 'WA400',
			message: 'Refer to correct payload format',
			data: {},
			error,
		});
		expect(api.sandbox.messages).toHaveLength(0);
	});

	it('refuses an unknown template, and one that exists only in another language', async () => {
		const unknown = await sendTemplate({ name: 'no_such_template', language: { code: 'en' } });
		expect(unknown.json.error).toEqual({
			'messaging_object.template.name': 'template "no_such_template" does not exist (132001)',
		});
		const otherLanguage = await sendTemplate({ name: 'order_shipped', language: { code: 'hi' } });
		expect(otherLanguage.json.error).toEqual({
			'messaging_object.template.name':
				'template "order_shipped" does not exist in language hi (132001); it exists in en',
		});
	});

	it('refuses a template that is not approved with WA401, as Kaleyra does', async () => {
		const reply = await sendTemplate({
			name: 'flash_promo',
			language: { code: 'en' },
			components: [body('50%')],
		});
		expect(reply.status).toBe(401);
		expect(reply.json).toEqual({
			code: 'WA401',
			message: 'Template is not approved',
			data: {},
			error: {
				'messaging_object.template.name': 'template "flash_promo" is rejected, not approved',
			},
		});
	});

	it('checks named variables by name, media headers, copy codes and OTP buttons', async () => {
		const named = await sendTemplate({
			name: 'appointment_reminder',
			language: { code: 'en_US' },
			components: [
				{
					type: 'body',
					parameters: [
						{ type: 'text', parameter_name: 'order_id', text: 'x' },
						{ type: 'text', parameter_name: 'customer_name', text: 'Asha' },
					],
				},
			],
		});
		expect(named.json.error).toEqual({
			'messaging_object.template.components.body.parameters[0].parameter_name':
				'must name a variable of the template (customer_name, appointment_date) (132000)',
		});
		const invoice = await sendTemplate({
			name: 'invoice_ready',
			language: { code: 'en' },
			components: [
				{
					type: 'header',
					parameters: [
						{
							type: 'document',
							document: { link: 'https://example.com/i.pdf', filename: 'i.pdf' },
						},
					],
				},
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: '1042' },
						{
							type: 'currency',
							currency: { fallback_value: '₹1,499.00', code: 'INR', amount_1000: 1499000 },
						},
					],
				},
			],
		});
		expect(invoice.status).toBe(202);
		const longCode = await sendTemplate({
			name: 'winter_sale',
			language: { code: 'en' },
			components: [
				{ type: 'header', parameters: [{ type: 'image', image: { id: '1234567890' } }] },
				body('20%'),
				{
					type: 'button',
					sub_type: 'copy_code',
					index: '0',
					parameters: [{ type: 'coupon_code', coupon_code: 'WINTER2026SPECIAL' }],
				},
			],
		});
		expect(longCode.json.error).toEqual({
			'messaging_object.template.components.button[2].parameters':
				'a coupon code may be at most 15 characters (132018)',
		});
		const otp = await sendTemplate({
			name: 'login_code',
			language: { code: 'en' },
			components: [
				body('482913'),
				{
					type: 'button',
					sub_type: 'url',
					index: '0',
					parameters: [{ type: 'text', text: '482913' }],
				},
			],
		});
		expect(otp.status).toBe(202);
	});
});
