/**
 * Runs real n8n workflows (exported JSON) in n8n-core's WorkflowExecute, with n8n's own expression
 * engine, node execution contexts, error handling (continueOnFail / onError) and HTTP helpers.
 * Only the parts of an n8n instance that need a database or a server are replaced: credentials
 * (TestCredentialsHelper), instance settings (a temporary folder) and the logger (recorded).
 *
 * HTTP goes through `this.helpers.httpRequest[WithAuthentication]` → @n8n/backend-network (axios on
 * Node's http/https), so nock intercepts it.
 *
 * Fixture shape (an n8n export; the start node is the harness's `test.items` node):
 *
 *   { "nodes": [
 *       { "name": "Items", "type": "test.items", "typeVersion": 1, "position": [0, 0], "parameters": {} },
 *       { "name": "Send", "type": "n8n-nodes-kaleyra-whatsapp.kaleyraWhatsApp", "typeVersion": 1, "position": [200, 0],
 *         "parameters": { "to": "={{ $json.phone }}" },
 *         "credentials": { "kaleyraWhatsAppApi": { "id": "1", "name": "Kaleyra account" } } } ],
 *     "connections": { "Items": { "main": [[{ "node": "Send", "type": "main", "index": 0 }]] } },
 *     "settings": { "executionOrder": "v1" } }
 *
 *   const result = await runWorkflow({
 *     workflow: fixture, // or a path to the JSON file
 *     nodeTypes: { 'n8n-nodes-kaleyra-whatsapp.kaleyraWhatsApp': new KaleyraWhatsApp() },
 *     credentialTypes: [new KaleyraWhatsAppApi()],
 *     credentials: { kaleyraWhatsAppApi: { '1': { pod: 'in', sid: 'SID', apiKey: 'KEY' } } },
 *     items: [{ phone: '+91...' }],
 *   });
 *   result.output('Send'); result.output('Send', 1); result.error; result.logs;
 *
 * Runs share one engine set-up per Jest worker; do not run two `runWorkflow` calls concurrently in
 * one test file (the recorded `logs` would interleave).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Logger } from '@n8n/backend-common';
import type { InstanceSettingsConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import {
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	InstanceSettings,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	Expression,
	LoggerProxy,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	createRunExecutionData,
	type ExecutionError,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunData,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type IWorkflowSettings,
	type LogMetadata,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { TestCredentialsHelper, type CredentialStore } from './credentials-helper';
import { ITEMS_PARAMETER, ITEMS_TRIGGER_TYPE, ItemsTrigger } from './items-trigger.node';

export { ITEMS_TRIGGER_TYPE } from './items-trigger.node';
export { TestCredentialsHelper } from './credentials-helper';

export interface WorkflowFixture {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	/** Ignored: pinned data would bypass the nodes under test. */
	pinData?: unknown;
	[key: string]: unknown;
}

export interface RunWorkflowOptions {
	/** The workflow, or a path to its JSON file (absolute, or relative to the current directory). */
	workflow: WorkflowFixture | string;
	/** Node types keyed by the `type` string used in the workflow JSON. `test.items` is added automatically. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes: ICredentialType[];
	/** Decrypted credential data: credential type name → credential id (as in the node's `credentials`) → data. */
	credentials?: Record<string, Record<string, ICredentialDataDecryptedObject>>;
	/** Items emitted by the workflow's `test.items` node; overrides that node's `items` parameter. */
	items?: Array<INodeExecutionData['json']>;
	/** Execution mode; defaults to 'manual' (a run started from the editor). */
	mode?: WorkflowExecuteMode;
}

export interface RunWorkflowResult {
	runData: IRunData;
	/** Items of the node's last run on the given main output (0 = main, 1 = error output with onError 'continueErrorOutput'). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The workflow-level error when a node failed and stopped the run. */
	error?: ExecutionError;
	/** Every line the engine's logger (Container Logger and LoggerProxy) produced during this run. */
	logs: string[];
	/** The full run, for anything else (status, finished, lastNodeExecuted...). */
	run: IRun;
	/** What the run ran in, so a waiting execution can be resumed (test/helpers/waiting.ts). */
	workflow: Workflow;
	additionalData: IWorkflowExecuteAdditionalData;
	mode: WorkflowExecuteMode;
}

// ---------------------------------------------------------------------------------------------
// Logger

function serialize(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		return JSON.stringify(value, (_key, v: unknown) => {
			if (typeof v === 'bigint') return v.toString();
			if (typeof v === 'function') return `[Function ${(v as { name?: string }).name ?? ''}]`;
			if (v !== null && typeof v === 'object') {
				if (seen.has(v)) return '[Circular]';
				seen.add(v);
				if (v instanceof Error) {
					// Own enumerable properties (e.g. NodeApiError's description, context, cause) plus the
					// non-enumerable basics, so a secret anywhere on the error shows up in the log line.
					return {
						...(v as unknown as IDataObject),
						name: v.name,
						message: v.message,
						stack: v.stack,
						cause: (v as { cause?: unknown }).cause,
					};
				}
			}
			return v;
		});
	} catch (error) {
		return `[unserializable: ${(error as Error).message}]`;
	}
}

