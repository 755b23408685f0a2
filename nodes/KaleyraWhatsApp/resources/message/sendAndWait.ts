import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError, SEND_AND_WAIT_OPERATION, WAIT_INDEFINITELY } from 'n8n-workflow';
import { z } from 'zod';

import {
	ANSWER_QUERY as Q,
	ANSWER_RECORDED,
	BUTTON_ID_MAX,
	answerId,
} from '../../../shared/answers';
import { sendOnce } from '../../shared/acceptedLedger';
import { choicePage, notePage, textPage } from '../../shared/answerPages';
import { leaf, text, validateRequest } from '../../shared/checks';
import { toNodeApiError } from '../../shared/errors';
import { failedItem, failureJson, failureOutput } from '../../shared/items';
import type { Refused } from '../../shared/parameters';
import { refused, resolveParameters } from '../../shared/parameters';
import { sendMessage } from '../../shared/send';
import type { KaleyraAccount } from '../../shared/transport';
import type {
	ExecuteOperation,
	KaleyraRequest,
	ResolvedParameters,
	SendOperation,
	ValidationIssue,
} from '../../shared/types';
import { RUN_SETTING_LIMITS, addressProperties, messageOptions, str, toE164 } from './fields';
import {
	MEDIA_AND_TEXT_HEADERS,
	footerProperty,
	headerProperties,
	interactiveBody,
	interactiveLabels,
	interactiveMessage,
	interactiveSchema,
} from './interactive';
import { buttonsSchema } from './sendReplyButtons';

/**
 * Message → Send and Wait for Reply: sends each item's question, puts the execution to wait, and
 * continues with the answers. n8n resumes it through the node's own webhook (below) when a signed
 * resume URL is called: by the Kaleyra WhatsApp Trigger for a reply-button tap (the button ID
 * carries the URL, see nodes/shared/answers.ts), or by the link's form. The operation value is
 * n8n's own, which is what makes n8n check the URL's signature before the webhook runs.
 */

type ResponseType = 'approval' | 'choice' | 'freeText';
const TYPE_CODES: Record<ResponseType, string> = { approval: 'a', choice: 'c', freeText: 'f' };
const TYPES_BY_CODE: Record<string, ResponseType> = { a: 'approval', c: 'choice', f: 'freeText' };

/** WhatsApp's longest button label (reply buttons and the link button alike). */
const LABEL_MAX = 20;
/** The longest Free Text answer kept. */
const FREE_TEXT_MAX = 4096;

const UNIT_MS: Record<string, number> = {
	seconds: 1_000,
	minutes: 60_000,
	hours: 3_600_000,
	days: 86_400_000,
};

/**
 * The header fields of the interactive sends, without Binary Data: the question is one message per
 * item, sent here, and a header file is better given by link or media ID.
 */
const headerFields = headerProperties(true).map((property) =>
	property.name === 'headerMediaSource'
		? {
				...property,
				options: property.options?.filter(
					(option) => 'value' in option && option.value !== 'binary',
				),
			}
		: property,
);

const showFor = (show: IDataObject) =>
	({ displayOptions: { show } }) as Pick<INodeProperties, 'displayOptions'>;

const options = messageOptions(true);
const referenceOptions: INodeProperties = {
	...options,
	options: options.options?.filter((option) => !(option.name in RUN_SETTING_LIMITS)),
};

const linkLabel = (show: IDataObject): INodeProperties => ({
	displayName: 'Link Button Label',
	name: 'linkLabel',
	type: 'string',
	default: 'Answer',
	description: 'The text on the link button that opens the answer page, up to 20 characters',
	...showFor(show),
});

