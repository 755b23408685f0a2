import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeProperties,
	INodeType,
} from 'n8n-workflow';
import type { z } from 'zod';

import type { MediaKind } from '../../shared/media';
import type { KaleyraAccount } from './transport';

/** One problem with an item's fields, in the user's words: "<field as the node shows it>: <what is wrong and the fix>". */
export interface ValidationIssue {
	field: string;
	message: string;
}

/** The parameters of one item, resolved from the node's fields (expressions already evaluated). */
export type ResolvedParameters = Record<string, unknown> & {
	businessNumber: string;
	recipient: string;
	options: MessageOptions;
	/** The node's type version (1 or 1.1): what a saved workflow's output keeps. */
	nodeVersion?: number;
};

export interface MessageOptions {
	ref?: string;
	ref1?: string;
	ref2?: string;
	waSource?: string;
	messagesInFlight?: number;
	messagesPerSecond?: number;
	maxThrottleWait?: number;
}

/** A file read from an item's binary data (n8n's Read File, HTTP Request, a PDF generator …). */
export interface BinaryFile {
	/** The item's binary property it came from, named in error messages. */
	property: string;
	fileName: string;
	mimeType: string;
	/**
	 * The bytes while they are needed: read for the item's checks, then emptied, and read again
	 * just before the upload, so a batch of big files holds only those being uploaded.
	 */
	data: Buffer;
	/** The file's size in bytes, kept when `data` is emptied. */
	size: number;
}

/**
 * A file an item uploads to Kaleyra before its send (or as the whole call, for Media → Upload).
 * `idPath` is where the media ID Kaleyra returns goes in the v2 body; `mediaId` is set once the
 * upload succeeded, so a retried send does not upload twice.
 */
export interface MediaUpload {
	kind: MediaKind;
	file: BinaryFile;
	idPath?: string[];
	mediaId?: string;
	/** The field the builder chose the kind in, named when the file is of another kind. */
	kindField?: string;
}

export type { MediaKind } from '../../shared/media';

/** What one item asks Kaleyra to do: a v2 JSON send, a v1 form send, or a media upload. */
interface RequestBase {
	type: string;
	/** The business number, E.164 (validated with the request). */
	from: string;
	/** The recipient, E.164; null where the call has none (mark as read, upload). */
	to: string | null;
	refs: MessageOptions;
	upload?: MediaUpload;
}

/** What Kaleyra answered to an accepted call, for an operation's output item. */
export interface Accepted {
	messageId: string | null;
	code: string | null;
	httpStatus: number;
}

/**
 * What one item asks Kaleyra to do: a v2 JSON send, or a v1 form send whose fields are kept
 * structured (action as an object) until the transport encodes them, so they can be validated.
 */
export type KaleyraRequest =
	| (RequestBase & { api: 'v2'; body: IDataObject })
	| (RequestBase & { api: 'v1'; fields: Record<string, unknown> })
	| (RequestBase & { api: 'upload'; upload: MediaUpload });

/** What every operation has: how the editor shows it and its fields. */
interface OperationBase {
	value: string;
	name: string;
	action: string;
	description: string;
	/** The UI fields of this operation only; the node shows them for this operation. */
	properties: INodeProperties[];
	/** The editor's dynamic-field methods its fields name (a list search, a resource mapper); the node registers them. */
	methods?: INodeType['methods'];
}

/**
 * A message send (or an upload): every item is checked before the first is sent, then scheduled
 * (in flight, per second, per recipient), accepted by its message ID, guarded against n8n's Retry
 * On Fail sending it twice, and `maybeSent` when nobody knows whether it went out.
 */
export interface SendOperation extends OperationBase {
	/** Optional: an operation without a kind is a send, as every operation was before calls existed. */
	kind?: 'send';
	/**
	 * Where each part of the request comes from: the field's name (`body`, `options.ref`,
	 * `rows.row.id`), whose label the checks show (checks.ts fieldLabel), so a zod issue at
	 * `messaging_object.text.body` becomes an error about the "Body" field. Text that names no
	 * field (a part of a JSON field's contents) is shown as written.
	 */
	fieldLabels: Record<string, string>;
	/**
	 * Pure: resolved parameters in, request out. Validation happens after, on the request.
	 * `looked` is what `lookup` found for this item.
	 */
	build(p: ResolvedParameters, looked?: unknown): KaleyraRequest;
	/**
	 * What the build needs from Kaleyra before anything is sent (a template's definition), read
	 * once per execution through `cache`; never throws: a failure is returned for `checkParameters`.
	 */
	lookup?(
		ctx: IExecuteFunctions,
		account: KaleyraAccount,
		p: ResolvedParameters,
		cache: Map<string, Promise<unknown>>,
	): Promise<unknown>;
	/** Checks that need the parameters and the lookup, not only the request (a template's variables). */
	checkParameters?(p: ResolvedParameters, looked?: unknown): ValidationIssue[];
	/**
	 * The binary property this item's file is read from, when the operation takes one for these
	 * parameters (Send Media with the source Binary Data): the router reads it into `p.binaryFile`
	 * before `build()`, so size and type are checked before anything is sent.
	 */
	binaryInput?(p: ResolvedParameters): string | undefined;
	/** The output item of an accepted call, when it is not a sent message (a read receipt, an upload). */
	output?(request: KaleyraRequest, accepted: Accepted): IDataObject;
	/** Extra hints for Kaleyra codes that mean more for this operation (WA401 on a template send). */
	failureHints?: Record<string, string>;
	/**
	 * What Kaleyra accepts for this operation, checked on the built request before anything is
	 * sent: the `messaging_object` of a v2 send, the form fields of a v1 send. Required, so that no
	 * operation can be sent unchecked.
	 */
	schema: z.ZodTypeAny;
}

