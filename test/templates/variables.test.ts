import { SEEDED_TEMPLATES } from '../../sandbox/templates';
import type { TemplateDefinition } from '../../nodes/KaleyraWhatsApp/resources/message/template/variables';
import {
	checkTemplateValues,
	templateComponents,
	templateVariables,
} from '../../nodes/KaleyraWhatsApp/resources/message/template/variables';
import { ACCOUNT, CUSTOMER, useSandbox } from '../sandbox/support';

const seeded = (name: string) =>
	SEEDED_TEMPLATES.find(
		(template: TemplateDefinition) => template.name === name,
	) as TemplateDefinition;

describe('A template picked from the listing shows its variables as fields to map', () => {
	it('order_shipped: the header and body variables and the URL button suffix, with the examples as placeholders', () => {
		expect(templateVariables(seeded('order_shipped'))).toEqual([
			{
				key: 'header_1',
				component: 'header',
				name: '1',
				kind: 'text',
				label: 'Header {{1}}',
				example: '1042',
				required: true,
			},
			{
				key: 'body_1',
				component: 'body',
				name: '1',
				kind: 'text',
				label: 'Body {{1}}',
				example: 'Asha',
				required: true,
			},
			{
				key: 'body_2',
				component: 'body',
				name: '2',
				kind: 'text',
				label: 'Body {{2}}',
				example: '1042',
				required: true,
			},
			{
				key: 'body_3',
				component: 'body',
				name: '3',
				kind: 'text',
				label: 'Body {{3}}',
				example: 'Friday',
				required: true,
			},
			{
				key: 'button_0',
				component: 'button',
				name: '',
				buttonIndex: 0,
				kind: 'urlSuffix',
				label: 'Button 1 (Track order) URL suffix',
				example: '1042',
				required: true,
			},
		]);
	});

	it('appointment_reminder: named variables keep their names; quick replies are optional payloads', () => {
		expect(
			templateVariables(seeded('appointment_reminder')).map(({ key, label, example, required }) => [
				key,
				label,
				example,
				required,
			]),
		).toEqual([
			['body_customer_name', 'Body {{customer_name}}', 'Asha', true],
			['body_appointment_date', 'Body {{appointment_date}}', '3 December, 10:00', true],
			['button_0', 'Button 1 (Confirm) payload', '', false],
			['button_1', 'Button 2 (Reschedule) payload', '', false],
		]);
	});

	it('media headers, copy codes and one-time codes', () => {
		expect(templateVariables(seeded('invoice_ready'))[0]).toMatchObject({
			key: 'header_media',
			kind: 'document',
			label: 'Header document (link or media ID)',
		});
		expect(templateVariables(seeded('winter_sale')).map((v) => v.label)).toEqual([
			'Header image (link or media ID)',
			'Body {{1}}',
			'Button 1 (Copy offer code) code',
		]);
		expect(templateVariables(seeded('login_code')).map((v) => v.label)).toEqual([
			'Body {{1}}',
			'Button 1 (Copy code) one-time code',
		]);
	});
});

describe('Before sending, the mapped values are checked against the template', () => {
	it('names an empty variable as the template names it, with its example', () => {
		expect(
			checkTemplateValues(seeded('order_shipped'), {
				header_1: '1042',
				body_1: 'Asha',
				body_2: ' ',
				body_3: 'Friday',
				button_0: '1042',
			}),
		).toEqual([
			{
				field: 'Body {{2}}',
				message:
					'it is empty. Map a value for it (e.g. 1042); WhatsApp refuses a template with a variable missing.',
			},
		]);
	});

	it('refuses what Meta refuses in text parameters, long headers, long copy codes, objects and unknown variables', () => {
		const problems = checkTemplateValues(seeded('order_shipped'), {
			header_1: 'x'.repeat(61),
			body_1: 'Asha\nRao',
			body_2: '10     42',
			body_3: { day: 'Friday' },
			button_0: '1042',
			body_4: 'extra',
		});
		expect(problems).toEqual([
			{
				field: 'Header {{1}}',
				message: 'WhatsApp allows at most 60 characters here; this has 61. Shorten it.',
			},
			{
				field: 'Body {{1}}',
				message:
					'WhatsApp does not allow newlines, tabs or more than 4 spaces in a row in a template variable. Replace them with a space.',
			},
			{
				field: 'Body {{2}}',
				message:
					'WhatsApp does not allow newlines, tabs or more than 4 spaces in a row in a template variable. Replace them with a space.',
			},
			{
				field: 'Body {{3}}',
				message:
					'expected text, a currency { fallback_value, code, amount_1000 } or a date-time { fallback_value }; this object has no fallback_value text (the text shown where the format is not supported).',
			},
			{
				field: 'body_4',
				message:
					'template "order_shipped" has no such variable. Remove it, or pick the template that has it.',
			},
		]);
		expect(
			checkTemplateValues(seeded('winter_sale'), {
				header_media: '123',
				body_1: '20%',
				button_0: 'WINTER2026SPECIAL',
			}),
		).toEqual([
			{
				field: 'Button 1 (Copy offer code) code',
				message: 'WhatsApp allows at most 15 characters in a copy code; this has 17.',
			},
		]);
	});

	it('lets quick-reply payloads be left out', () => {
		expect(
			checkTemplateValues(seeded('appointment_reminder'), {
				body_customer_name: 'Asha',
				body_appointment_date: 'Friday',
			}),
		).toEqual([]);
	});
});

