'use strict';
/**
 * `npm run demo` and `npm run dev` build the package first (TypeScript, gulp: dev dependencies).
 * On a fresh clone without `npm ci` they would fail with "tsc: not found"; say what to run instead.
 * Only node: built-ins here.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const NEEDED = ['typescript/bin/tsc', 'gulp/bin/gulp.js', 'n8n-workflow/package.json'];

/** The dev dependencies the build needs that are missing from node_modules (empty when all are there). */
function missingDevDependencies(root = ROOT) {
	return NEEDED.filter((file) => !fs.existsSync(path.join(root, 'node_modules', file))).map(
		(file) => file.split('/')[0],
	);
}

/** Exits with a clear message when the clone has not been set up with `npm ci`. */
function requireSetUp(
	command,
	{
		root = ROOT,
		write = (text) => process.stderr.write(text),
		exit = (code) => process.exit(code),
	} = {},
) {
	const missing = missingDevDependencies(root);
	if (missing.length === 0) return true;
	write(
		`${command} needs this clone's dev dependencies (${missing.join(', ')} missing from node_modules/).\n` +
			`Run this once in ${root}, then try again:\n\n    npm ci\n\n`,
	);
	exit(1);
	return false;
}

module.exports = { missingDevDependencies, requireSetUp };
