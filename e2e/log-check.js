'use strict';

const LOAD_FAILURE =
	/Failed to load package|Skipping package|Unrecognized (node|credential) type|is not contained within the package directory|has been removed/i;
const TROUBLE = /error|warn|deprecat|fail|skipp|unrecogni[sz]ed/i;

/**
 * Lines of n8n's output that show this package failing to load or being warned about:
 * n8n's own load-failure messages (whoever they name), any error/warning/deprecation line naming
 * the package, its node or its credential, and Node deprecation warnings whose stack (printed with
 * --trace-deprecation) runs through the package's code.
 *
 * `logs`: [{ what, text }]; `notOurs`: folders whose paths name the package without being it (the
 * n8n install cache is `~/.cache/<package>/n8n/`, so n8n's own stack frames would match);
 * returns ["<what>: <line>", ...].
 */
function packageLogProblems(logs, { packageName, names, notOurs = [] }) {
	const problems = [];
	for (const { what, text } of logs) {
		const lines = notOurs
			.reduce((all, folder) => all.split(folder).join('<n8n>'), text)
			.split('\n');
		for (const [index, line] of lines.entries()) {
			const trouble =
				LOAD_FAILURE.test(line) ||
				(names.some((name) => line.includes(name)) && TROUBLE.test(line));
			const ourDeprecation =
				/DeprecationWarning/.test(line) &&
				lines
					.slice(index + 1, index + 15)
					.some((frame) => /^\s+at /.test(frame) && frame.includes(packageName));
			if (trouble || ourDeprecation) problems.push(`${what}: ${line.trim()}`);
		}
	}
	return problems;
}

module.exports = { packageLogProblems };
