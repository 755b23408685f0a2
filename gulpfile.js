const fs = require('node:fs');
const { src, dest, parallel } = require('gulp');

/**
 * dist/ starts empty: a file compiled from a since-renamed or deleted source (or another branch)
 * would otherwise be packed and loaded by n8n with the rest.
 */
async function clean() {
	await fs.promises.rm('dist', { recursive: true, force: true });
}

/** n8n loads node and credential icons from dist/, next to the compiled code. */
function copyIcons() {
	return src(['icons/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg'], {
		base: '.',
		encoding: false,
		allowEmpty: true,
	}).pipe(dest('dist'));
}

/** The codex (.node.json: categories, aliases, documentation links) sits beside each node. */
function copyCodex() {
	return src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

exports.clean = clean;
exports['build:icons'] = copyIcons;
exports['build:codex'] = copyCodex;
exports.default = parallel(copyIcons, copyCodex);