const properties: INodeProperties[] = [
	...addressProperties,
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		noDataExpression: true,
		default: 'approval',
		options: [
			{ name: 'Approval', value: 'approval', description: 'Approve, and optionally Decline' },
			{ name: 'Choice', value: 'choice', description: 'Up to 3 answers, each with its own value' },
			{
				name: 'Free Text',
				value: 'freeText',
				description: 'The customer types the answer in a small page n8n serves (a link button)',
			},
		],
	},
	{
		displayName: 'Answer By',
		name: 'answerBy',
		type: 'options',
		noDataExpression: true,
		default: 'buttons',
		options: [
			{
				name: 'Reply Buttons',
				value: 'buttons',
				description:
					"Native WhatsApp buttons. A tap reaches your number's callback URL: a Kaleyra WhatsApp Trigger published on this n8n hands it to this execution.",
			},
			{
				name: 'Link',
				value: 'link',
				description:
					'One link button to a page n8n serves with the answers, for a number whose callbacks do not reach a trigger on this n8n',
			},
		],
		...showFor({ responseType: ['approval', 'choice'] }),
	},
	interactiveBody,
	{
		displayName: 'Approve Label',
		name: 'approveLabel',
		type: 'string',
		default: 'Approve',
		description: 'The text on the Approve button, up to 20 characters',
		...showFor({ responseType: ['approval'] }),
	},
	{
		displayName: 'Offer Decline',
		name: 'offerDecline',
		type: 'boolean',
		default: true,
		description: 'Whether there is a Decline button next to Approve',
		...showFor({ responseType: ['approval'] }),
	},
	{
		displayName: 'Decline Label',
		name: 'declineLabel',
		type: 'string',
		default: 'Decline',
		description: 'The text on the Decline button, up to 20 characters',
		...showFor({ responseType: ['approval'], offerDecline: [true] }),
	},
	{
		displayName: 'Choices',
		name: 'choices',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true, maxAllowedFields: 3 },
		default: {
			choice: [
				{ label: 'Yes', value: 'yes' },
				{ label: 'No', value: 'no' },
			],
		},
		placeholder: 'Add Choice',
		hint: 'At most 3; labels up to 20 characters, all different',
		options: [
			{
				displayName: 'Choice',
				name: 'choice',
				values: [
					{
						displayName: 'Label',
						name: 'label',
						type: 'string',
						default: '',
						description: 'The text on the button, up to 20 characters',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							'What the next node receives as "value" (empty: the label). Keep it short, e.g. an ID: a reply button carries it, in at most 256 characters with the signed resume link.',
					},
				],
			},
		],
		...showFor({ responseType: ['choice'] }),
	},
	linkLabel({ responseType: ['approval', 'choice'], answerBy: ['link'] }),
	linkLabel({ responseType: ['freeText'] }),
	footerProperty,
	...headerFields,
	{
		displayName: 'Limit Wait Time',
		name: 'limitWaitTime',
		type: 'boolean',
		default: false,
		description:
			'Whether the execution continues without an answer after a while: then every unanswered item comes out with timedOut true, and a later tap resumes nothing',
	},
	{
		displayName: 'Limit Type',
		name: 'limitType',
		type: 'options',
		default: 'afterTimeInterval',
		options: [
			{ name: 'After Time Interval', value: 'afterTimeInterval' },
			{ name: 'At Specified Time', value: 'atSpecifiedTime' },
		],
		...showFor({ limitWaitTime: [true] }),
	},
	{
		displayName: 'Amount',
		name: 'resumeAmount',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		description: 'How long to wait for the answer',
		...showFor({ limitWaitTime: [true], limitType: ['afterTimeInterval'] }),
	},
	{
		displayName: 'Unit',
		name: 'resumeUnit',
		type: 'options',
		default: 'hours',
		options: [
			{ name: 'Seconds', value: 'seconds' },
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
		],
		...showFor({ limitWaitTime: [true], limitType: ['afterTimeInterval'] }),
	},
	{
		displayName: 'Max Date and Time',
		name: 'maxDateAndTime',
		type: 'dateTime',
		default: '',
		description: 'When to continue without an answer',
		...showFor({ limitWaitTime: [true], limitType: ['atSpecifiedTime'] }),
	},
	referenceOptions,
];

/** The answers a question offers: Approval's two (or one), or the builder's choices. */
interface Answer {
	value: string;
	label: string;
	/** The field the label comes from, as the node shows it. */
	field: string;
}

function answersOf(p: ResolvedParameters, type: ResponseType): Answer[] {
	if (type === 'approval') {
		const answers = [
			{ value: 'approve', label: str(p.approveLabel).trim(), field: 'Approve Label' },
		];
		if (p.offerDecline !== false && p.offerDecline !== 'false')
			answers.push({ value: 'decline', label: str(p.declineLabel).trim(), field: 'Decline Label' });
		return answers;
	}
	if (type === 'freeText') return [];
	const choices = ((p.choices ?? {}) as { choice?: IDataObject[] }).choice ?? [];
	return choices.map((choice, index) => {
		const label = str(choice.label).trim();
		const value = str(choice.value).trim();
		return { value: value === '' ? label : value, label, field: `Choice ${index + 1} → Label` };
	});
}

