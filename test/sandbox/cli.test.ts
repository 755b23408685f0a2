import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { request } from 'undici';

const CLI = path.join(__dirname, '..', '..', 'sandbox', 'cli.js');

/** Starts the CLI and resolves with its base URL once it prints it. */
function startCli(args: string[]) {
	const child = spawn(process.execPath, [CLI, ...args]);
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const url = new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 5000);
		child.stdout.on('data', () => {
			const match = /listening on (http:\/\/\S+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]);
			}
		});
		child.on('exit', () => {
			clearTimeout(timer);
			reject(new Error(`exited early:\n${output}`));
		});
	});
	const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, url, exit, output: () => output };
}

async function waitFor(condition: () => boolean) {
	const deadline = Date.now() + 3000;
	while (!condition() && Date.now() < deadline)
		await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('sandbox/cli.js', () => {
	let cli: ReturnType<typeof startCli> & { child: ChildProcessWithoutNullStreams };

	afterEach(() => {
		if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
	});

	it('serves the account from its flags, logs requests and accepted messages, and stops on SIGTERM', async () => {
		cli = startCli([
			'--port',
			'0',
			'--sid',
			'HXCLI0001',
			'--key',
			'cli-key',
			'--number',
			'+919900000005',
			'--number',
			'919900000006',
		]);
		const url = await cli.url;
		expect(cli.output()).toContain(
			'  SID:      HXCLI0001\n  API key:  cli-key\n  Numbers:  +919900000005, +919900000006\n',
		);

		const reply = await request(`${url}/v2/HXCLI0001/whatsapp/919900000006/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'api-key': 'cli-key' },
			body: JSON.stringify({
				messaging_object: {
					messaging_product: 'whatsapp',
					to: '+919812345678',
					type: 'text',
					text: { body: 'from the CLI test' },
				},
			}),
		});
		expect(reply.statusCode).toBe(202);
		await reply.body.dump();
		await waitFor(() => cli.output().includes('from the CLI test'));

		expect(cli.output()).toMatch(
			/\d\d:\d\d:\d\d\.\d{3} POST \/v2\/HXCLI0001\/whatsapp\/919900000006\/messages 202\n/,
		);
		expect(cli.output()).toContain('accepted message:\n{\n  "messageId": "wamid.');
		expect(cli.output()).toContain('"businessNumber": "+919900000006"');

		cli.child.kill('SIGTERM');
		expect(await cli.exit).toBe(0);
		expect(cli.output()).toContain('SIGTERM: stopping\nstopped\n');
	});

	it('uses the default account without flags and stops on SIGINT', async () => {
		cli = startCli(['--port', '0']);
		const url = await cli.url;
		expect(cli.output()).toContain(
			'  SID:      HXSANDBOX01\n  API key:  sandbox-api-key\n  Numbers:  +919900000001\n',
		);
		const health = await request(`${url}/__sandbox/health`);
		expect(await health.body.json()).toMatchObject({
			status: 'ok',
			accounts: [{ sid: 'HXSANDBOX01' }],
		});

		cli.child.kill('SIGINT');
		expect(await cli.exit).toBe(0);
	});

	it('exits with an error for a non-loopback host', async () => {
		cli = startCli(['--host', '0.0.0.0', '--port', '0']);
		await expect(cli.url).rejects.toThrow('listens on loopback addresses only');
		expect(await cli.exit).toBe(1);
	});
});
