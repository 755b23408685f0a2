/**
 * Issue 17 part 1 point 2: knowledge both nodes need lives once, in nodes/shared/: the credential
 * names, the media kinds, Kaleyra's and Meta's codes. Here each is shown read by both nodes.
 */
import { KaleyraWhatsAppApi } from '../../credentials/KaleyraWhatsAppApi.credentials';
import { KaleyraWhatsAppCallbackApi } from '../../credentials/KaleyraWhatsAppCallbackApi.credentials';
import { KaleyraWhatsApp } from '../../nodes/KaleyraWhatsApp/KaleyraWhatsApp.node';
import { MEDIA_TYPES } from '../../nodes/KaleyraWhatsApp/shared/checks';
import { failureFromResponse, describeFailure } from '../../nodes/KaleyraWhatsApp/shared/errors';
import { KaleyraWhatsAppTrigger } from '../../nodes/KaleyraWhatsAppTrigger/KaleyraWhatsAppTrigger.node';
import { callbackItems } from '../../nodes/KaleyraWhatsAppTrigger/callbacks';
import { CODES } from '../../nodes/shared/codes';
import { API_CREDENTIAL, CALLBACK_CREDENTIAL } from '../../nodes/shared/credentials';
import { MEDIA_KINDS } from '../../nodes/shared/media';
import { NOT_SENT } from '../trigger/payloads';

describe('one home per fact (nodes/shared)', () => {
	it("the credential names: the shared constants are the credential classes' names and the ones both node descriptions list", () => {
		expect([API_CREDENTIAL, CALLBACK_CREDENTIAL]).toEqual([
			new KaleyraWhatsAppApi().name,
			new KaleyraWhatsAppCallbackApi().name,
		]);
		expect(new KaleyraWhatsApp().description.credentials?.map((c) => c.name)).toEqual([
			API_CREDENTIAL,
		]);
		expect(new KaleyraWhatsAppTrigger().description.credentials?.map((c) => c.name)).toEqual([
			CALLBACK_CREDENTIAL,
			API_CREDENTIAL,
		]);
	});

	it("the media kinds: the send node's list is the shared list itself", () => {
		expect(MEDIA_TYPES).toBe(MEDIA_KINDS);
	});

	it("the codes: a failed status's hint in the trigger is the send node's hint for the same code", () => {
		const [item] = callbackItems(NOT_SENT, new Date('2026-11-21T06:00:00Z'));
		const sendFailure = describeFailure(
			failureFromResponse(
				400,
				{ code: 'WAV2101', message: 'Daily limit exhausted', data: {}, error: {} },
				{},
			),
		);
		expect((item.error as { hint: string }).hint).toBe(CODES.WAV2101.hint);
		expect(sendFailure.description.startsWith(CODES.WAV2101.hint)).toBe(true);
	});
});