/** Records every log line; stands in for @n8n/backend-common's Logger (which writes via winston). */
class RecordingLogger {
	lines: string[] = [];

	private write(level: string, message: string, metadata?: LogMetadata) {
		const meta = metadata && Object.keys(metadata).length > 0 ? ` ${serialize(metadata)}` : '';
		const line = `${level}: ${message}${meta}`;
		this.lines.push(line);
		if (process.env.HARNESS_LOG) process.stderr.write(`[n8n] ${line}\n`);
	}

	error(message: string, metadata?: LogMetadata) {
		this.write('error', message, metadata);
	}

	warn(message: string, metadata?: LogMetadata) {
		this.write('warn', message, metadata);
	}

	info(message: string, metadata?: LogMetadata) {
		this.write('info', message, metadata);
	}

	debug(message: string, metadata?: LogMetadata) {
		this.write('debug', message, metadata);
	}

	scoped(): this {
		return this;
	}
}

// ---------------------------------------------------------------------------------------------
// One-time engine set-up (per jest worker)

let logger: RecordingLogger | undefined;

function setUpEngine(): RecordingLogger {
	if (logger) return logger;
	const recorder = new RecordingLogger();

	// Everything in n8n-core that logs asks the DI container for Logger; n8n-workflow (and
	// WorkflowExecute's own "Start executing node" lines) log through LoggerProxy.
	Container.set(Logger, recorder as unknown as Logger);
	LoggerProxy.init(recorder);

	// The real InstanceSettings reads/creates <n8nFolder>/config; point it at a throwaway folder
	// rather than ~/.n8n. Node contexts read instanceId and hmacSignatureSecret from it.
	const n8nFolder = mkdtempSync(path.join(tmpdir(), 'n8n-harness-'));
	process.once('exit', () => rmSync(n8nFolder, { recursive: true, force: true }));
	const config = {
		n8nFolder,
		userHome: n8nFolder,
		encryptionKey: 'n8n-harness-encryption-key',
		enforceSettingsFilePermissions: false,
	} as InstanceSettingsConfig;
	Container.set(InstanceSettings, new InstanceSettings(config, recorder as unknown as Logger));

	// The 'vm' / 'quickjs' engines need isolated-vm's native build (or a QuickJS bundle); the
	// legacy in-process engine is the default unless someone calls initExpressionEngine().
	if (Expression.getActiveImplementation() !== 'legacy') {
		Expression.setExpressionEngine('legacy');
	}

	logger = recorder;
	return recorder;
}

// ---------------------------------------------------------------------------------------------
// Node types

class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) {
			throw new UnexpectedError(
				`Unknown node type "${nodeType}"; known: ${Object.keys(this.types).join(', ')}`,
			);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(
			Object.keys(this.types).map((type) => [type, { className: type, sourcePath: '' }]),
		);
	}
}

// ---------------------------------------------------------------------------------------------

function loadFixture(workflow: RunWorkflowOptions['workflow']): WorkflowFixture {
	const data: WorkflowFixture =
		typeof workflow === 'string'
			? (JSON.parse(readFileSync(path.resolve(workflow), 'utf8')) as WorkflowFixture)
			: workflow;
	// Never let a run mutate the caller's fixture object.
	return structuredClone({
		name: data.name,
		nodes: data.nodes,
		connections: data.connections,
		settings: data.settings,
	});
}

function notAvailable(what: string) {
	return () => {
		throw new UnexpectedError(`${what} is not available in the test harness`);
	};
}

let executionCounter = 0;

