import { ACCOUNT, OTHER_ACCOUNT, UUID, multipart, useSandbox } from './support';

const api = useSandbox();

/** The seed's action field: a JSON string, written over several lines as in the curl samples. */
const seedAction = (buttons: Array<[string, string]>) =>
	`{
"buttons": [
${buttons
	.map(
		([id, title]) => `{
"type": "reply",
"reply": {
"id": "${id}",
"title": "${title}"
}
}`,
	)
	.join(',\n')}
]
}`;
const firstSecondThird = seedAction([
	['1', 'First Button Title'],
	['2', 'Second Button Title'],
	['3', 'Third Button Title'],
]);

const common = {
	to: '919812345678',
	type: 'reply',
	channel: 'WhatsApp',
	body: 'Hi Test',
	footer: 'Hey footer',
};

/** The four samples of seeds/reply-button.v1.txt, the X-ed numbers made real. */
const seeds: Record<string, Record<string, string>> = {
	'a text header': {
		...common,
		from: '+919900000001',
		action: firstSecondThird,
		callback_url: 'https://webhook.site/962d0000-2c91-4300-bd01-513000000068',
		header_type: 'text',
		header_value: 'Header text value',
	},
	'an image header': {
		...common,
		from: '919900000001',
		action: firstSecondThird,
		callback_url: 'https://webhook.site/90000048-2000-0000-0000-00000000516c',
		header_type: 'image',
		header_value: 'https://s3.ap-south-1.amazonaws.com/stage-hexa/docs/0000001334KLlogo.png',
		caption: 'atul_image-Caption',
	},
	'a video header': {
		...common,
		from: '+919900000001',
		action: firstSecondThird,
		callback_url: 'https://webhook.site/00000000-2c91-4000-bd01-510000003a6c',
		header_type: 'video',
		header_value: 'http://techslides.com/demos/sample-videos/small.mp4',
		caption: 'testfilename',
	},
	'a document header': {
		...common,
		from: '+919900000001',
		action: seedAction([
			['abc', 'First Button Test'],
			['111', 'Second Button Test'],
			['3', 'Third Button Test'],
		]),
		callback_url: 'https://webhook.site/00000098-2c91-4320-bd01-513000000000',
		header_type: 'document',
		header_value: 'https://s3.ap-south-1.amazonaws.com/stage-hexa/docs/1614000000testdoc.pdf',
		caption: 'fileNametest',
	},
};

const e413 = (error: Record<string, string>) => ({
	code: 'E413',
	message: 'Invalid/incorrect inputs',
	data: [],
	error,
});
const RBC001 = {
	code: 'RBC001',
	message: 'Incorrect SID or API key.',
	data: [],
	error: { error: 'Incorrect SID or API key.' },
};

function expectAccepted(reply: { status: number; json: any }, fields: Record<string, string>) {
	expect(reply.status).toBe(202);
	expect(reply.json).toEqual({
		id: expect.stringMatching(UUID),
		type: 'reply',
		body: fields.body,
		createdDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/),
		totalCount: 1,
		data: [{ message_id: `${reply.json.id}:0`, recipient: fields.to.replace(/^\+/, '') }],
		error: {},
	});
}

describe('v1 reply buttons: the seed’s samples', () => {
	it.each(Object.entries(seeds))(
		'accepts the sample with %s, form-urlencoded, and records it',
		async (_name, fields) => {
			const reply = await api.sendV1Form(fields);

			expectAccepted(reply, fields);
			expect(api.sandbox.messages).toEqual([
				{
					messageId: `${reply.json.id}:0`,
					api: 'v1',
					sid: ACCOUNT.sid,
					businessNumber: '+919900000001',
					to: '919812345678',
					type: 'reply',
					payload: { ...fields, action: JSON.parse(fields.action) },
					receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				},
			]);
		},
	);

	it('parses the action JSON string into the record', async () => {
		await api.sendV1Form(seeds['a document header']);
		expect(api.sandbox.messages[0].payload.action).toEqual({
			buttons: [
				{ type: 'reply', reply: { id: 'abc', title: 'First Button Test' } },
				{ type: 'reply', reply: { id: '111', title: 'Second Button Test' } },
				{ type: 'reply', reply: { id: '3', title: 'Third Button Test' } },
			],
		});
	});

	it('accepts the same fields as multipart/form-data, as curl --form sends them', async () => {
		const fields = seeds['an image header'];
		const form = multipart(fields);
		const reply = await api.call(`/v1/${ACCOUNT.sid}/messages`, {
			method: 'POST',
			headers: { 'content-type': form.contentType, 'api-key': ACCOUNT.apiKey },
			body: form.body,
		});
		expectAccepted(reply, fields);
		expect(api.sandbox.messages[0].payload).toEqual({
			...fields,
			action: JSON.parse(fields.action),
		});
	});

	it('takes the channel name in any case, and a recipient with +', async () => {
		const fields = { ...seeds['a text header'], channel: 'whatsapp', to: '+919812345678' };
		const reply = await api.sendV1Form(fields);
		expectAccepted(reply, fields);
		expect(reply.json.data[0].recipient).toBe('919812345678');
	});

	it('accepts a message with only the mandatory fields', async () => {
		const { to, type, channel, body } = common;
		const reply = await api.sendV1Form({
			to,
			type,
			channel,
			body,
			from: '+919900000002',
			action: seedAction([['y', 'Yes']]),
		});
		expect(reply.status).toBe(202);
		expect(api.sandbox.messages[0].businessNumber).toBe('+919900000002');
	});
});

