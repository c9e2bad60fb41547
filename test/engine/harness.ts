/**
 * Runs real workflows through n8n-core's WorkflowExecute with this package's node and credential:
 * a start node that emits the test's items (binaries stored in n8n's binary store, as in n8n)
 * → Magic Hour Voice Cloner. HTTP goes through nock or the local simulator.
 */
import { Container } from '@n8n/di';
import { BinaryDataService, ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentials,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	IVersionedNodeType,
} from 'n8n-workflow';

import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
import { MagicHourTrigger } from '../../nodes/MagicHour/MagicHourTrigger.node';
import { MagicHourVoiceCloner } from '../../nodes/MagicHour/MagicHourVoiceCloner.node';

export const TEST_TOKEN = 'mhk_live_test_token_4f9a2c';
export const TEST_BASE_URL = 'https://api.magichour.test';
export const NODE_NAME = 'Magic Hour Voice Cloner';

export interface TestBinary {
	data: Buffer;
	fileName?: string;
	mimeType?: string;
	/** Keep the binary inline (base64 in the item) instead of in n8n's binary store. */
	inline?: boolean;
}

export interface TestItem {
	json?: IDataObject;
	binary?: Record<string, TestBinary>;
}

export interface RunOptions {
	parameters: INodeParameters;
	items?: TestItem[];
	credentials?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	/** *On Error → Continue (using error output)*: failed items leave by a second output. */
	errorOutput?: boolean;
	/** Run the node as the "…Tool" variant an AI agent calls. */
	asTool?: boolean;
	/** Stop the execution this many ms after it started, as the "Stop" button does. */
	cancelAfterMs?: number;
}

export interface RunResult {
	run: IRun;
	/** The Magic Hour node's output items (empty when the node failed). */
	output: INodeExecutionData[];
	/** Items of its second output, the error output (with `errorOutput`). */
	errorOutput: INodeExecutionData[];
	/** The node's error when the run failed. */
	error?: { message: string; description?: string | null; context?: IDataObject; [key: string]: unknown };
}

/** Emits the items the test gave it, storing their binaries the way n8n stores uploads. */
class TestItemsSource implements INodeType {
	description = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Emits the items of a test',
		defaults: { name: 'Test Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	static pending: TestItem[] = [];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		// The same TestBinary object in several items is stored once: the items then share one
		// binary id, as items do that n8n copies from one node's output.
		const storedOnce = new Map<TestBinary, IBinaryData>();
		for (const [index, item] of TestItemsSource.pending.entries()) {
			const entry: INodeExecutionData = { json: item.json ?? {}, pairedItem: { item: 0 } };
			for (const [key, file] of Object.entries(item.binary ?? {})) {
				const known = storedOnce.get(file);
				if (known) {
					entry.binary = { ...(entry.binary ?? {}), [key]: { ...known } };
					continue;
				}
				const stored = file.inline
					? {
							data: file.data.toString('base64'),
							mimeType: file.mimeType ?? '',
							fileName: file.fileName,
						}
					: await this.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
				if (!file.inline) {
					if (file.fileName === undefined) delete stored.fileName;
					if (file.mimeType === undefined) stored.mimeType = '';
					delete stored.fileExtension;
				}
				entry.binary = { ...(entry.binary ?? {}), [key]: stored };
				storedOnce.set(file, stored);
			}
			out[index] = entry;
		}
		return [out];
	}
}

/**
 * The "…Tool" variant as n8n's loader makes it (convertNodeToAiTool): the same node with its
 * description renamed, which is what `@tool` display options look at. Inputs and outputs stay
 * main, so the harness can run it in a chain.
 */
function asToolVariant(node: INodeType): INodeType {
	node.description = {
		...node.description,
		name: `${node.description.name}Tool`,
		displayName: `${node.description.displayName} Tool`,
	};
	return node;
}

export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType> = {
		'test.testItems': new TestItemsSource(),
		'n8n-nodes-magichour-voice-cloner.magicHourVoiceCloner': new MagicHourVoiceCloner(),
		'n8n-nodes-magichour-voice-cloner.magicHourVoiceClonerTool': asToolVariant(new MagicHourVoiceCloner()),
		'n8n-nodes-magichour-voice-cloner.magicHourTrigger': new MagicHourTrigger(),
	};

	getByName(type: string) {
		return this.types[type];
	}

	getByNameAndVersion(type: string, version?: number) {
		return NodeHelpers.getVersionedNodeType(this.types[type], version);
	}

	getKnownTypes() {
		return {};
	}
}

