import type { IDataObject, IExecuteFunctions, INodeProperties, INodeType } from 'n8n-workflow';
import type { z } from 'zod';

import type { ValidationIssue } from './checks';
import type { KaleyraAccount } from './transport';

/** The parameters of one item, resolved from the node's fields (expressions already evaluated). */
export type ResolvedParameters = Record<string, unknown> & {
	businessNumber: string;
	recipient: string;
	options: MessageOptions;
};

export interface MessageOptions {
	ref?: string;
	ref1?: string;
	ref2?: string;
	waSource?: string;
}

/** What one item asks Kaleyra to do: a v2 JSON send or a v1 form send. */
interface RequestBase {
	type: string;
	/** The business number, E.164 (validated with the request). */
	from: string;
	to: string;
	refs: MessageOptions;
}

/**
 * What one item asks Kaleyra to do: a v2 JSON send, or a v1 form send whose fields are kept
 * structured (action as an object) until the transport encodes them, so they can be validated.
 */
export type KaleyraRequest =
	| (RequestBase & { api: 'v2'; body: IDataObject })
	| (RequestBase & { api: 'v1'; fields: Record<string, unknown> });

export interface KaleyraOperation {
	value: string;
	name: string;
	action: string;
	description: string;
	/** The UI fields of this operation only; the node shows them for this operation. */
	properties: INodeProperties[];
	/**
	 * Where each part of the request comes from, in the user's words: a zod issue at path
	 * `messaging_object.text.body` becomes an error about the "Body" field.
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
	lookup?(ctx: IExecuteFunctions, account: KaleyraAccount, p: ResolvedParameters, cache: Map<string, Promise<unknown>>): Promise<unknown>;
	/** Checks that need the parameters and the lookup, not only the request (a template's variables). */
	checkParameters?(p: ResolvedParameters, looked?: unknown): ValidationIssue[];
	/** Extra hints for Kaleyra codes that mean more for this operation (WA401 on a template send). */
	failureHints?: Record<string, string>;
	/** The editor's dynamic-field methods its fields name (a list search, a resource mapper); the node registers them. */
	methods?: INodeType['methods'];
	/**
	 * What Kaleyra accepts for this operation, checked on the built request before anything is
	 * sent: the `messaging_object` of a v2 send, the form fields of a v1 send. Required, so that no
	 * operation can be sent unchecked.
	 */
	schema: z.ZodTypeAny;
}

/** A resource of the node (Message, Media, …) and its operations, in the order the UI lists them. */
export interface KaleyraResource {
	value: string;
	name: string;
	operations: KaleyraOperation[];
}
