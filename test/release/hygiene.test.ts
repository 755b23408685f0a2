/**
 * Issue 21 point 3, hygiene: `npm run typecheck` type-checks the tests (jest compiles each test file
 * alone without type checks, so a test with a type error used to pass), and prettier formats with
 * n8n's node-CLI settings.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
/** What tsconfig.typecheck.json reads. */
const COPIED = [
	'package.json',
	'tsconfig.json',
	'tsconfig.typecheck.json',
	'nodes',
	'credentials',
	'test',
	'sandbox',
	'scripts',
	'e2e',
];

it('npm run typecheck fails on a type error in a test, naming the file and line', () => {
	const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-typecheck-'));
	try {
		for (const entry of COPIED)
			fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
		fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
		const planted = path.join('test', 'unit', 'planted-type-error.test.ts');
		fs.writeFileSync(
			path.join(copy, planted),
			"const count: number = 'three';\nit('counts', () => expect(count).toBe('three'));\n",
		);

		const result = spawnSync('npm', ['run', 'typecheck'], { cwd: copy, encoding: 'utf8' });
		expect(result.status).not.toBe(0);
		expect(result.stdout).toContain(
			`${planted}(1,7): error TS2322: Type 'string' is not assignable to type 'number'.`,
		);
	} finally {
		fs.rmSync(copy, { recursive: true, force: true });
	}
}, 600_000);

it("formats with n8n's node-CLI prettier settings: tabs, single quotes, width 100, trailing commas, parenthesised arrow parameters", () => {
	const source =
		'const send = async x => { return await post("/v2/messages", { to: x.to, text: x.text, reference: x.reference, extra: x.extra }) }\n';
	const result = spawnSync(
		path.join(ROOT, 'node_modules', '.bin', 'prettier'),
		['--stdin-filepath', path.join(ROOT, 'nodes', 'example.ts')],
		{ cwd: ROOT, input: source, encoding: 'utf8' },
	);
	expect(result.stderr).toBe('');
	expect(result.stdout).toBe(
		[
			'const send = async (x) => {',
			"\treturn await post('/v2/messages', {",
			'\t\tto: x.to,',
			'\t\ttext: x.text,',
			'\t\treference: x.reference,',
			'\t\textra: x.extra,',
			'\t});',
			'};',
			'',
		].join('\n'),
	);
});
