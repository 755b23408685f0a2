'use strict';
/**
 * For the benchmarks: the node, its credential and the engine harness are TypeScript; this lets
 * plain Node require them, transpiled on load (no type check: jest and tsc do that).
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function loadTypeScript() {
	const ts = require('typescript');
	require.extensions['.ts'] = (module, filename) => {
		const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
			fileName: filename,
			compilerOptions: {
				module: ts.ModuleKind.CommonJS,
				target: ts.ScriptTarget.ES2022,
				esModuleInterop: true,
				resolveJsonModule: true,
			},
		});
		module._compile(outputText, filename);
	};
}

/** The engine harness, the Kaleyra node and its credential, ready to run in n8n-core's WorkflowExecute. */
function loadEngine() {
	loadTypeScript();
	const { runWorkflow } = require(path.join(ROOT, 'test', 'helpers', 'engine.ts'));
	const { KaleyraWhatsApp } = require(
		path.join(ROOT, 'nodes', 'KaleyraWhatsApp', 'KaleyraWhatsApp.node.ts'),
	);
	const { KaleyraWhatsAppApi } = require(
		path.join(ROOT, 'credentials', 'KaleyraWhatsAppApi.credentials.ts'),
	);
	return { runWorkflow, KaleyraWhatsApp, KaleyraWhatsAppApi };
}

/** Runs `main`, or with `--child` the child's part, printing a failure's stack and exiting non-zero. */
function runScript(main, child) {
	const failed = (error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		process.exitCode = 1;
	};
	if (process.argv[2] === '--child') child(...process.argv.slice(3)).catch(failed);
	else main().catch(failed);
}

module.exports = { loadEngine, runScript };
