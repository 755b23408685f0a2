import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { clip } from '../../../shared/checks';
import { describeFailure } from '../../../shared/errors';
import type { KaleyraAccount, KaleyraContext } from '../../../shared/transport';
import { TRANSPORT, callKaleyra, getAccount } from '../../../shared/transport';
import type { TemplateDefinition } from './variables';
import { editorLabel, templateVariables, toolVariable } from './variables';

/**
 * A template as the node reads it (Meta's shape). Checked, since the variables are read from it:
 * a `components` of 5 or [null] would otherwise surface as a raw TypeError, or let an item through
 * without its checks. Fields the node does not read pass through unchecked.
 */
const templateSchema = z
	.object({
		name: z.string(),
		language: z.string(),
		status: z.string().optional(),
		category: z.string().optional(),
		parameter_format: z.string().optional(),
		components: z
			.array(
				z
					.object({
						type: z.string().optional(),
						format: z.string().optional(),
						text: z.string().optional(),
						example: z.record(z.unknown()).optional(),
						buttons: z
							.array(
								z
									.object({
										type: z.string().optional(),
										text: z.string().optional(),
										url: z.string().optional(),
										example: z.unknown(),
										otp_type: z.string().optional(),
									})
									.passthrough(),
							)
							.optional(),
					})
					.passthrough(),
			)
			.optional(),
	})
	.passthrough();

/** A page of the listing as Kaleyra returns it; its templates are checked one by one. */
const pageSchema = z
	.object({
		data: z.array(z.unknown()).optional(),
		paging: z
			.object({ cursors: z.object({ after: z.string().optional() }).passthrough().optional() })
			.passthrough()
			.optional(),
	})
	.passthrough();

function firstIssue(error: z.ZodError): string {
	const issue = error.issues[0];
	return issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`;
}

const UNREADABLE_HINT =
	'Check the template in Kaleyra (or Meta\'s WhatsApp Manager), or set Variables to "Parameter List" and enter them by hand.';

export type Listing =
	| { ok: true; templates: TemplateDefinition[]; after?: string }
	| { ok: false; message: string; description: string };

const NO_WABA_ID =
	'The credential has no WABA ID, so the templates cannot be listed. Open the Kaleyra WhatsApp API credential and enter the WhatsApp Business Account ID (Kaleyra console → Channels → WhatsApp → Manage → WABA ID), or choose "By Name" and type the template name.';

/** One page of the account's templates, approved only unless `allStatuses`. */
export async function listTemplates(
	ctx: KaleyraContext,
	account: KaleyraAccount,
	query: { name?: string; after?: string; allStatuses?: boolean; limit?: number },
	sharedDeadline?: AbortSignal,
): Promise<Listing> {
	if (account.wabaId === '')
		return { ok: false, message: 'No WABA ID in the credential', description: NO_WABA_ID };
	const result = await callKaleyra(ctx, account, {
		method: 'GET',
		path: ['v2', account.sid, 'whatsapp', account.wabaId, 'message_templates'],
		query: {
			limit: query.limit ?? 100,
			...(query.allStatuses === true ? {} : { status: 'APPROVED' }),
			...(query.name !== undefined && query.name !== '' ? { name: query.name } : {}),
			...(query.after !== undefined ? { after: query.after } : {}),
		},
		sharedDeadline,
	});
	if (!result.ok) return { ok: false, ...describeFailure(result.failure) };
	return readListingPage(result.body);
}

/**
 * A page of Kaleyra's template listing, read: its templates (each checked, as their variables are
 * read from them) and the cursor of the next page; or what the node cannot read in it.
 */
export function readListingPage(body: unknown): Listing {
	const page = pageSchema.safeParse(body);
	if (!page.success)
		return {
			ok: false,
			message: `Kaleyra's template listing is not a page the node can read: ${firstIssue(page.error)}`,
			description: UNREADABLE_HINT,
		};
	const templates: TemplateDefinition[] = [];
	// An entry without a name cannot be picked or sent, so it is left out as before.
	for (const entry of page.data.data ?? []) {
		const name = (entry as { name?: unknown } | null)?.name;
		if (typeof name !== 'string') continue;
		const template = templateSchema.safeParse(entry);
		if (!template.success)
			return {
				ok: false,
				message: `Kaleyra's template listing has a template "${clip(name)}" the node cannot read: ${firstIssue(template.error)}`,
				description: UNREADABLE_HINT,
			};
		templates.push(template.data as TemplateDefinition);
	}
	return { ok: true, templates, after: page.data.paging?.cursors?.after };
}

/** The value a template picked from the list stores: name and language, as `name|language`. */
export function pickedTemplate(value: string): { name: string; language: string } {
	const [name, language = ''] = value.split('|');
	return { name: name.trim(), language: language.trim() };
}

/**
 * The definition of one template, following the listing's pages (a name filter keeps it to one
 * or two). Undefined when the listing has no such template in that language.
 */
export async function findTemplate(
	ctx: KaleyraContext,
	account: KaleyraAccount,
	name: string,
	language: string,
): Promise<
	| { ok: true; definition?: TemplateDefinition }
	| { ok: false; message: string; description: string }
