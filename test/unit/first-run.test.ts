/**
 * The first run: what `npm run demo` prints for each message (the path as sent, the v1 form as
 * form fields) and what demo and dev say on a clone without `npm ci`.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { describeMessage } = require('../../scripts/demo-format');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { missingDevDependencies, requireSetUp } = require('../../scripts/preflight');

describe('npm run demo prints what was really sent', () => {
	it('a v2 message: the path with the business number as digits (no +), the JSON body', () => {
		const text: string = describeMessage({
			api: 'v2',
			sid: 'HXIN1734500042IN',
			businessNumber: '+919845098450',
			messageId: 'wamid.1',
			to: '+919812345678',
			type: 'text',
			payload: { to: '919812345678', type: 'text', text: { body: 'Hi' } },
		});
		expect(text.split('\n')[0]).toBe('  Kaleyra received POST /v2/HXIN1734500042IN/whatsapp/919845098450/messages (JSON)');
		expect(text).not.toContain('/whatsapp/+');
		expect(text).toContain('"body": "Hi"');
	});

	it('a v1 message: the form, one field per line, a structured field as the JSON string it was sent as', () => {
		const action = { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }] };
		const text: string = describeMessage({
			api: 'v1',
			sid: 'HXIN1734500042IN',
			businessNumber: '+919845098450',
			messageId: 'u-1:0',
			to: '+919812345678',
			type: 'reply',
			payload: { to: '+919812345678', from: '+919845098450', channel: 'WhatsApp', type: 'reply', body: 'Coming?', action },
		});
		expect(text.split('\n')).toEqual([
			'  Kaleyra received POST /v1/HXIN1734500042IN/messages (form, application/x-www-form-urlencoded)',
			'    message id u-1:0, to +919812345678, type reply',
			'    to = +919812345678',
			'    from = +919845098450',
			'    channel = WhatsApp',
			'    type = reply',
			'    body = Coming?',
			`    action = ${JSON.stringify(action)}`,
		]);
	});
});

describe('npm run demo / dev on a clone without npm ci', () => {
	let root: string;
	beforeEach(() => {
		root = mkdtempSync(path.join(tmpdir(), 'kaleyra-clone-'));
	});
	afterEach(() => rmSync(root, { recursive: true, force: true }));

	it('says to run npm ci (instead of failing later with "tsc: not found") and exits 1', () => {
		const written: string[] = [];
		const exits: number[] = [];
		const ready = requireSetUp('npm run demo', { root, write: (text: string) => written.push(text), exit: (code: number) => exits.push(code) });

		expect(ready).toBe(false);
		expect(exits).toEqual([1]);
		expect(written.join('')).toBe(
			`npm run demo needs this clone's dev dependencies (typescript, gulp, n8n-workflow missing from node_modules/).\nRun this once in ${root}, then try again:\n\n    npm ci\n\n`,
		);
	});

	it('lets a set-up clone through', () => {
		for (const file of ['typescript/bin/tsc', 'gulp/bin/gulp.js', 'n8n-workflow/package.json']) {
			mkdirSync(path.dirname(path.join(root, 'node_modules', file)), { recursive: true });
			writeFileSync(path.join(root, 'node_modules', file), '');
		}
		expect(missingDevDependencies(root)).toEqual([]);
		expect(requireSetUp('npm run dev', { root, exit: () => undefined })).toBe(true);
	});
});
