/** Types for sandbox/index.js (plain CommonJS), so TypeScript tests and drivers can import it. */

export interface SandboxAccount {
	sid: string;
	apiKey: string;
	/** Business numbers of the account, E.164 with or without the leading +. */
	numbers: string[];
	/** Postpaid accounts may upload media; others get 401 WA-401. */
	postpaid?: boolean;
	/** The WhatsApp Business Account ID whose templates `GET /v2/<SID>/whatsapp/<waba_id>/message_templates` lists. */
	wabaId?: string;
}

/** A message template in Meta's shape (what Kaleyra's listing returns). */
export interface SandboxTemplate {
	id?: string;
	name: string;
	language: string;
	/** Default APPROVED; anything else is refused at send time with WA401. */
	status?: string;
	category?: string;
	/** Derived from the variables when absent: NAMED when any is not a number. */
	parameter_format?: 'POSITIONAL' | 'NAMED';
	components: Array<Record<string, unknown>>;
}

export interface SandboxOptions {
	/** 0 (the default) picks a free port. */
	port?: number;
	/** A loopback address only: 127.0.0.0/8, ::1 or localhost. Default 127.0.0.1. */
	host?: string;
	/** Default: [DEFAULT_ACCOUNT]. */
	accounts?: SandboxAccount[];
	/** The templates every account's WABA lists and template sends are checked against. Default: the seeded set. */
	templates?: SandboxTemplate[];
	/** One line per request: method, path, status or fault outcome. */
	log?: (line: string) => void;
	/** Called with each accepted message, after it is added to `messages`. */
	onMessage?: (message: AcceptedMessage) => void;
	/** Meta's throughput per business number: at most this many messages accepted in any sliding second, above it HTTP 429 with code 130429. Default: off. */
	metaPerSecond?: number;
	/** Where the sandbox posts Kaleyra's callbacks (the customer's messages, statuses); see customer.js. */
	callbacks?: CallbackSettings;
}

/** A number's Incoming URL and callback profile, as the sandbox plays them. */
export interface CallbackSettings {
	/** An http:// loopback URL, e.g. the trigger's production URL http://localhost:5678/webhook/<id>/kaleyra. */
	url?: string | null;
	/** The profile's custom headers: { name: value } or ["Name: value"]. */
	headers?: Record<string, string> | string[];
	/** "user:password", sent as Basic auth. */
	basicAuth?: string;
	/** Post sent → delivered → read after each accepted send. Default false. */
	statuses?: boolean;
	/** Post Kaleyra's template status callback when reviewTemplate (or POST /__sandbox/template-status) changes a template. Default false. */
	templateStatuses?: boolean;
	/** Customers whose 24-hour window is closed: their non-template sends get failed 131047 instead. */
	outsideWindow?: string[];
	/** Pause before each status, in ms. Default 200. */
	delayMs?: number;
}

export type CustomerMessageKind =
	| 'text'
	| 'image'
	| 'video'
	| 'audio'
	| 'document'
	| 'sticker'
	| 'button'
	| 'list'
	| 'reaction'
	| 'location'
	| 'flow';

/** What the customer sends; everything but `kind` has a default (from: +919812345678, Asha). */
export interface CustomerMessage {
	kind?: CustomerMessageKind;
	/** Default: the account's first number. */
	businessNumber?: string;
	from?: string;
	name?: string;
	messageId?: string;
	/** Post here instead of the configured URL. */
	url?: string;
	text?: string;
	caption?: string;
	mimeType?: string;
	mediaUrl?: string;
	/** A document's own file name (WhatsApp's document.filename). */
	fileName?: string;
	/**
	 * The file itself (image, video, audio, document, sticker): the sandbox keeps it and points the
	 * callback's media_url at its own copy, served to the account's api-key.
	 */
	file?: { data: Buffer | string; mimeType?: string; fileName?: string };
	buttonId?: string;
	buttonTitle?: string;
	listId?: string;
	listTitle?: string;
	description?: string;
	/**
	 * The message a button, list or Flow answers (becomes context.id). A Flow answer to a Flow
	 * message the sandbox accepted comes from its recipient, with its flow_token.
	 */
	question?: string;
	/** flow: what the customer filled in (WhatsApp's response_json, flow_token added). */
	response?: Record<string, unknown>;
	/** flow: response_json exactly as given, instead of response (an answer that does not parse). */
	responseJson?: string;
	/** flow: the token, instead of the Flow message's. */
	flowToken?: string;
	/** flow: nfm_reply.name (default "flow"). */
	flowName?: string;
	/** The message quoted by the customer. */
	replyTo?: string;
	/** reaction: the message reacted to (required). */
	reactTo?: string;
	emoji?: string;
	latitude?: number;
	longitude?: number;
	locationName?: string;
	ref?: string;
}

export interface PostedCallback {
	/** "incoming text", "status delivered", … */
	kind: string;
	url: string | null;
	payload: any;
	/** The receiver's HTTP status; null when the post failed (see `error`). */
	status: number | null;
	answer: unknown;
	error: string | null;
	postedAt: string;
}

