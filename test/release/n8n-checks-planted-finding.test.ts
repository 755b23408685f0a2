/**
 * Issue 21 point 2: n8n's own checks, as n8n runs them. `npm run scan` (the verification scanner,
 * re-run on Node 24 when started on an older Node) and `npm run lint` (the community lint, with
 * --no-inline-config) both fail on a finding that an `eslint-disable` comment tries to hide: the
 * package is copied to a temp folder, a restricted global behind such a comment is planted in a
 * node file, and each check runs there.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
/** What the scan builds and packs, and what it and the lint read. */
const COPIED = [
	'package.json',
	'.npmrc',
	'tsconfig.json',
	'eslint.config.mjs',
	'gulpfile.js',
	'index.js',
	'README.md',
	'LICENSE.md',
	'icons',
	'nodes',
	'credentials',
	'scripts',
];
const PLANTED_FILE = path.join('nodes', 'KaleyraWhatsApp', 'router.ts');
const PLANT = [
	'',
	'// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals',
	'export const plantedDelay = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));',
	'',
].join('\n');

let copy: string;

beforeAll(() => {
	copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-planted-'));
	for (const entry of COPIED)
		fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
	fs.appendFileSync(path.join(copy, PLANTED_FILE), PLANT);
});

afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

/** Runs `npm run <script>` in the copy, as CI would. */
function npmRun(script: string) {
	const result = spawnSync('npm', ['run', script], {
		cwd: copy,
		encoding: 'utf8',
		env: { ...process.env, FORCE_COLOR: '0' },
	});
	return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

it('npm run scan fails on a restricted global behind an eslint-disable comment, on Node 24, naming the file and the rule', () => {
	const { status, output } = npmRun('scan');
	expect(status).toBe(1);
	expect(output).toMatch(/n8n verification scanner on Node 24\./);
	expect(output).toContain('✗ scanner on the source: ESLint violations found');
	expect(output).toContain(path.join(copy, PLANTED_FILE));
	expect(output).toMatch(
		/error +Use of restricted global 'setTimeout' is not allowed.*@n8n\/community-nodes\/no-restricted-globals/,
	);
}, 600_000);

it('npm run lint fails on it too: inline overrides are off', () => {
	const { status, output } = npmRun('lint');
	expect(status).toBe(1);
	expect(output).toContain(PLANTED_FILE);
	expect(output).toMatch(
		/error +Use of restricted global 'setTimeout' is not allowed.*@n8n\/community-nodes\/no-restricted-globals/,
	);
}, 600_000);