function answerIssues(type: ResponseType, answers: Answer[]): ValidationIssue[] {
	if (type === 'freeText') return [];
	const issues: ValidationIssue[] = [];
	if (type === 'choice' && (answers.length < 1 || answers.length > 3))
		issues.push({
			field: 'Choices',
			message: `WhatsApp allows 1 to 3 reply buttons; this question has ${answers.length}. ${answers.length > 3 ? 'Remove' : 'Add'} choices.`,
		});
	const seen = new Set<string>();
	for (const answer of answers) {
		const problem = text(LABEL_MAX, 'the text on the button')(answer.label);
		if (problem !== undefined) issues.push({ field: answer.field, message: problem });
		else if (seen.has(answer.label.toLowerCase()))
			issues.push({
				field: answer.field,
				message: `"${answer.label}" is the label of another button too. WhatsApp needs different labels.`,
			});
		seen.add(answer.label.toLowerCase());
	}
	return issues;
}

/** The checks of the sent message: the interactive sends' own (body, header, footer, buttons). */
const buttonsCheck: Pick<SendOperation, 'schema' | 'fieldLabels' | 'properties'> = {
	schema: interactiveSchema(MEDIA_AND_TEXT_HEADERS, z.object({ buttons: buttonsSchema })),
	fieldLabels: interactiveLabels,
	properties,
};
const linkCheck: Pick<SendOperation, 'schema' | 'fieldLabels' | 'properties'> = {
	properties,
	schema: interactiveSchema(
		MEDIA_AND_TEXT_HEADERS,
		z.object({
			parameters: z.object({ display_text: leaf(text(LABEL_MAX, 'the text on the link button')) }),
		}),
	),
	fieldLabels: {
		...interactiveLabels,
		'body.messaging_object.interactive.action.parameters.display_text': 'Link Button Label',
	},
};

type Question = { request: KaleyraRequest; type: ResponseType };

/**
 * One item's question, built and checked; nothing is sent. Each answer gets its own signed resume
 * URL: the reply buttons carry it in their IDs, the link button opens it.
 */
function prepareQuestion(
	ctx: IExecuteFunctions,
	type: ResponseType,
	item: number,
): Question | Refused {
	const resolved = resolveParameters(ctx, properties, item);
	if ('issues' in resolved) return refused(ctx, item, resolved.issues);
	const { p } = resolved;
	const answers = answersOf(p, type);
	const issues = answerIssues(type, answers);
	if (issues.length > 0) return refused(ctx, item, issues);
	const byButtons = type !== 'freeText' && str(p.answerBy) !== 'link';
	const common = { [Q.item]: String(item), [Q.type]: TYPE_CODES[type] };
	let request: KaleyraRequest;
	if (byButtons) {
		const to = toE164(p.recipient).replace(/^\+/, '');
		const buttons = answers.map((answer) => ({
			type: 'reply',
			reply: {
				id: answerId(
					ctx.getSignedResumeUrl({
						...common,
						[Q.by]: 'b',
						[Q.to]: to,
						[Q.value]: answer.value,
						...(type === 'choice' ? { [Q.label]: answer.label } : {}),
					}),
				),
				title: answer.label,
			},
		}));
		const long = buttons.findIndex((button) => button.reply.id.length > BUTTON_ID_MAX);
		if (long !== -1)
			return refused(ctx, item, [
				{
					field: type === 'choice' ? `Choice ${long + 1} → Value` : answers[long].field,
					message: `the button's ID (the signed resume link with this answer) would have ${buttons[long].reply.id.length} characters; WhatsApp allows ${BUTTON_ID_MAX}. Use a shorter value, e.g. an ID.`,
				},
			]);
		request = interactiveMessage(p, 'button', { buttons });
	} else {
		const url = ctx.getSignedResumeUrl({
			...common,
			[Q.by]: 'l',
			...(type === 'freeText'
				? {}
				: { [Q.options]: JSON.stringify(answers.map(({ value, label }) => [value, label])) }),
		});
		request = interactiveMessage(p, 'cta_url', {
			name: 'cta_url',
			parameters: { display_text: str(p.linkLabel).trim(), url },
		});
	}
	const problems = validateRequest(byButtons ? buttonsCheck : linkCheck, request);
	return problems.length > 0 ? refused(ctx, item, problems) : { request, type };
}

/** An item's answer fields, in the order the output lists them. */
function answerJson(
	type: ResponseType,
	answer: { value?: string | null; label?: string | null; text?: string | null },
	rest: {
		answered: boolean;
		from: string | null;
		answeredAt: string | null;
		messageId: unknown;
		timedOut: boolean;
	},
): IDataObject {
	const given =
		type === 'approval'
			? {
					approved:
						answer.value === undefined || answer.value === null ? null : answer.value === 'approve',
				}
			: type === 'choice'
				? { value: answer.value ?? null, label: answer.label ?? null }
				: { text: answer.text ?? null };
	return {
		answered: rest.answered,
		...given,
		from: rest.from,
		answeredAt: rest.answeredAt,
		messageId: rest.messageId ?? null,
		timedOut: rest.timedOut,
	};
}