/**
 * Resolves the credential's generic `authenticate` block with n8n's expression engine, as
 * n8n's own CredentialsHelper does (n8n-core's test helper does not, and requests then go
 * out without the header).
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		if (typeName !== 'magicHourApi') throw new Error(`Unknown credential type ${typeName}`);
		const { authenticate } = new MagicHourApi();
		const headers: IDataObject = { ...(requestOptions.headers ?? {}) };
		for (const [name, value] of Object.entries(authenticate.properties.headers ?? {})) {
			headers[name] = workflow!.expression.getSimpleParameterValue(
				node!,
				value as string,
				'internal',
				{ $credentials: credentials },
				undefined,
				'',
			) as string;
		}
		return { ...requestOptions, headers };
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return new MagicHourApi().properties;
	}
}

/** What n8n gives every node context of an execution: the credential, URLs, hooks and helpers' data. */
export function additionalDataFor(
	credentials: ICredentialDataDecryptedObject,
	extra: IDataObject = {},
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		executionId: 'engine-test-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		formBaseUrl: '',
		formWaitingBaseUrl: '',
		formTestBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		mcpBaseUrl: '',
		mcpTestBaseUrl: '',
		variables: {},
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

let binaryStoreReady: Promise<void> | undefined;

/** n8n 2.x keeps binary data on disk; the store lives under the temporary N8N_USER_FOLDER. */
export async function initBinaryStore(): Promise<void> {
	binaryStoreReady ??= Container.get(BinaryDataService).init();
	await binaryStoreReady;
}

export async function binaryBuffer(item: INodeExecutionData, key = 'data'): Promise<Buffer> {
	const binary = item.binary?.[key];
	if (!binary) throw new Error(`item has no binary "${key}"`);
	if (binary.id) return await Container.get(BinaryDataService).getAsBuffer(binary);
	return Buffer.from(binary.data, 'base64');
}

export async function runNode(options: RunOptions): Promise<RunResult> {
	await initBinaryStore();
	TestItemsSource.pending = options.items ?? [{ json: {} }];
	const nodes: INode[] = [
		{
			id: 'start',
			name: 'Test Items',
			type: 'test.testItems',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'magic-hour',
			name: NODE_NAME,
			type: `n8n-nodes-magichour-voice-cloner.magicHourVoiceCloner${options.asTool ? 'Tool' : ''}`,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: { magicHourApi: { id: '1', name: 'Magic Hour account' } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...(options.errorOutput ? { onError: 'continueErrorOutput' as const } : {}),
		},
	];
	const workflow = new Workflow({
		id: 'engine-test',
		nodes,
		connections: {
			'Test Items': { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
		},
		nodeTypes: new TestNodeTypes(),
		active: false,
		settings: { executionOrder: 'v1' },
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'engine-test-execution', {
		id: 'engine-test',
		name: 'engine test',
		nodes,
		connections: workflow.connectionsBySourceNode,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run));
	});

	const additionalData = additionalDataFor(options.credentials ?? { apiToken: TEST_TOKEN, baseUrl: TEST_BASE_URL }, {
		hooks,
	});

	const startNode = workflow.getNode('Test Items')!;
	const execution = new WorkflowExecute(additionalData, 'manual', {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as never);
	const running = workflow && execution.processRunExecutionData(workflow);
	let timer: NodeJS.Timeout | undefined;
	if (options.cancelAfterMs !== undefined) {
		timer = setTimeout(() => running.cancel(), options.cancelAfterMs);
	}
	const run = await finished;
	if (timer) clearTimeout(timer);
	await running.catch(() => undefined);

	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	const output = taskData?.data?.main?.[0] ?? [];
	const errorOutput = taskData?.data?.main?.[1] ?? [];
	const error = (taskData?.error ?? run.data.resultData.error) as RunResult['error'];
	return { run, output, errorOutput, error };
}

/**
 * What the editor does to fill in a resource locator's "From list": n8n's list-search method of the
 * node, called with a load-options context of a workflow holding the node, as n8n's REST endpoint
 * `/rest/dynamic-node-parameters/resource-locator-results` calls it.
 */
export async function listSearch(options: {
	method: string;
	parameters: INodeParameters;
	/** The parameter the list is for, as the editor names it. */
	path?: string;
	filter?: string;
	paginationToken?: string;
	credentials?: ICredentialDataDecryptedObject;
}): Promise<INodeListSearchResult> {
	const node: INode = {
		id: 'magic-hour',
		name: NODE_NAME,
		type: 'n8n-nodes-magichour-voice-cloner.magicHourVoiceCloner',
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { magicHourApi: { id: '1', name: 'Magic Hour account' } },
	};
	const nodeTypes = new TestNodeTypes();
	const workflow = new Workflow({ id: 'engine-test', nodes: [node], connections: {}, nodeTypes, active: false });
	const additionalData = additionalDataFor(options.credentials ?? { apiToken: TEST_TOKEN, baseUrl: TEST_BASE_URL }, {
		currentNodeParameters: options.parameters,
	});
	const context = new LoadOptionsContext(workflow, node, additionalData, options.path ?? 'parameters.savedVoice');
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const method = nodeType.methods?.listSearch?.[options.method];
	if (!method) throw new Error(`the node has no list search "${options.method}"`);
	return await method.call(context, options.filter, options.paginationToken);
}