/**
 * What one item of a call asks Kaleyra: the request as the transport sends it (path segments, each
 * URL-encoded there) and `checked`, the values it was built from under Kaleyra's names, which the
 * operation's schema checks and its `fieldLabels` name, before anything is sent.
 */
export interface CallRequest {
	method: IHttpRequestMethods;
	path: string[];
	query?: IDataObject;
	json?: IDataObject;
	checked: IDataObject;
}

/**
 * What one item of a file call asks (Media → Download): the file behind a link, by the download
 * rules of the transport (the key only to the credential's host, a deadline, a size cap), put into
 * the item's binary property `binaryProperty`. `checked` is what the schema checks, as for a call.
 */
export interface FileRequest {
	url: string;
	maxBytes: number;
	binaryProperty: string;
	/** The name the builder gave the file; else the server's, else one made from the link. */
	fileName?: string;
	checked: IDataObject;
}

/** Why a call's answer gives no items, in the user's words: a node failure with this code, title and hint. */
export interface CallRefusal {
	refused: { code: string; title: string; hint: string };
}

/** What every call has: the same field checks and failure items as a send, none of the send machinery. */
interface CallBase extends OperationBase {
	kind: 'call';
	/** Paths to the fields they come from, as for a send: `flow_id` → `flowId` ("Flow ID"). */
	fieldLabels: Record<string, string>;
	/** What Kaleyra accepts, checked on the request's `checked` before it is sent. Required, as for sends. */
	schema: z.ZodTypeAny;
	/** Checks that need the parameters rather than the request (a rule across fields, the credential's WABA ID). */
	checkParameters?(p: ResolvedParameters, account: KaleyraAccount): ValidationIssue[];
	/** Extra hints for Kaleyra codes that mean more for this operation. */
	failureHints?: Record<string, string>;
}

/**
 * A request and how its answer becomes items (Template → Get Many, Phone Number → Get Details):
 * no scheduler, no Retry On Fail ledger, no message ID. Items run one after the other; an item may
 * give many items.
 */
export interface ApiCallOperation extends CallBase {
	/** Pure: resolved parameters and the account (its SID and WABA ID go into paths) in, request out. */
	build(p: ResolvedParameters, account: KaleyraAccount): CallRequest;
	/**
	 * The output items of one answer (of one page, when the call pages), or why the answer cannot
	 * become items (a listing the node cannot read): that item then fails with this code and hint.
	 */
	toItems(answer: IDataObject, p: ResolvedParameters): IDataObject[] | CallRefusal;
	/** When every page together gave no item, the item fails with this (Template → Get of a name not in the listing). */
	whenNone?(p: ResolvedParameters): CallRefusal;
	/** The request for the page after this answer, or undefined on the last page. */
	nextPage?(answer: IDataObject, request: CallRequest): CallRequest | undefined;
	/** At most this many items (Limit), or undefined for every page (Return All). */
	limit?(p: ResolvedParameters): number | undefined;
}

/**
 * A call whose answer is a file (Media → Download): its one output item is the input item with the
 * file added to its binary data, the way n8n's own download operations give it. `fieldLabels.url`
 * is the field the link is in, which a failed download names.
 */
export interface FileCallOperation extends CallBase {
	answer: 'file';
	/** Pure: resolved parameters in, the file to fetch out. */
	build(p: ResolvedParameters, account: KaleyraAccount): FileRequest;
}

export type CallOperation = ApiCallOperation | FileCallOperation;

/**
 * An operation that runs the whole execution itself (Send and Wait: send, then wait for the
 * answer), given the account the node read; it returns the node's output.
 */
export interface ExecuteOperation extends OperationBase {
	kind: 'execute';
	execute(ctx: IExecuteFunctions, account: KaleyraAccount): Promise<INodeExecutionData[][]>;
}

export type KaleyraOperation = SendOperation | CallOperation | ExecuteOperation;

/** A resource of the node (Message, Media, …) and its operations, in the order the UI lists them. */
export interface KaleyraResource {
	value: string;
	name: string;
	operations: KaleyraOperation[];
}
