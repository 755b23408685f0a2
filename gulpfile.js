const { src, dest, parallel } = require('gulp');

/** n8n loads node and credential icons from dist/, next to the compiled code. */
function copyIcons() {
	return src(['icons/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false, allowEmpty: true }).pipe(
		dest('dist'),
	);
}

/** The codex (.node.json: categories, aliases, documentation links) sits beside each node. */
function copyCodex() {
	return src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

exports['build:icons'] = copyIcons;
exports['build:codex'] = copyCodex;
exports.default = parallel(copyIcons, copyCodex);