/** When the execution continues without an answer (Limit Wait Time), read once for the run. */
function waitTillOf(ctx: IExecuteFunctions): Date | NodeOperationError {
	const problem = (field: string, message: string) =>
		new NodeOperationError(ctx.getNode(), `Limit Wait Time → ${field}: ${message}`, {
			description: 'It holds for the whole run (read from the first item), so nothing was sent.',
		});
	if (ctx.getNodeParameter('limitWaitTime', 0, false) !== true) return WAIT_INDEFINITELY;
	if (ctx.getNodeParameter('limitType', 0, 'afterTimeInterval') === 'atSpecifiedTime') {
		const raw = ctx.getNodeParameter('maxDateAndTime', 0, '') as unknown;
		const date = new Date(String(raw));
		return Number.isNaN(date.getTime()) || str(raw).trim() === ''
			? problem(
					'Max Date and Time',
					`"${str(raw)}" is not a date and time. Enter one such as 2026-06-01T18:00:00.`,
				)
			: date;
	}
	const amount = Number(ctx.getNodeParameter('resumeAmount', 0, 1));
	const unit = String(ctx.getNodeParameter('resumeUnit', 0, 'hours'));
	if (!Number.isFinite(amount) || amount <= 0)
		return problem('Amount', 'expected a number above 0. Enter how long to wait for the answer.');
	return new Date(Date.now() + amount * (UNIT_MS[unit] ?? UNIT_MS.hours));
}

async function askAndWait(
	ctx: IExecuteFunctions,
	account: KaleyraAccount,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const waitTill = waitTillOf(ctx);
	if (waitTill instanceof NodeOperationError) {
		if (!continueOnFail) throw waitTill;
		const json = failureJson(waitTill, {
			code: 'INVALID_INPUT',
			field: 'Limit Wait Time',
			httpStatus: null,
			retryable: false,
			maybeSent: false,
		});
		return [items.map((_, item) => failureOutput(ctx, json, item))];
	}
	const type = ctx.getNodeParameter('responseType', 0, 'approval') as ResponseType;
	// Every item is checked before the first question goes out.
	const questions = items.map((_, item) => prepareQuestion(ctx, type, item));
	if (!continueOnFail) {
		const invalid = questions.find((question): question is Refused => 'error' in question);
		if (invalid !== undefined) throw invalid.error;
	}
	const held: INodeExecutionData[] = [];
	let asked = 0;
	for (let item = 0; item < items.length; item++) {
		const question = questions[item];
		if ('error' in question) {
			held.push(failureOutput(ctx, question.json, item));
			continue;
		}
		const result = await sendOnce(
			ctx,
			item,
			async () => await sendMessage(ctx, account, question.request),
		);
		if (result.ok) {
			asked++;
			const unanswered = { answered: false, from: null, answeredAt: null, timedOut: true };
			held.push({
				json: answerJson(type, {}, { ...unanswered, messageId: result.messageId }),
				pairedItem: { item },
			});
			continue;
		}
		const error = toNodeApiError(
			ctx.getNode(),
			result.failure,
			item,
			asked === 0
				? ''
				: `The questions of ${asked} earlier item(s) were sent; their answers will find no waiting execution.`,
		);
		if (!continueOnFail) throw error;
		held.push(failureOutput(ctx, failedItem(question.request, result.failure, error), item));
	}
	if (asked === 0) return [held];
	// On n8n 1.x the signed URLs are checked only once the node asks for it (2.x always checks).
	(ctx as { setSignatureValidationRequired?: () => void }).setSignatureValidationRequired?.();
	// n8n continues a waiting node without running it again: when the time limit passes it hands on
	// what it holds as the node's input, so that becomes the timed-out answers; the webhook reads
	// the same items (each question's message ID) when an answer comes.
	ctx.getExecuteData().data.main = [held];
	await ctx.putExecutionToWait(waitTill);
	return [held];
}

/** The items the waiting node holds (one per input item), as askAndWait left them. */
function heldItems(ctx: IWebhookFunctions): IDataObject[] {
	const held = ctx.evaluateExpression('{{ $input.all().map((item) => item.json) }}') as unknown;
	if (!Array.isArray(held))
		throw new NodeOperationError(
			ctx.getNode(),
			'The waiting execution holds no questions to answer',
		);
	return held as IDataObject[];
}

