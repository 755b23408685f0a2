/**
 * nock 15 is an ES module only ("type": "module"). Jest 30's CommonJS runtime cannot `require` an
 * ES module on Node < 24.9 ("Must use import to load ES Module"), `import('nock')` would need
 * --experimental-vm-modules, and Jest also wraps `module.createRequire` and
 * `process.getBuiltinModule`, so both lead back to Jest's loader. Node 20.19+ itself can `require()`
 * an ES module, so nock is loaded with Node's own require, reached through the real `process` of the
 * outer realm (a core module's functions belong to it).
 *
 * This works because Jest hands test code the real core modules (`http`, `https`), which is what
 * nock patches; n8n's HTTP helpers (axios in @n8n/backend-network) use those, so nock intercepts
 * every request. One nock instance exists per Jest worker process.
 *
 * Second quirk: nock 15 intercepts through @mswjs/interceptors 0.44, which calls
 * `Promise.withResolvers()` (ES2024, Node 22+) for every intercepted socket. On Node 20 every request
 * then fails with "Promise.withResolvers is not a function", so it is polyfilled here, on the outer
 * realm's Promise (the one that code runs with), and only if missing.
 *
 * In tests: `import { nock } from './helpers/nock'` instead of `import nock from 'nock'`.
 */
import http from 'node:http';

import type nockModule from 'nock';

type Nock = typeof nockModule;

interface RealModule {
	createRequire(filename: string): (id: string) => unknown;
}

interface RealProcess {
	getBuiltinModule(id: 'module'): RealModule;
}

// `http.request` was created in the outer (real) realm, so its constructor is that realm's Function.
const OuterFunction = http.request.constructor as FunctionConstructor;
const realProcess = OuterFunction('return process')() as RealProcess;
const OuterPromise = OuterFunction('return Promise')() as PromiseConstructor & { withResolvers?: unknown };

if (typeof OuterPromise.withResolvers !== 'function') {
	Object.defineProperty(OuterPromise, 'withResolvers', {
		configurable: true,
		writable: true,
		enumerable: false,
		value: function withResolvers<T>(this: PromiseConstructor) {
			let resolve!: (value: T | PromiseLike<T>) => void;
			let reject!: (reason?: unknown) => void;
			const promise = new this<T>((res, rej) => {
				resolve = res;
				reject = rej;
			});
			return { promise, resolve, reject };
		},
	});
}
const nativeRequire = realProcess.getBuiltinModule('module').createRequire(__filename);

export const nock: Nock = (nativeRequire('nock') as { default: Nock }).default;
export default nock;
