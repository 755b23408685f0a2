/**
 * What the editor shows under the fields (n8n renders `hint` below the input, where the eye is;
 * `description` only behind the "?"): every length limit and normalisation of the message fields.
 */
import type { INodeProperties } from 'n8n-workflow';

import { KaleyraWhatsApp } from '../../nodes/KaleyraWhatsApp/KaleyraWhatsApp.node';

const properties = new KaleyraWhatsApp().description.properties;

/** Every property named `name` shown for `operation`, nested collections included. */
function fieldsOf(operation: string, name: string): INodeProperties[] {
	const shown = properties.filter(
		(p) => p.displayOptions?.show?.operation?.includes(operation) ?? false,
	);
	const found: INodeProperties[] = [];
	const walk = (list: INodeProperties[]) => {
		for (const property of list) {
			if (property.name === name) found.push(property);
			for (const option of (property.options ?? []) as Array<
				INodeProperties & { values?: INodeProperties[] }
			>) {
				if (Array.isArray(option.values)) walk(option.values);
			}
		}
	};
	walk(shown);
	return found;
}

describe('hints under the fields', () => {
	it.each([
		['sendText', 'body', 'Up to 4096 characters'],
		['sendReply', 'body', 'Up to 4096 characters'],
		['sendReplyButtons', 'body', 'Up to 1024 characters'],
		['sendReplyButtons', 'footer', 'Up to 60 characters'],
		['sendReplyButtons', 'headerText', 'Up to 60 characters'],
		['sendReplyButtons', 'title', 'Up to 20 characters'],
		['sendReplyButtons', 'buttons', 'At most 3 buttons; titles up to 20 characters, all different'],
		['sendInteractiveButtons', 'title', 'Up to 20 characters'],
		['sendText', 'recipient', 'A number without + gets one; spaces and dashes are removed'],
		['sendText', 'businessNumber', 'With country code; a number without + gets one'],
	])('%s → %s: "%s"', (operation, name, hint) => {
		const fields = fieldsOf(operation, name);
		expect(fields.length).toBeGreaterThan(0);
		for (const field of fields) expect(field.hint).toBe(hint);
	});

	it('the Buttons collection offers at most three buttons (maxAllowedFields)', () => {
		for (const operation of ['sendReplyButtons', 'sendInteractiveButtons']) {
			const [buttons] = fieldsOf(operation, 'buttons');
			expect(buttons.typeOptions).toMatchObject({ multipleValues: true, maxAllowedFields: 3 });
		}
	});
});

describe('the examples', () => {
	it('never type "+" before an expression in Recipient or Business Number (the node adds it)', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { readdirSync, readFileSync } = require('node:fs') as typeof import('node:fs');
		const dir = `${__dirname}/../../examples`;
		const typed: string[] = [];
		for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
			const workflow = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as {
				nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
			};
			for (const node of workflow.nodes) {
				for (const key of ['recipient', 'businessNumber']) {
					const value = node.parameters[key];
					if (typeof value === 'string' && /^=\s*\+\s*\{\{/.test(value))
						typed.push(`${file} → ${node.name} → ${key}: ${value}`);
				}
			}
		}
		expect(typed).toEqual([]);
	});
});
