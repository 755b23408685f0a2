#!/usr/bin/env node
'use strict';
/**
 * npm run scan: n8n's verification scanner (`@n8n/scan-community-package`, what n8n runs before
 * listing a community package as verified), offline.
 *
 * Its CLI fetches the published package and its source from the public registry and GitHub; here
 * only the npm registry copy is reachable, so this runs the scanner's exported `analyzePackage`
 * on the two things its CLI would lint: the `npm pack` tarball, extracted (every .js, .ts and
 * .json in it, stricter than the CLI's .js-only tarball leg, so a declaration file shipped by
 * mistake is caught too) and the source (its `SOURCE_FILE_PATTERNS`: package.json, nodes/,
 * credentials/). It also checks the tarball holds only what n8n loads.
 *
 * As n8n runs it: on Node 24 (this re-runs itself on the cached Node 24 of scripts/n8n-runtime.js
 * when started on an older one), with the scanner's own ESLint set-up, which ignores inline
 * `eslint-disable` comments, so no such comment can be what makes it pass. Any finding exits 1.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const harness = require('./harness');
const runtime = require('./n8n-runtime');

const ROOT = path.resolve(__dirname, '..');
const out = (line = '') => process.stdout.write(`${line}\n`);

/** What n8n needs: compiled code, icons and codex files from dist/ (no declarations, no source maps), plus the manifest and its `main`. */
const SHIPPED = /^(package\.json|index\.js|README\.md|LICENSE\.md|dist\/.+\.(js|svg|node\.json))$/;

/** n8n runs the scanner on Node 24; on an older Node, run this same script on the cached one. */
async function onNode24() {
	const { nodeBin } = await runtime.ensureNode();
	out(
		`n8n verification scanner: re-running on Node ${runtime.NODE_VERSION} (this is Node ${process.versions.node})`,
	);
	const child = spawnSync(nodeBin, [__filename, ...process.argv.slice(2)], { stdio: 'inherit' });
	if (child.error) throw child.error;
	process.exitCode = child.status ?? 1;
}

async function main() {
	out(`n8n verification scanner on Node ${process.versions.node}`);
	const scanner = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-scan-'));
	let failed = false;
	try {
		const tgz = await harness.buildAndPack(tmp);
		const extracted = path.join(tmp, 'package');
		fs.mkdirSync(extracted);
		const untar = spawnSync('tar', ['-xzf', tgz, '-C', extracted, '--strip-components=1'], {
			encoding: 'utf8',
		});
		if (untar.status !== 0) throw new Error(`tar -xzf ${tgz} failed: ${untar.stderr}`);

		const listed = spawnSync('tar', ['-tzf', tgz], { encoding: 'utf8' })
			.stdout.split('\n')
			.filter(Boolean)
			.map((entry) => entry.replace(/^package\//, ''));
		const extra = listed.filter((file) => !SHIPPED.test(file));
		out(`tarball ${path.basename(tgz)}: ${listed.length} files`);
		if (extra.length) {
			failed = true;
			out(
				`  ✗ files n8n does not need (check package.json "files" and tsconfig.json):\n    ${extra.join('\n    ')}`,
			);
		} else out('  ✓ only compiled code, icons, codex files, package.json, README and licence');
		// npm run build empties dist/ first; this catches a build that did not (a stale compiled file
		// of a renamed or deleted source would be loaded by n8n all the same).
		const orphans = listed.filter(
			(file) =>
				/^dist\/.+\.js$/.test(file) &&
				!fs.existsSync(path.join(ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.ts'))),
		);
		if (orphans.length) {
			failed = true;
			out(`  ✗ compiled files without a source (a stale dist/?):\n    ${orphans.join('\n    ')}`);
		} else out('  ✓ every compiled file has its source');

		for (const [label, dir, patterns] of [
			['packed tarball', extracted, undefined],
			['source', ROOT, scanner.SOURCE_FILE_PATTERNS],
		]) {
			const result = await scanner.analyzePackage(dir, patterns);
			if (result.passed) out(`  ✓ scanner on the ${label}: no findings`);
			else {
				failed = true;
				out(`  ✗ scanner on the ${label}: ${result.message}`);
				if (result.details) out(result.details);
			}
		}
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	if (failed) process.exitCode = 1;
	else out('n8n verification scanner: passed');
}

module.exports = { SHIPPED };

if (require.main === module) {
	(Number(process.versions.node.split('.')[0]) >= 24 ? main() : onNode24()).catch((error) => {
		process.stderr.write(`${error.stack || error}\n`);
		process.exitCode = 1;
	});
}
