/**
 * Issue 17 part 1 point 2: a label is the field's own, not typed again. Each operation's
 * fieldLabels names the field a request path comes from; the label a refusal shows is derived from
 * the field's displayName (Options → …, Row {n} → …).
 */
import { resources } from '../../nodes/KaleyraWhatsApp/resources';
import { sendReplyButtons } from '../../nodes/KaleyraWhatsApp/resources/message/sendReplyButtons';
import { sendText } from '../../nodes/KaleyraWhatsApp/resources/message/sendText';
import { fieldLabel, resolvedLabels } from '../../nodes/KaleyraWhatsApp/shared/checks';

/** A field name as n8n writes them (businessNumber, options.ref, rows.row.id), not a label. */
const FIELD_NAME = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/;

describe('labels come from the fields', () => {
	it("a collection's option and a list entry's value are named as the editor shows them", () => {
		expect(
			['businessNumber', 'options.ref', 'options.waSource', 'body'].map((name) =>
				fieldLabel(name, sendText.properties),
			),
		).toEqual([
			'Business Number',
			'Options → Reference (Ref)',
			'Options → Source (Wa_source)',
			'Body',
		]);
		expect(fieldLabel('buttons.button.title', sendReplyButtons.properties)).toBe(
			'Button {n} → Title',
		);
	});

	it('a label that is no field (the contents of a JSON field) is kept as written', () => {
		expect(fieldLabel('Components → Component {n} → Type', sendText.properties)).toBe(
			'Components → Component {n} → Type',
		);
	});

	it('every operation names fields that it has: no field name reaches a user as a label', () => {
		const unresolved: string[] = [];
		for (const resource of resources)
			for (const operation of resource.operations) {
				if (!('fieldLabels' in operation)) continue;
				for (const [path, label] of Object.entries(resolvedLabels(operation)))
					if (FIELD_NAME.test(label))
						unresolved.push(`${resource.value}.${operation.value}: ${path} → ${label}`);
			}
		expect(unresolved).toEqual([]);
	});
});