> {
	let after: string | undefined;
	// One deadline for all the pages: 20 slow pages at the per-request deadline would hold the run ten minutes.
	const deadline = AbortSignal.timeout(TRANSPORT.lookupTimeoutMs);
	for (let page = 0; page < 20; page++) {
		const listing = await listTemplates(ctx, account, { name, after, allStatuses: true }, deadline);
		if (!listing.ok) return listing;
		const definition = listing.templates.find(
			(t) => t.name === name && (language === '' || t.language === language),
		);
		if (definition !== undefined || listing.after === undefined) return { ok: true, definition };
		after = listing.after;
	}
	return { ok: true, definition: undefined };
}

function failInEditor(
	ctx: ILoadOptionsFunctions,
	failure: { message: string; description: string },
): never {
	throw new NodeOperationError(ctx.getNode(), failure.message, {
		description: failure.description,
	});
}

/** "Template → From List": the approved templates, filtered by what the builder types. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const account = await getAccount(this);
	const listing = await listTemplates(this, account, { after: paginationToken });
	if (!listing.ok) failInEditor(this, listing);
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = listing.templates
		.filter((t) => wanted === '' || t.name.toLowerCase().includes(wanted))
		.map((t) => ({
			name: `${t.name} (${t.language}${t.category ? `, ${t.category.toLowerCase()}` : ''})`,
			value: `${t.name}|${t.language}`,
		}));
	return { results, paginationToken: listing.after };
}

/** The template the node's Template and Language fields point at, as the editor holds them. */
function currentTemplate(ctx: ILoadOptionsFunctions): { name: string; language: string } {
	const locator = ctx.getCurrentNodeParameter('template', { extractValue: true }) as
		string | undefined;
	const mode = (ctx.getCurrentNodeParameter('template') as { mode?: string } | undefined)?.mode;
	const language = String(ctx.getCurrentNodeParameter('language') ?? '').trim();
	if (mode === 'list') {
		const picked = pickedTemplate(String(locator ?? ''));
		return { name: picked.name, language: language || picked.language };
	}
	return { name: String(locator ?? '').trim(), language };
}

/** The comment n8n's editor puts before a `$fromAI` it wrote, by which it shows the field as "defined by the model". */
const FROM_AI_MARK = '/*n8n-auto-generated-fromAI-override*/';

/**
 * A description as n8n's editor writes it into `$fromAI`: between backticks. Its own parser reads
 * a \" back as \ (a JSON-quoted description showed `\order_shipped\`), so the text is kept free
 * of what would need escaping: backslashes, backticks and `${`.
 */
function fromAiText(text: string): string {
	return `\`${text.replace(/\\/g, '/').replace(/`/g, "'").replace(/\$\{/g, '$ {')}\``;
}

/**
 * The variable field (node version 1.2) naming the item's binary field whose file becomes a media
 * header, instead of its link or media ID. A dash, so that no template variable's key is the same.
 */
export const HEADER_FILE_FIELD = 'header-file';

/** "Variables": one field per variable of the picked template, labelled with the template's own words. */
export async function getTemplateVariables(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const { name, language } = currentTemplate(this);
	if (name === '')
		return {
			fields: [],
			emptyFieldsNotice: 'Pick a template first; its variables then appear here.',
		};
	// "Defined by the model" (tool mode) or any expression: known only when the step runs.
	if (name.startsWith('=') || language.startsWith('='))
		return {
			fields: [],
			emptyFieldsNotice:
				'The template or its language comes from an expression, so its variables cannot be listed here. Pick or type the template, or set Variables to "Components (JSON)".',
		};
	const tool = this.getNode().type.endsWith('Tool');
	const account = await getAccount(this);
	const found = await findTemplate(this, account, name, language);
	if (!found.ok) failInEditor(this, found);
	if (found.definition === undefined)
		return {
			fields: [],
			emptyFieldsNotice: `The listing has no template "${clip(name)}"${language === '' ? '' : ` in ${clip(language)}`}. Check the name and language, or set Variables to "Parameter List" and enter them by hand.`,
		};
	const definition = found.definition;
	const fields: ResourceMapperField[] = templateVariables(definition).map((variable) => {
		const field: ResourceMapperField = {
			id: variable.key,
			displayName: editorLabel(definition, variable),
			required: variable.required,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: variable.kind === 'location' ? 'object' : 'string',
		};
		if (!tool) return field;
		// As an agent's tool every variable starts "defined by the model", under a readable key and
		// with the template's words as its description (n8n's own override would leave it empty).
		const { label, key, description } = toolVariable(definition, variable);
		const type = variable.kind === 'location' ? 'json' : 'string';
		return {
			...field,
			displayName: label,
			defaultValue: `={{ ${FROM_AI_MARK} $fromAI('${key}', ${fromAiText(description)}, '${type}') }}`,
		};
	});
	const media = templateVariables(definition).find(
		(variable) => variable.key === 'header_media' && variable.kind !== 'location',
	);
	if (media !== undefined && this.getNode().typeVersion >= 1.2)
		fields.push({
			id: HEADER_FILE_FIELD,
			// Within the label room editorLabel keeps; the field above names the header's kind.
			displayName: 'Header file: binary field',
			required: false,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: 'string',
		});
	if (fields.length === 0)
		return {
			fields,
			emptyFieldsNotice: `Template "${name}" has no variables: it is sent as it is.`,
		};
	return { fields };
}
