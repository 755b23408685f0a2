'use strict';
/**
 * The browser suite's set-up: the package packed and installed into a fresh n8n the way the
 * Community Nodes panel installs it, the Kaleyra sandbox, the sandbox credential and the examples
 * imported (scripts/harness.js), `n8n start` with an owner, and Debian's chromium driven by
 * playwright-core (installed with apt-get when missing; no browser download).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runtime = require('../../scripts/n8n-runtime');
const harness = require('../../scripts/harness');
const { N8nRestClient, ownerPassword } = require('../../scripts/n8n-rest');

/** Fixed ports (other suites run n8n on this machine too); override with N8N_PORT / N8N_RUNNERS_BROKER_PORT. */
const N8N_PORT = Number(process.env.N8N_PORT || 5820);
const BROKER_PORT = Number(process.env.N8N_RUNNERS_BROKER_PORT || 5821);

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function findChromium() {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	return CHROMIUM_CANDIDATES.find((candidate) => fs.existsSync(candidate));
}

/** Debian's chromium; `apt-get install -y chromium` (as root, or with `sudo -n`) when it is missing. */
function ensureChromium(print = () => {}) {
	let found = findChromium();
	if (found) return found;
	const asRoot = process.getuid?.() === 0;
	const run = (args) => {
		const [command, ...rest] = asRoot ? args : ['sudo', '-n', ...args];
		print(`    ${command} ${rest.join(' ')}`);
		const result = spawnSync(command, rest, {
			stdio: ['ignore', 'pipe', 'pipe'],
			encoding: 'utf8',
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
		if (result.status !== 0)
			throw new Error(
				`${args.join(' ')} failed:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
			);
	};
	const install = () => run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
	try {
		install();
	} catch {
		run(['apt-get', 'update']);
		install();
	}
	found = findChromium();
	if (!found)
		throw new Error('apt-get install chromium finished, but no chromium binary was found');
	return found;
}

/**
 * Everything the suite needs, started (`beforeStart(state)` runs just before `n8n start`); `state` is filled as it goes so that tearDown can stop what
 * was started even when a step fails.
 */
async function startInstance(state, { step, print, env = {}, beforeStart }) {
	state.chromiumPath = await step('chromium (apt-get install when missing)', () =>
		ensureChromium(print),
	);
	await step('ensure n8n (first run installs it: several minutes)', () => runtime.ensureN8n());
	state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-browser-'));
	state.userFolder = path.join(state.tmp, 'n8n-user');
	state.tgz = await step('npm run build && npm pack', () =>
		harness.buildAndPack(path.join(state.tmp, 'pack')),
	);
	({ sandbox: state.sandbox, apiKey: state.apiKey } = await step('start the Kaleyra sandbox', () =>
		harness.startKaleyraSandbox(),
	));
	const prepared = await harness.prepareInstance({
		userFolder: state.userFolder,
		tgz: state.tgz,
		sandboxUrl: state.sandbox.url,
		apiKey: state.apiKey,
		env,
		step,
	});
	state.examples = prepared.examples;
	// What must happen before n8n starts, e.g. `n8n publish:workflow`, which takes effect at start.
	await beforeStart?.(state);
	state.server = await step(`n8n start (port ${N8N_PORT})`, () =>
		runtime.startN8n({
			userFolder: state.userFolder,
			port: N8N_PORT,
			env: { ...env, N8N_RUNNERS_BROKER_PORT: String(BROKER_PORT) },
		}),
	);
	state.owner = {
		email: 'owner@example.com',
		firstName: 'Ada',
		lastName: 'Builder',
		password: ownerPassword(),
	};
	await step('set up the owner', async () => {
		const setup = new N8nRestClient(state.server.url);
		if (await setup.needsOwnerSetup()) await setup.setupOwner(state.owner);
	});
	state.browser = await step('launch chromium', async () => {
		const { chromium } = require('playwright-core');
		return await chromium.launch({
			executablePath: state.chromiumPath,
			headless: true,
			args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
		});
	});
	return state;
}

/** n8n 2.x greets a new owner with modals and callouts; close whatever is open. */
async function dismissModals(page) {
	for (const selector of [
		'[data-test-id="nps-survey-modal"] button[aria-label="Close"]',
		'.el-dialog__headerbtn:visible',
		'.el-message-box__headerbtn:visible',
	]) {
		const found = page.locator(selector).first();
		if (await found.isVisible().catch(() => false)) await found.click().catch(() => {});
	}
}

/** Where the README's pictures go (E2E_SCREENSHOTS to write them elsewhere). */
const SCREENSHOTS = process.env.E2E_SCREENSHOTS || path.join(runtime.ROOT, 'docs', 'screenshots');
const FAILURE_SHOTS = path.join(os.tmpdir(), 'kaleyra-browser-failures');

/**
 * A browser file's timed steps (scripts/harness.js's stepper); when a step fails, the page as it
 * was (`state.page`) is saved to FAILURE_SHOTS for a look. Resolves `{ step, timings }`.
 */
function browserSteps(state, print) {
	const { step: timedStep, timings } = harness.createStepper(print);
	async function step(label, fn) {
		return await timedStep(label, async () => {
			try {
				return await fn();
			} catch (error) {
				if (state.page) {
					fs.mkdirSync(FAILURE_SHOTS, { recursive: true });
					const file = path.join(FAILURE_SHOTS, `${label.replace(/[^a-z0-9]+/gi, '-')}.png`);
					await state.page.screenshot({ path: file }).catch(() => {});
					print(`    the page when "${label}" failed: ${file}`);
				}
				throw error;
			}
		});
	}
	return { step, timings };
}

/** Saves `target` (a page or a locator) as docs/screenshots/<name>.png. */
async function screenshot(name, target) {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	await target.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** The names of the fields the node's parameter panel shows, in order. */
async function shownFieldNames(page) {
	return await page
		.getByTestId('node-parameters')
		.evaluate((root) =>
			[...root.querySelectorAll('[data-test-id$="-parameter-input-options-container"]')]
				.filter((element) => element.offsetParent !== null)
				.map((element) =>
					element.getAttribute('data-test-id').replace(/-parameter-input-options-container$/, ''),
				),
		);
}

module.exports = {
	N8N_PORT,
	BROKER_PORT,
	browserSteps,
	screenshot,
	shownFieldNames,
	dismissModals,
	ensureChromium,
	findChromium,
	startInstance,
};