describe('v1 reply buttons: 400 E413 naming the field', () => {
	const without = (name: string) => {
		const fields = { ...seeds['a text header'] };
		delete fields[name];
		return fields;
	};
	const withField = (name: string, value: string) => ({ ...seeds['a text header'], [name]: value });

	it.each<[string, Record<string, string>, Record<string, string>]>([
		[
			'no type (the seed’s first failure sample)',
			without('type'),
			{ type: 'type field is mandatory' },
		],
		[
			'an empty body (the seed’s second failure sample)',
			withField('body', ''),
			{
				body: 'For the type reply, body field is mandatory and cannot be empty!',
			},
		],
		[
			'a body over 1024 characters',
			withField('body', 'b'.repeat(1025)),
			{ body: 'must be at most 1024 characters (got 1025)' },
		],
		[
			'a footer over 60 characters',
			withField('footer', 'f'.repeat(61)),
			{ footer: 'must be at most 60 characters (got 61)' },
		],
		['no recipient', without('to'), { to: 'to field is mandatory' }],
		[
			'a recipient that is not a number',
			withField('to', '91-98123'),
			{
				to: 'must be a phone number with country code (8 to 15 digits, + optional)',
			},
		],
		[
			'a type other than reply',
			withField('type', 'list'),
			{ type: 'the sandbox supports only type "reply" on the v1 API' },
		],
		[
			'a channel other than WhatsApp',
			withField('channel', 'sms'),
			{ channel: 'must be "WhatsApp"' },
		],
		['no from', without('from'), { from: 'from field is mandatory' }],
		[
			'a from number of another account',
			withField('from', OTHER_ACCOUNT.numbers[0]),
			{
				from: 'from number is not present or does not belong to the account',
			},
		],
		['no action', without('action'), { action: 'For the type reply, action field is mandatory' }],
		[
			'an action that is not JSON',
			withField('action', '{buttons: [}'),
			{ action: 'must be a JSON string like {"buttons":[...]}' },
		],
		[
			'four buttons',
			withField(
				'action',
				seedAction([
					['1', 'A'],
					['2', 'B'],
					['3', 'C'],
					['4', 'D'],
				]),
			),
			{
				'action.buttons': 'must hold 1 to 3 buttons (got 4)',
			},
		],
		[
			'a button title over 20 characters',
			withField('action', seedAction([['1', 'A title beyond twenty']])),
			{
				'action.buttons[0].reply.title': 'must be at most 20 characters (got 21)',
			},
		],
		[
			'duplicate button titles',
			withField(
				'action',
				seedAction([
					['1', 'Same'],
					['2', 'Same'],
				]),
			),
			{
				'action.buttons[1].reply.title': 'must be unique ("Same" is used twice)',
			},
		],
		[
			'duplicate button ids',
			withField(
				'action',
				seedAction([
					['1', 'A'],
					['1', 'B'],
				]),
			),
			{
				'action.buttons[1].reply.id': 'must be unique ("1" is used twice)',
			},
		],
		[
			'a callback_url that is not http(s)',
			withField('callback_url', 'webhook.site/abc'),
			{
				callback_url: 'must be an http or https URL',
			},
		],
		[
			'an unknown header_type',
			withField('header_type', 'audio'),
			{ header_type: 'must be one of text, image, video, document' },
		],
		[
			'a header_type without header_value',
			without('header_value'),
			{ header_value: 'is required when header_type is text' },
		],
		[
			'a header_value without header_type',
			without('header_type'),
			{ header_type: 'is required when header_value is set' },
		],
		[
			'a text header over 60 characters',
			withField('header_value', 'h'.repeat(61)),
			{
				header_value: 'must be at most 60 characters (got 61)',
			},
		],
		[
			'an image header that is not a URL',
			{ ...seeds['an image header'], header_value: 'logo.png' },
			{
				header_value: 'must be an http or https URL of the image',
			},
		],
	])('rejects %s', async (_name, fields, error) => {
		const reply = await api.sendV1Form(fields);
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual(e413(error));
		expect(api.sandbox.messages).toEqual([]);
	});

	it('rejects a JSON body: the v1 send takes forms', async () => {
		const reply = await api.call(`/v1/${ACCOUNT.sid}/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'api-key': ACCOUNT.apiKey },
			body: JSON.stringify(seeds['a text header']),
		});
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual(
			e413({ 'content-type': 'must be application/x-www-form-urlencoded or multipart/form-data' }),
		);
	});

	it.each([
		['a wrong API key', { apiKey: 'wrong-key' }],
		['another account’s key', { apiKey: OTHER_ACCOUNT.apiKey }],
		['an unknown SID', { sid: 'HXNOBODY' }],
	])('answers 401 RBC001 to %s, before looking at the form', async (_name, options) => {
		const reply = await api.sendV1Form(without('type'), options);
		expect(reply.status).toBe(401);
		expect(reply.json).toEqual(RBC001);
	});
});

describe('v1 callback profiles: the credential’s connection test', () => {
	const profiles = (headers: Record<string, string>, sid = ACCOUNT.sid) =>
		api.call(`/v1/${sid}/callback/profiles?limit=1&offset=0`, { headers });

	it('answers 200 with an empty list for the right SID and key', async () => {
		const reply = await profiles({ 'api-key': ACCOUNT.apiKey });
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual({ data: [], total: 0 });
	});

	it.each([
		['a wrong key', { 'api-key': 'wrong' }, ACCOUNT.sid],
		['no key', {}, ACCOUNT.sid],
		['an unknown SID', { 'api-key': ACCOUNT.apiKey }, 'HXNOBODY'],
		['another account’s SID', { 'api-key': ACCOUNT.apiKey }, OTHER_ACCOUNT.sid],
	])('answers 401 RBC001 for %s', async (_name, headers, sid) => {
		const reply = await profiles(headers, sid);
		expect(reply.status).toBe(401);
		expect(reply.json).toEqual(RBC001);
	});
});