describe('The components built from mapped values are what the template needs', () => {
	const api = useSandbox([{ ...ACCOUNT, wabaId: '100000000000001' }]);
	const send = (definition: TemplateDefinition, values: Record<string, unknown>) =>
		api.sendV2({
			messaging_object: {
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: CUSTOMER,
				type: 'template',
				template: {
					name: definition.name,
					language: { code: definition.language },
					components: templateComponents(definition, values),
				},
			},
		});

	it('order_shipped: header, body and the URL button, accepted by the sandbox', async () => {
		const values = {
			header_1: '1042',
			body_1: 'Asha',
			body_2: '1042',
			body_3: 'Friday',
			button_0: '1042',
		};
		expect(templateComponents(seeded('order_shipped'), values)).toEqual([
			{ type: 'header', parameters: [{ type: 'text', text: '1042' }] },
			{
				type: 'body',
				parameters: [
					{ type: 'text', text: 'Asha' },
					{ type: 'text', text: '1042' },
					{ type: 'text', text: 'Friday' },
				],
			},
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '1042' }] },
		]);
		expect((await send(seeded('order_shipped'), values)).status).toBe(202);
	});

	it('appointment_reminder: named parameters and a quick-reply payload', async () => {
		const values = {
			body_customer_name: 'Asha',
			body_appointment_date: 'Friday',
			button_1: 'reschedule-1042',
		};
		expect(templateComponents(seeded('appointment_reminder'), values)).toEqual([
			{
				type: 'body',
				parameters: [
					{ type: 'text', parameter_name: 'customer_name', text: 'Asha' },
					{ type: 'text', parameter_name: 'appointment_date', text: 'Friday' },
				],
			},
			{
				type: 'button',
				sub_type: 'quick_reply',
				index: '1',
				parameters: [{ type: 'payload', payload: 'reschedule-1042' }],
			},
		]);
		expect((await send(seeded('appointment_reminder'), values)).status).toBe(202);
	});

	it('a document header by link, an image header by media ID, a copy code and a one-time code', async () => {
		const invoice = templateComponents(seeded('invoice_ready'), {
			header_media: 'https://example.com/invoice-1042.pdf',
			body_1: '1042',
			body_2: '₹1,499.00',
		});
		expect(invoice[0]).toEqual({
			type: 'header',
			parameters: [
				{ type: 'document', document: { link: 'https://example.com/invoice-1042.pdf' } },
			],
		});
		expect(
			(
				await send(seeded('invoice_ready'), {
					header_media: 'https://example.com/invoice-1042.pdf',
					body_1: '1042',
					body_2: '₹1,499.00',
				})
			).status,
		).toBe(202);
		const sale = { header_media: '4490001122', body_1: '20%', button_0: 'WINTER20' };
		expect(templateComponents(seeded('winter_sale'), sale)).toEqual([
			{ type: 'header', parameters: [{ type: 'image', image: { id: '4490001122' } }] },
			{ type: 'body', parameters: [{ type: 'text', text: '20%' }] },
			{
				type: 'button',
				sub_type: 'copy_code',
				index: '0',
				parameters: [{ type: 'coupon_code', coupon_code: 'WINTER20' }],
			},
		]);
		expect((await send(seeded('winter_sale'), sale)).status).toBe(202);
		expect(
			(await send(seeded('login_code'), { body_1: '482913', button_0: '482913' })).status,
		).toBe(202);
	});
});
