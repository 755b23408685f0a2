/**
 * Issue 17 point (a): the code's shape. No import circle in nodes/ and credentials/ (type-only
 * imports included), and shared code never imports from a resource; `npm run lint` runs the check.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const { circles } = require('../../scripts/circular.js') as {
	circles: (graph: Map<string, string[]>) => string[][];
};

const ROOT = path.join(__dirname, '..', '..');

describe('structure: imports', () => {
	it('the package has no import circle and no shared file imports a resource (scripts/circular.js exits 0)', () => {
		const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'circular.js')], {
			encoding: 'utf8',
		});
		expect(out).toMatch(/^imports: \d+ files, no circle, shared code imports no resource\n$/);
	});

	it('the check finds a circle, type-only or not, once, from its first file', () => {
		const graph = new Map([
			['b.ts', ['c.ts']],
			['c.ts', ['a.ts']],
			['a.ts', ['b.ts']],
			['d.ts', ['a.ts']],
			['e.ts', ['e.ts']],
		]);
		expect(circles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
	});

	it('npm run lint runs it', () => {
		const pkg = require('../../package.json') as { scripts: Record<string, string> };
		expect(pkg.scripts.lint).toContain('node scripts/circular.js');
	});
});
