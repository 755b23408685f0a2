/**
 * Issue 20, "The first hour in the editor": what a builder meets before anything has failed.
 * Each describe is one point of the issue.
 */
import { KaleyraWhatsAppApi } from '../../credentials/KaleyraWhatsAppApi.credentials';

describe('point 3: the credential dialog is a form, not a notice', () => {
	const credential = new KaleyraWhatsAppApi();
	const notices = credential.properties.filter((property) => property.type === 'notice');

	it('has one notice of one short line, pointing to the docs link for the codes', () => {
		expect(notices.map((notice) => notice.displayName)).toEqual([
			'Test failed with only a code, such as ENOTFOUND? The docs link above says what each code means.',
		]);
		// About one line of the dialog at 1280×800 (n8n's credential form is ~560 px wide at 14 px).
		expect(notices[0].displayName.length).toBeLessThanOrEqual(100);
	});

	it("the docs link opens the README's section on failed tests", () => {
		expect(credential.documentationUrl).toBe('https://www.npmjs.com/package/n8n-nodes-kaleyra-whatsapp#when-the-test-fails');
	});
});
