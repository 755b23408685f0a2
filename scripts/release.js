#!/usr/bin/env node
'use strict';
/**
 * npm run release: the release workflow's steps (.github/workflows/release.yml), all but the
 * publish itself, so a clone and .ci/run go through exactly what a version tag goes through.
 *
 * - on a tag (GitHub's GITHUB_REF_TYPE=tag): the tag is `v` + package.json's version;
 * - CHANGELOG.md has a dated section for that version (Keep a Changelog: `## [1.2.3] - 2026-01-31`);
 * - `npm run build`, then `npm pack --dry-run`: the tarball lists only what n8n loads (the rule
 *   scripts/scan.js checks), and every file package.json's "n8n" block names;
 * - `npm publish --dry-run`: npm's own checks of the manifest and the registry, nothing uploaded.
 *
 * The workflow then runs `npm publish --provenance --access public`.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const runtime = require('./n8n-runtime');
const { SHIPPED } = require('./scan');

const ROOT = path.resolve(__dirname, '..');
const out = (line = '') => process.stdout.write(`${line}\n`);

function npm(args) {
	const result = spawnSync(process.execPath, [runtime.npmCli(), ...args], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	if (result.status !== 0)
		throw new Error(
			`npm ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
		);
	return result.stdout;
}

/** What is wrong with releasing `pkg` from `env` and `changelog`, as sentences (none: go). */
function releaseProblems(pkg, changelog, env) {
	const problems = [];
	if (env.GITHUB_REF_TYPE === 'tag' && env.GITHUB_REF_NAME !== `v${pkg.version}`) {
		problems.push(
			`the tag ${env.GITHUB_REF_NAME} is not v${pkg.version}, package.json's version: set "version" to the tag's number (npm version ${String(env.GITHUB_REF_NAME).replace(/^v/, '')}) or tag v${pkg.version}`,
		);
	}
	const heading = new RegExp(
		`^## \\[${pkg.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`,
		'm',
	);
	if (!heading.test(changelog)) {
		problems.push(
			`CHANGELOG.md has no section "## [${pkg.version}] - YYYY-MM-DD": move the Unreleased notes under it`,
		);
	}
	return problems;
}

/** The tarball's files that n8n does not load, and the files the "n8n" block names that it lacks. */
function tarballProblems(pkg, files) {
	const problems = [];
	const extra = files.filter((file) => !SHIPPED.test(file));
	if (extra.length) problems.push(`the tarball has files n8n does not load: ${extra.join(', ')}`);
	const named = [...pkg.n8n.nodes, ...pkg.n8n.credentials, pkg.main];
	const missing = named.filter((file) => !files.includes(file));
	if (missing.length)
		problems.push(`the tarball lacks files package.json names: ${missing.join(', ')}`);
	return problems;
}

function main() {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
	out(
		`release dry run: ${pkg.name}@${pkg.version}${process.env.GITHUB_REF_TYPE === 'tag' ? ` from tag ${process.env.GITHUB_REF_NAME}` : ''}`,
	);
	const problems = releaseProblems(pkg, changelog, process.env);

	npm(['run', 'build']);
	const [packed] = JSON.parse(npm(['pack', '--dry-run', '--json']));
	const files = packed.files.map((file) => file.path).sort();
	out(`  npm pack --dry-run: ${files.length} files, ${packed.size} bytes`);
	for (const file of files) out(`    ${file}`);
	problems.push(...tarballProblems(pkg, files));

	if (problems.length) {
		for (const problem of problems) out(`  ✗ ${problem}`);
		process.exitCode = 1;
		return;
	}
	npm(['publish', '--dry-run', '--access', 'public']);
	out('  ✓ version, changelog, tarball and npm publish --dry-run: ready to publish');
}

module.exports = { releaseProblems, tarballProblems };

if (require.main === module) {
	try {
		main();
	} catch (error) {
		process.stderr.write(`${error.stack || error}\n`);
		process.exitCode = 1;
	}
}