export async function runWorkflow(opts: RunWorkflowOptions): Promise<RunWorkflowResult> {
	const recorder = setUpEngine();
	const logs: string[] = [];
	recorder.lines = logs;

	const fixture = loadFixture(opts.workflow);
	const mode = opts.mode ?? 'manual';
	const nodeTypes = new HarnessNodeTypes({
		[ITEMS_TRIGGER_TYPE]: new ItemsTrigger(),
		...opts.nodeTypes,
	});

	const nodes = fixture.nodes.map((node, index) => ({
		...node,
		id: node.id ?? `node-${index}`,
		position: node.position ?? [index * 200, 0],
		typeVersion: node.typeVersion ?? 1,
		parameters: node.parameters ?? {},
	}));

	const starts = nodes.filter((node) => node.type === ITEMS_TRIGGER_TYPE && !node.disabled);
	if (starts.length !== 1) {
		throw new UnexpectedError(
			`The workflow needs exactly one enabled "${ITEMS_TRIGGER_TYPE}" node to start from; found ${starts.length}`,
		);
	}
	const start = starts[0];
	if (opts.items !== undefined) start.parameters[ITEMS_PARAMETER] = JSON.stringify(opts.items);

	const settings: IWorkflowSettings = { executionOrder: 'v1', ...fixture.settings };
	const workflowId = 'harness-workflow';
	const workflow = new Workflow({
		id: workflowId,
		name: fixture.name ?? 'Test workflow',
		nodes,
		connections: fixture.connections,
		active: false,
		nodeTypes,
		settings,
	});

	const executionId = String(++executionCounter);
	const workflowData: IWorkflowBase = {
		id: workflowId,
		name: workflow.name ?? 'Test workflow',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes,
		connections: fixture.connections,
		settings,
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);

	const credentialsHelper = new TestCredentialsHelper(
		opts.credentialTypes,
		structuredClone(opts.credentials ?? {}) as CredentialStore,
	);
	const baseUrl = 'http://localhost:5678';
	const additionalData: IWorkflowExecuteAdditionalData = {
		credentialsHelper,
		hooks,
		externalSecretsProxy: new ExternalSecretsProxy(),
		executionId,
		workflowId,
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: `${baseUrl}/rest`,
		instanceBaseUrl: `${baseUrl}/`,
		formBaseUrl: `${baseUrl}/form`,
		formWaitingBaseUrl: `${baseUrl}/form-waiting`,
		formTestBaseUrl: `${baseUrl}/form-test`,
		webhookBaseUrl: `${baseUrl}/webhook`,
		webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
		webhookTestBaseUrl: `${baseUrl}/webhook-test`,
		mcpBaseUrl: `${baseUrl}/mcp`,
		mcpTestBaseUrl: `${baseUrl}/mcp-test`,
		executeWorkflow: notAvailable('executeWorkflow (sub-workflows)'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: notAvailable('startRunnerTask (Code node task runners)'),
	};

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	const run = await workflowExecute.processRunExecutionData(workflow);
	const { runData, error } = run.data.resultData;

	return {
		runData,
		error,
		logs,
		run,
		workflow,
		additionalData,
		mode,
		output(nodeName: string, outputIndex = 0): INodeExecutionData[] {
			const runs = runData[nodeName];
			if (!runs?.length) {
				throw new UnexpectedError(
					`Node "${nodeName}" did not run; nodes that ran: ${Object.keys(runData).join(', ') || 'none'}`,
				);
			}
			return runs[runs.length - 1].data?.main?.[outputIndex] ?? [];
		},
	};
}

// ---------------------------------------------------------------------------------------------
// The editor's dynamic fields

export interface NodeMethodOptions {
	nodeType: INodeType;
	/** The node as the editor holds it: type, parameters, credentials. */
	node: Pick<INode, 'type' | 'parameters' | 'credentials'> & {
		name?: string;
		typeVersion?: number;
	};
	credentialTypes: ICredentialType[];
	credentials: CredentialStore;
	/** The parameter the editor asks about, e.g. "parameters.template". */
	path: string;
}

/**
 * Calls a node's listSearch / resourceMapping method the way n8n's dynamic-node-parameters
 * service does: with a real LoadOptionsContext over a one-node workflow, so getCurrentNodeParameter,
 * getCredentials and the HTTP helpers behave as in the editor.
 */
export async function callNodeMethod<T>(
	opts: NodeMethodOptions,
	call: (context: ILoadOptionsFunctions, type: INodeType) => Promise<T>,
): Promise<T> {
	setUpEngine();
	const node: INode = {
		id: 'node-0',
		name: opts.node.name ?? 'Send WhatsApp',
		type: opts.node.type,
		typeVersion: opts.node.typeVersion ?? 1,
		position: [0, 0],
		parameters: opts.node.parameters,
		credentials: opts.node.credentials,
	};
	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Editor',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes({ [node.type]: opts.nodeType }),
	});
	const baseUrl = 'http://localhost:5678';
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(
			opts.credentialTypes,
			structuredClone(opts.credentials),
		),
		externalSecretsProxy: new ExternalSecretsProxy(),
		currentNodeParameters: opts.node.parameters,
		userId: 'harness-user',
		variables: {},
		restApiUrl: `${baseUrl}/rest`,
		instanceBaseUrl: `${baseUrl}/`,
		webhookBaseUrl: `${baseUrl}/webhook`,
		webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
		webhookTestBaseUrl: `${baseUrl}/webhook-test`,
	} as unknown as IWorkflowExecuteAdditionalData;
	const context = new LoadOptionsContext(workflow, node, additionalData, opts.path);
	return await call(context, opts.nodeType);
}
