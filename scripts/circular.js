'use strict';

/**
 * Two rules of the code's shape, checked over nodes/ and credentials/ (run by `npm run lint`):
 * no import circle (type-only imports count too: a circle of types is still a circle a reader must
 * untangle), and shared code (nodes/shared, nodes/<node>/shared) never imports from a resource.
 * Only the package's own relative imports are followed. Prints each circle or import found and
 * exits 1; prints how many files it read and exits 0 otherwise. Usage: node scripts/circular.js
 */

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const IMPORT =
	/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*'([^']+)'|(?:^|\n)\s*import\s*'([^']+)'/g;

function sources(folder) {
	const found = [];
	for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) found.push(...sources(full));
		else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(full);
	}
	return found;
}

function resolve(from, specifier) {
	const base = path.resolve(path.dirname(from), specifier);
	for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')])
		if (fs.existsSync(candidate)) return candidate;
	return undefined;
}

function graphOf(files) {
	const graph = new Map();
	for (const file of files) {
		const text = fs.readFileSync(file, 'utf8');
		const targets = new Set();
		for (const match of text.matchAll(IMPORT)) {
			const specifier = match[1] ?? match[2];
			if (!specifier.startsWith('.')) continue;
			const target = resolve(file, specifier);
			if (target !== undefined) targets.add(target);
		}
		graph.set(file, [...targets]);
	}
	return graph;
}

/** Every circle, each reported once, from its alphabetically first file. */
function circles(graph) {
	const found = new Map();
	const state = new Map();
	const stack = [];
	function visit(file) {
		state.set(file, 'open');
		stack.push(file);
		for (const next of graph.get(file) ?? []) {
			if (state.get(next) === 'open') {
				const circle = stack.slice(stack.indexOf(next));
				const start = circle.indexOf([...circle].sort()[0]);
				const rotated = [...circle.slice(start), ...circle.slice(0, start)];
				found.set(rotated.join('>'), rotated);
			} else if (!state.has(next)) visit(next);
		}
		stack.pop();
		state.set(file, 'done');
	}
	for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
	return [...found.values()];
}

const isShared = (file) =>
	/(^|\/)shared\//.test(path.relative(ROOT, file).split(path.sep).join('/'));
const isResource = (file) =>
	/\/resources\//.test(`/${path.relative(ROOT, file).split(path.sep).join('/')}`);

function main() {
	const files = ['nodes', 'credentials'].flatMap((folder) => sources(path.join(ROOT, folder)));
	const graph = graphOf(files);
	const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');
	const problems = [];
	for (const circle of circles(graph))
		problems.push(`import circle: ${[...circle, circle[0]].map(rel).join(' -> ')}`);
	for (const [file, targets] of graph) {
		if (!isShared(file)) continue;
		for (const target of targets)
			if (isResource(target))
				problems.push(`shared code imports a resource: ${rel(file)} -> ${rel(target)}`);
	}
	for (const problem of problems) process.stderr.write(`${problem}\n`);
	if (problems.length > 0) process.exit(1);
	process.stdout.write(
		`imports: ${files.length} files, no circle, shared code imports no resource\n`,
	);
}

if (require.main === module) main();

module.exports = { circles, graphOf };