function sendPage(ctx: IWebhookFunctions, status: number, html: string): IWebhookResponseData {
	const response = ctx.getResponseObject();
	response.status(status);
	response.setHeader('Content-Type', 'text/html; charset=utf-8');
	response.send(html);
	return { noWebhookResponse: true };
}

/**
 * The node's webhook: n8n calls it for a signed resume URL of a waiting execution (it checked the
 * signature first), and the execution continues with what it returns as workflowData. A tap
 * (posted by the trigger) must come from the number asked; the link shows its page on GET and
 * records only a POST. Anything else answers without resuming, so the execution keeps waiting.
 */
export async function answerWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const query = this.getQueryData() as Record<string, string | undefined>;
	const method = this.getRequestObject().method;
	const type = TYPES_BY_CODE[query[Q.type] ?? ''];
	const item = Number(query[Q.item]);
	if (type === undefined || !Number.isInteger(item) || item < 0)
		return sendPage(this, 400, notePage('This link is not a question of this workflow.'));
	const body = (this.getBodyData() ?? {}) as IDataObject;
	let answer: { value?: string; label?: string; text?: string };
	let from: string | null = null;
	if (query[Q.by] === 'b') {
		if (method !== 'POST')
			return sendPage(this, 200, notePage('Answer with the buttons of the message in WhatsApp.'));
		const digits = str(body.from).replace(/\D/g, '');
		if (digits === '' || digits !== query[Q.to]) {
			this.getResponseObject()
				.status(403)
				.json({
					[ANSWER_RECORDED]: false,
					reason: 'The tap is not from the number that was asked.',
				});
			return { noWebhookResponse: true };
		}
		from = `+${digits}`;
		answer = { value: query[Q.value] ?? '', label: query[Q.label] };
	} else {
		let offered: Array<[string, string]> = [];
		try {
			offered =
				type === 'freeText'
					? []
					: (JSON.parse(query[Q.options] ?? '[]') as Array<[string, string]>);
		} catch {
			return sendPage(this, 400, notePage('This link is not a question of this workflow.'));
		}
		const buttonLabel = 'Send';
		if (method !== 'POST')
			return sendPage(
				this,
				200,
				type === 'freeText' ? textPage(buttonLabel) : choicePage(offered.map(([, label]) => label)),
			);
		if (type === 'freeText') {
			const written = str(body.text).trim();
			if (written === '' || written.length > FREE_TEXT_MAX)
				return sendPage(this, 400, textPage(buttonLabel));
			answer = { text: written };
		} else {
			const index = Number(body.answer);
			const picked = Number.isInteger(index) ? offered[index] : undefined;
			if (picked === undefined)
				return sendPage(this, 400, choicePage(offered.map(([, label]) => label)));
			answer = { value: picked[0], label: picked[1] };
		}
	}
	const held = heldItems(this);
	if (item >= held.length || held[item].answered !== false)
		return sendPage(this, 409, notePage('This question is not waiting for an answer.'));
	const answeredAt = new Date().toISOString();
	const output = held.map((json, index): INodeExecutionData => {
		if (index === item)
			return {
				json: answerJson(type, answer, {
					answered: true,
					from,
					answeredAt,
					messageId: json.messageId,
					timedOut: false,
				}),
				pairedItem: { item: index },
			};
		// Other questions resume unanswered (the first answer continues the execution); failures stay.
		return {
			json: json.answered === false ? { ...json, timedOut: false } : json,
			pairedItem: { item: index },
		};
	});
	return {
		webhookResponse:
			query[Q.by] === 'b'
				? { [ANSWER_RECORDED]: true }
				: notePage('Thank you, your answer was recorded. You can close this page.'),
		workflowData: [output],
	};
}

/**
 * The node's waiting webhooks (GET shows a page, POST answers), at the path getSignedResumeUrl
 * signs: the node's ID. n8n serves them only for an execution this node put to wait.
 */
export const answerWebhooks: IWebhookDescription[] = ['GET', 'POST'].map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

export const sendAndWait: ExecuteOperation = {
	kind: 'execute',
	value: SEND_AND_WAIT_OPERATION,
	name: 'Send and Wait for Reply',
	action: 'Send a question and wait for the reply',
	description:
		'Ask with reply buttons (Approve / Decline, or up to 3 choices) or a link to a small form, and continue the workflow with the answer',
	properties,
	execute: askAndWait,
};
