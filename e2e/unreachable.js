'use strict';
/**
 * Addresses where no Kaleyra answers, for the connection-test failures: a port nothing listens on,
 * and an https server whose certificate nobody trusts (what a proxy re-signing HTTPS looks like).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

/** A loopback port that was free a moment ago and is closed now: connecting to it is refused. */
async function closedPort() {
	const server = net.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/**
 * An https server on 127.0.0.1 with a fresh self-signed certificate (made with openssl, which
 * Debian ships). It counts the requests that got through the TLS handshake: there should be none.
 */
async function selfSignedHttpsServer() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaleyra-tls-'));
	const key = path.join(dir, 'key.pem');
	const cert = path.join(dir, 'cert.pem');
	try {
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-keyout',
				key,
				'-out',
				cert,
				'-days',
				'1',
				'-subj',
				'/CN=127.0.0.1',
			],
			{
				stdio: 'pipe',
			},
		);
	} catch (error) {
		throw new Error(
			`openssl could not make a self-signed certificate (apt-get install openssl): ${error.message}`,
		);
	}
	const state = { requests: 0 };
	const server = https.createServer(
		{ key: fs.readFileSync(key), cert: fs.readFileSync(cert) },
		(request, response) => {
			state.requests += 1;
			response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
		},
	);
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	fs.rmSync(dir, { recursive: true, force: true });
	return {
		url: `https://127.0.0.1:${server.address().port}`,
		get requests() {
			return state.requests;
		},
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

module.exports = { closedPort, selfSignedHttpsServer };
