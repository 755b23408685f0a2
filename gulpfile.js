const { src, dest } = require('gulp');

/** n8n loads node and credential icons from dist/, next to the compiled code. */
function copyIcons() {
	return src(['icons/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = copyIcons;
