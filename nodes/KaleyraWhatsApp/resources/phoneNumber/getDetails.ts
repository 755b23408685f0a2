import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { leaf, phone } from '../../shared/checks';
import { numberSegment } from '../../shared/transport';
import type { ApiCallOperation } from '../../shared/types';
import { addressProperties, toE164 } from '../message/fields';

const text = (value: unknown) =>
	typeof value === 'string' || typeof value === 'number' ? String(value) : null;
const object = (value: unknown): IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: {};

/**
 * Kaleyra's answer (docs/kaleyra-api.md §6): Meta's phone-number fields, in `data` (an object, or a
 * list of one) or at the top. Read by name, so a field Kaleyra leaves out is null, not an error.
 */
function detailsOf(answer: IDataObject): IDataObject {
	const data = answer.data;
	if (Array.isArray(data)) return object(data[0]);
	return Object.keys(object(data)).length > 0 ? object(data) : answer;
}

/** "Can it send": Meta's health status (AVAILABLE, LIMITED, BLOCKED), or a plain true/false. */
const canOf = (value: unknown) => (typeof value === 'boolean' ? value : text(value));

/**
 * A business number's standing with Meta, as one item: what decides whether a campaign goes out
 * (quality rating, messaging tier, throughput, name status, can it send and receive).
 */
export const getDetails: ApiCallOperation = {
	kind: 'call',
	value: 'getDetails',
	name: 'Get Details',
	action: 'Get the details of a business number',
	description:
		'Quality rating, messaging tier, throughput, name status and whether the number can send and receive',
	properties: [addressProperties[0]],
	fieldLabels: { business_number: 'businessNumber' },
	build: (p, account) => {
		const number = toE164(p.businessNumber);
		return {
			method: 'GET',
			path: ['v2', account.sid, 'whatsapp', numberSegment(number), 'phone_number_details'],
			checked: { business_number: number },
		};
	},
	schema: z.object({ business_number: leaf(phone) }),
	toItems: (answer, p) => {
		const details = detailsOf(answer);
		const health = object(details.health_status);
		const throughput = details.throughput;
		return [
			{
				businessNumber: toE164(p.businessNumber),
				verifiedName: text(details.verified_name),
				status: text(details.status),
				qualityRating: text(details.quality_rating),
				qualityScore: text(object(details.quality_score).score ?? details.quality_score),
				messagingTier: text(details.messaging_limit_tier),
				throughput: text(object(throughput).level ?? throughput),
				nameStatus: text(details.name_status),
				canSendMessage: canOf(health.can_send_message ?? details.can_send_message),
				canReceiveCall: canOf(details.can_receive_call ?? details.can_receive_call_sip),
				errors: (Array.isArray(health.entities) ? (health.entities as IDataObject[]) : []).flatMap(
					(entity) =>
						(Array.isArray(object(entity).errors)
							? (object(entity).errors as IDataObject[])
							: []
						).map((error) => ({
							entityType: text(object(entity).entity_type),
							code: text(object(error).error_code),
							description: text(object(error).error_description),
							possibleSolution: text(object(error).possible_solution),
						})),
				),
				raw: answer,
			},
		];
	},
};
