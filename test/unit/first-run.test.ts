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
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createN8nLogFilter } = require('../../scripts/dev-log');

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
		expect(text.split('\n')[0]).toBe(
			'  Kaleyra received POST /v2/HXIN1734500042IN/whatsapp/919845098450/messages (JSON)',
		);
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
			payload: {
				to: '+919812345678',
				from: '+919845098450',
				channel: 'WhatsApp',
				type: 'reply',
				body: 'Coming?',
				action,
			},
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
		const ready = requireSetUp('npm run demo', {
			root,
			write: (text: string) => written.push(text),
			exit: (code: number) => exits.push(code),
		});

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

describe("the dev terminal: n8n's lines prefixed, its offline and start-up noise hidden and explained once", () => {
	// n8n 2.41.1's start-up as captured here (offline), cut down.
	const startUp = [
		'Initializing n8n process',
		'Migrations in progress, please do NOT stop the process.',
		'Starting migration InitialMigration1588102412422',
		'Finished migration InitialMigration1588102412422',
		'[MoveSshKeysToDatabase1711390882123] No SSH keys in filesystem, skipping',
		'Failed to start Python task runner in internal mode. because its virtual environment is missing from this system.',
		'There are deprecations related to your n8n setup. Please take the recommended actions to update your configuration:',
		' - N8N_RUNNERS_MODE -> Internal task runner mode is deprecated and will be removed in a future version.',
		'[license SDK] Skipping renewal on init: license cert is not initialized',
		'Database ping failed (1): Database connection timed out',
		'503 Database is not ready!',
		'Error fetching https://api.n8n.io/api/versions: getaddrinfo ENOTFOUND api.n8n.io',
		'Version: 2.41.1',
		'Error loading package "n8n-nodes-kaleyra-whatsapp": getaddrinfo ENOTFOUND x',
		'Editor is now accessible via:',
		'http://localhost:5678',
		'',
	].join('\n');

	it('keeps what matters (and anything naming the package), hides each kind of noise with one line saying why', () => {
		const written: string[] = [];
		const feed = createN8nLogFilter({
			write: (text: string) => written.push(text),
			showAll: false,
		});
		// Chunks need not end at a line break.
		feed(startUp.slice(0, 100));
		feed(startUp.slice(100));
		const lines = written.join('').trimEnd().split('\n');

		expect(lines.filter((line) => !line.startsWith('[n8n] (hiding'))).toEqual([
			'[n8n] Initializing n8n process',
			'[n8n] Version: 2.41.1',
			'[n8n] Error loading package "n8n-nodes-kaleyra-whatsapp": getaddrinfo ENOTFOUND x',
			'[n8n] Editor is now accessible via:',
			'[n8n] http://localhost:5678',
		]);
		expect(lines.filter((line) => line.startsWith('[n8n] (hiding'))).toHaveLength(4);
		expect(lines).toContain(
			'[n8n] (hiding lines about reaching n8n.io (license, telemetry, versions, catalogues): this machine has no internet access; nothing in the package needs it; DEV_N8N_LOG=all npm run dev shows them)',
		);
	});

	// n8n 2.41.1 logs both (modules/community-packages/community-node-types.service.js) when offline.
	it.each(['Failed to fetch community node types', 'Failed to fetch community nodes metadata'])(
		'the offline community catalogue ("%s"): its error and every stack line hidden, the next line of n8n shown',
		(failure) => {
			const stack = Array.from(
				{ length: 97 },
				(_, i) => `    at fn${i} (/n8n/node_modules/axios/lib/core/AxiosError.js:${i}:1)`,
			);
			const catalogue = [
				failure,
				...stack,
				"  code: 'ENOTFOUND',",
				'}',
				'Workflow "Ask" (ID: 1) was activated',
				'',
			].join('\n');
			const written: string[] = [];
			createN8nLogFilter({ write: (text: string) => written.push(text), showAll: false })(
				catalogue,
			);
			const lines = written.join('').trimEnd().split('\n');
			expect(lines.filter((line) => line.includes('    at '))).toEqual([]);
			expect(lines).toEqual([
				'[n8n] (hiding lines about reaching n8n.io (license, telemetry, versions, catalogues): this machine has no internet access; nothing in the package needs it; DEV_N8N_LOG=all npm run dev shows them)',
				'[n8n] Workflow "Ask" (ID: 1) was activated',
			]);
		},
	);

	it('a stack trace after a line that is shown stays shown', () => {
		const written: string[] = [];
		createN8nLogFilter({ write: (text: string) => written.push(text), showAll: false })(
			'Error in node "Kaleyra WhatsApp"\n    at execute (node.js:1:1)\n',
		);
		expect(written).toEqual([
			'[n8n] Error in node "Kaleyra WhatsApp"\n',
			'[n8n]     at execute (node.js:1:1)\n',
		]);
	});

	it('DEV_N8N_LOG=all shows every line', () => {
		const written: string[] = [];
		createN8nLogFilter({ write: (text: string) => written.push(text), showAll: true })(startUp);
		expect(written).toHaveLength(startUp.split('\n').filter((line) => line !== '').length);
	});
});

describe('the first-run notice names the cache folder really used', () => {
	const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
	const note = (env: Record<string, string>) =>
		spawnSync(
			process.execPath,
			['-e', "process.stdout.write(require('./scripts/n8n-runtime').firstRunNote())"],
			{
				cwd: `${__dirname}/../..`,
				env: { PATH: process.env.PATH ?? '', HOME: '/home/builder', ...env },
				encoding: 'utf8',
			},
		).stdout;

	it('XDG_CACHE_HOME is followed, with the measured cost', () => {
		expect(note({ XDG_CACHE_HOME: '/data/cache' })).toBe(
			'The first run installs n8n into /data/cache/n8n-nodes-kaleyra-whatsapp/n8n (about 3–4 minutes and 2.4 GB from the npm registry); later runs reuse it.',
		);
	});

	it('without it, ~/.cache; N8N_RUNTIME_CACHE wins over both', () => {
		expect(note({})).toContain('into /home/builder/.cache/n8n-nodes-kaleyra-whatsapp/n8n (');
		expect(note({ XDG_CACHE_HOME: '/data/cache', N8N_RUNTIME_CACHE: '/srv/n8n' })).toContain(
			'into /srv/n8n (',
		);
	});
});
