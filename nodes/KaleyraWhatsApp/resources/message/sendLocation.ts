import { z } from 'zod';

import { clip, leaf, optionalText } from '../../shared/checks';
import type { Check } from '../../shared/checks';
import type { KaleyraOperation } from '../../shared/types';
import { addressProperties, messageOptions, optional, v2Labels, v2Message } from './fields';

/** Coordinates from an expression often arrive as text ("12.9716"): sent as JSON numbers when they read as one. */
function coordinate(value: unknown): unknown {
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
		return Number(value);
	return value;
}

function degrees(limit: number, example: string): Check {
	return (value) => {
		if (value === '' || value === undefined || value === null)
			return `it is empty. Enter a number of degrees, e.g. ${example}.`;
		if (typeof value !== 'number' || !Number.isFinite(value))
			return `"${clip(String(value))}" is not a number. Enter decimal degrees, e.g. ${example}.`;
		if (Math.abs(value) > limit)
			return `${value} is out of range: it must lie between -${limit} and ${limit}.`;
		return undefined;
	};
}

export const sendLocation: KaleyraOperation = {
	value: 'sendLocation',
	name: 'Send Location',
	action: 'Send a location pin',
	description: 'A map pin (a store, a pick-up point), with an optional name and address',
	properties: [
		...addressProperties,
		{
			displayName: 'Latitude',
			name: 'latitude',
			type: 'number',
			typeOptions: { numberPrecision: 7, minValue: -90, maxValue: 90 },
			default: 0,
			required: true,
			description: 'Decimal degrees, -90 to 90, e.g. 12.9716',
		},
		{
			displayName: 'Longitude',
			name: 'longitude',
			type: 'number',
			typeOptions: { numberPrecision: 7, minValue: -180, maxValue: 180 },
			default: 0,
			required: true,
			description: 'Decimal degrees, -180 to 180, e.g. 77.5946',
		},
		{
			displayName: 'Name',
			name: 'locationName',
			type: 'string',
			default: '',
			placeholder: 'Indiranagar store',
			description: 'Shown in bold above the address',
		},
		{
			displayName: 'Address',
			name: 'address',
			type: 'string',
			default: '',
			placeholder: '100 Feet Rd, Bengaluru 560038',
		},
		messageOptions(true),
	],
	fieldLabels: {
		...v2Labels,
		'body.messaging_object.location.latitude': 'latitude',
		'body.messaging_object.location.longitude': 'longitude',
		'body.messaging_object.location.name': 'locationName',
		'body.messaging_object.location.address': 'address',
	},
	build: (p) => {
		const location: Record<string, unknown> = {
			latitude: coordinate(p.latitude),
			longitude: coordinate(p.longitude),
		};
		optional(location, 'name', p.locationName);
		optional(location, 'address', p.address);
		return v2Message(p, 'location', { location });
	},
	schema: z.object({
		location: z.object({
			latitude: leaf(degrees(90, '12.9716')),
			longitude: leaf(degrees(180, '77.5946')),
			name: leaf(optionalText(1000)),
			address: leaf(optionalText(1000)),
		}),
	}),
};