export interface AcceptedMessage {
	/** v2: a wamid-like id; v1: "<uuid>:0". */
	messageId: string;
	api: 'v2' | 'v1';
	sid: string;
	/** E.164 with the leading +. */
	businessNumber: string;
	/** As sent (v2 may be a comma list); null for a v2 mark-as-read. */
	to: string | null;
	/** The messaging_object type ('text' when omitted), 'read' for mark-as-read, 'reply' for v1. */
	type: string;
	/** v2: the parsed JSON body, extra_info.ref/ref1/ref2 cut to 255 characters. v1: the form fields, `action` parsed. */
	payload: any;
	/** ISO time the request arrived. */
	receivedAt: string;
}

export interface RecordedRequest {
	method: string;
	/** Path with query string, as sent. */
	path: string;
	/** Lower-cased header names; api-key and authorization are "REDACTED". */
	headers: Record<string, string | string[] | undefined>;
	/** The body as UTF-8 text, or "<n bytes of binary data>". */
	body: string;
	/** null while unanswered and for reset/hang faults. */
	status: number | null;
	/** The kind of fault applied to this request, or null. */
	fault: FaultKind | null;
	receivedAt: string;
}

export interface MediaUpload {
	mediaId: string;
	sid: string;
	businessNumber: string;
	/** The multipart `type` field. */
	mimeType: string;
	/** The media kind that MIME type is (image, video, audio, document, sticker). */
	kind: 'image' | 'video' | 'audio' | 'document' | 'sticker';
	filename: string;
	/** The Content-Type of the `file` part itself. */
	partContentType: string;
	/** Bytes received. */
	size: number;
	/** SHA-256 of the bytes, hex: compare with the file that was meant to be uploaded. */
	sha256: string;
	receivedAt: string;
}

export type FaultKind = 'latency' | 'status' | 'reset' | 'hang' | 'html' | 'empty';

export interface FaultSpec {
	/**
	 * Which requests the fault applies to (all when omitted). `method` compares case-insensitively;
	 * a string `path` matches when it is a substring of the request path (with query) or, read as a
	 * RegExp source, matches it; a RegExp is tested as is.
	 */
	match?: { method?: string; path?: string | RegExp };
	/** How many matching requests it applies to. Default 1. */
	times?: number;
	kind: FaultKind;
	/** latency: how long to wait before handling the request normally. */
	ms?: number;
	/** status: required; html: default 502; empty: default 200. */
	status?: number;
	/** Sent as the Retry-After header of a status fault. */
	retryAfter?: number | string;
	/** status: the body to send (object → JSON, string → text/plain); default a Kaleyra-like JSON. */
	body?: unknown;
}

export interface Sandbox {
	/** e.g. http://127.0.0.1:41234 */
	url: string;
	host: string;
	port: number;
	/** The accounts served, without their keys; numbers in E.164 with +. */
	accounts: Array<{ sid: string; numbers: string[]; postpaid: boolean; wabaId?: string }>;
	messages: AcceptedMessage[];
	templates: Array<Required<SandboxTemplate>>;
	/** Adds (or replaces, by name and language) templates; returns how many. */
	addTemplates(templates: SandboxTemplate | SandboxTemplate[]): number;
	requests: RecordedRequest[];
	uploads: MediaUpload[];
	/** Every callback posted, in order; headers are not recorded (they hold the secret). */
	callbacks: PostedCallback[];
	/** Changes where callbacks go and what follows a send; unnamed settings stay. */
	configureCallbacks(settings: CallbackSettings): void;
	/**
	 * Meta's review, played: every template of that name (and language, when given) gets `status`
	 * (upper-cased). With callbacks' templateStatuses on, each change is posted as Kaleyra's template
	 * status callback (`reason` in it; "NONE" for an approval without one); resolves once answered.
	 */
	reviewTemplate(review: {
		name: string;
		language?: string;
		status: string;
		reason?: string;
	}): Promise<{ changed: number; posted: PostedCallback[] }>;
	/** The customer writes: posts the incoming callback; resolves once the receiver answered. */
	customer(message?: CustomerMessage): Promise<PostedCallback & { messageId: string }>;
	fault(spec: FaultSpec | FaultSpec[]): void;
	clearFaults(): void;
	/** Pending faults, with the times left. */
	pendingFaults(): Array<Omit<FaultSpec, 'times'> & { times: number | 'Infinity' }>;
	/** Requests open right now (admin ones aside), and the most open at once since the start or the last `reset()`. */
	inFlight(): { now: number; max: number };
	/** Sets Meta's per-number window (see SandboxOptions.metaPerSecond); undefined turns it off. */
	metaWindow(perSecond: number | undefined): void;
	/** Requests Meta's window refused since the start or the last `reset()`. */
	metaThrottles(): number;
	/** Clears messages, requests, uploads, faults, the callback record and the in-flight maximum. */
	reset(): void;
	/** Stops listening and ends every open connection, hanging ones included. */
	close(): Promise<void>;
}

export declare const DEFAULT_ACCOUNT: Readonly<SandboxAccount>;
export declare function startSandbox(options?: SandboxOptions): Promise<Sandbox>;
export declare function isLoopback(host: string): boolean;
