'use strict';
/**
 * A small client for the REST API n8n's own editor uses (`/rest/...`): owner set-up, login with
 * the session cookie, and the type files the editor loads. undici is the repo tooling's HTTP client.
 */
const crypto = require('node:crypto');
const { request } = require('undici');

class N8nRestClient {
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
		this.cookies = new Map();
		// n8n binds the session cookie to the browser-id header it was issued with.
		this.browserId = crypto.randomUUID();
	}

	/** Any request; resolves `{ status, headers, body }` with `body` parsed when it is JSON. */
	async call(method, path, body, { headers = {}, timeoutMs = 60000 } = {}) {
		const response = await request(`${this.baseUrl}${path}`, {
			method,
			headers: {
				accept: 'application/json',
				'browser-id': this.browserId,
				...(this.cookies.size
					? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
					: {}),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			headersTimeout: timeoutMs,
			bodyTimeout: timeoutMs,
		});
		const setCookie = response.headers['set-cookie'];
		for (const line of [].concat(setCookie ?? [])) {
			const [pair] = line.split(';');
			const eq = pair.indexOf('=');
			this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
		}
		const text = await response.body.text();
		let parsed = text;
		if (/json/.test(String(response.headers['content-type']))) {
			try {
				parsed = JSON.parse(text);
			} catch {}
		}
		return { status: response.statusCode, headers: response.headers, body: parsed };
	}

	/** Like `call`, but expects a 2xx and returns n8n's `data` (or the whole body when unwrapped). */
	async data(method, path, body, options) {
		const response = await this.call(method, path, body, options);
		if (response.status < 200 || response.status >= 300) {
			const detail =
				typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
			throw new Error(`${method} ${path} -> HTTP ${response.status}: ${detail.slice(0, 1000)}`);
		}
		return response.body && typeof response.body === 'object' && 'data' in response.body
			? response.body.data
			: response.body;
	}

	async settings() {
		return await this.data('GET', '/rest/settings');
	}

	/** True while the instance still shows the "set up owner account" page. */
	async needsOwnerSetup() {
		const settings = await this.settings();
		return Boolean(settings?.userManagement?.showSetupOnFirstLoad);
	}

	async setupOwner({ email, firstName, lastName, password }) {
		return await this.data('POST', '/rest/owner/setup', { email, firstName, lastName, password });
	}

	async login({ email, password }) {
		return await this.data('POST', '/rest/login', { emailOrLdapLoginId: email, password });
	}

	/** The node descriptions the editor loads (all installed node types, community ones included). */
	async nodeTypes() {
		return await this.data('GET', '/types/nodes.json');
	}

	async credentialTypes() {
		return await this.data('GET', '/types/credentials.json');
	}

	/** The editor's "Test" button of a saved credential, with the data as edited in the dialog. */
	async testCredential({ id, name, type, data }, options) {
		return await this.data(
			'POST',
			'/rest/credentials/test',
			{ credentials: { id, name, type, data } },
			options,
		);
	}
}

/** An owner password n8n accepts (8-64 characters, a digit and an upper-case letter). */
function ownerPassword() {
	return `Kaleyra-${crypto.randomBytes(6).toString('hex')}-N8n1`;
}

module.exports = { N8nRestClient, ownerPassword };
