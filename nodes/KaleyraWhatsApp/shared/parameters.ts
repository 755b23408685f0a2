import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolvedValueIssues } from './checks';
import { failureJson } from './items';
import type { ResolvedParameters, ValidationIssue } from './types';

/** An item that is not sent: the node's error, and the json it becomes under On Error → Continue. */
export interface Refused {
	error: NodeOperationError;
	json: IDataObject;
}

/**
 * How a run reads its items' fields. n8n evaluates each expression on its own, and each evaluation
 * is a round trip into its expression engine (a sandboxed VM on n8n 2.x) that costs far more than
 * the node's own work: a campaign's check phase was mostly that. So the fields whose expressions
 * are each one `{{ … }}` and nothing else (what mapping by drag and drop writes) are evaluated
 * together, one evaluation per item giving a list of their values; one that only names an input
 * field (`{{ $json.phone }}`, the commonest) is read from the item without the engine, as
 * n8n's `$json` is that item's data. Everything else, and any item
 * whose joint evaluation fails or gives anything but plain values (text, numbers, true/false,
 * null), is read field by field as n8n would, so errors and results are n8n's own.
 */
interface FieldPlan {
	/** The one expression giving, per item, the values of the joined expressions that are not `direct`, in order. */
	joint: string | undefined;
	/** Properties read through the plan: their saved value, with the expressions' places. */
	joined: Map<string, { saved: unknown; places: Array<Array<string | number>> }>;
	/** Per joined expression in order: the input field it names when it is only that (`$json.phone`), read without the engine. */
	direct: Array<string[] | undefined>;
	expressions: number;
	/** The node's input items, for the direct reads (`$json` is the item at the same index). */
	input: Array<{ json: IDataObject }>;
}

const WHOLE_EXPRESSION = /^=\{\{([\s\S]*)\}\}$/;
/** `$json.a`, `$json.a.b`, `$json["a b"]`, `$json.list[0]`: an input field and nothing else. */
const INPUT_FIELD = /^\s*\$json((?:\.[A-Za-z_$][\w$]*|\[\s*(?:"[^"\\]*"|'[^'\\]*'|\d+)\s*\])+)\s*$/;
const FIELD_STEP = /\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)'|(\d+))\s*\]/g;

function inputField(expression: string): string[] | undefined {
	const match = INPUT_FIELD.exec(expression);
	if (match === null) return undefined;
	return [...match[1].matchAll(FIELD_STEP)].map((step) => step[1] ?? step[2] ?? step[3] ?? step[4]);
}

/** The input field's value, or undefined where only n8n can say (missing, inherited, not plain). */
function readInputField(json: unknown, path: string[]): unknown {
	let value = json;
	for (const key of path) {
		if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}
const plans = new WeakMap<IExecuteFunctions, WeakMap<INodeProperties[], FieldPlan>>();

function planFor(ctx: IExecuteFunctions, properties: INodeProperties[]): FieldPlan {
	let byProperties = plans.get(ctx);
	if (byProperties === undefined) plans.set(ctx, (byProperties = new WeakMap()));
	let plan = byProperties.get(properties);
	if (plan !== undefined) return plan;
	const joined: FieldPlan['joined'] = new Map();
	const inner: string[] = [];
	const seen = new Set<string>();
	for (const property of properties) {
		if (seen.has(property.name)) continue;
		seen.add(property.name);
		// A resource mapper's values are checked against its schema by n8n as it reads them.
		if (property.type === 'resourceMapper') continue;
		let saved: unknown;
		try {
			saved = ctx.getNodeParameter(property.name, 0, undefined, { rawExpressions: true });
		} catch {
			continue;
		}
		const places: Array<Array<string | number>> = [];
		const expressions: string[] = [];
		let whole = true;
		const visit = (value: unknown, path: Array<string | number>) => {
			if (typeof value === 'string' && value.startsWith('=')) {
				const match = WHOLE_EXPRESSION.exec(value);
				if (match === null || match[1].includes('{{') || match[1].includes('}}')) whole = false;
				else {
					places.push(path);
					expressions.push(match[1]);
				}
			} else if (Array.isArray(value)) value.forEach((entry, i) => visit(entry, [...path, i]));
			else if (value !== null && typeof value === 'object')
				for (const [key, entry] of Object.entries(value)) visit(entry, [...path, key]);
		};
		visit(saved, []);
		if (!whole || places.length === 0) continue;
		joined.set(property.name, { saved, places });
		inner.push(...expressions);
	}
	const direct = inner.map(inputField);
	const evaluated = inner.filter((_, i) => direct[i] === undefined);
	// Worth it when it saves an evaluation: two expressions or more, or one that names an input field.
	const worth = inner.length >= 2 || direct.some((path) => path !== undefined);
	plan = {
		// Each on its own lines and in brackets, so a trailing // comment ends with its line.
		joint:
			!worth || evaluated.length === 0
				? undefined
				: `{{ [${evaluated.map((e) => `(\n${e}\n)`).join(',')}] }}`,
		joined: worth ? joined : new Map(),
		direct: worth ? direct : [],
		expressions: worth ? inner.length : 0,
		input: ctx.getInputData() as Array<{ json: IDataObject }>,
	};
	byProperties.set(properties, plan);
	return plan;
}

const isPlain = (value: unknown) =>
	value === null || ['string', 'number', 'boolean'].includes(typeof value);

/**
 * The joined expressions' values for one item (input fields read directly, the others in one
 * evaluation), or undefined when the item must be read field by field.
 */
function jointValues(ctx: IExecuteFunctions, plan: FieldPlan, itemIndex: number) {
	if (plan.expressions === 0) return undefined;
	const json = plan.input[itemIndex]?.json;
	const values = plan.direct.map((path) =>
		path === undefined ? undefined : readInputField(json, path),
	);
	if (plan.direct.some((path, i) => path !== undefined && !isPlain(values[i]))) return undefined;
	if (plan.joint === undefined) return values;
	let evaluated: unknown;
	try {
		evaluated = ctx.evaluateExpression(plan.joint, itemIndex) as unknown;
	} catch {
		// Read field by field: n8n's own error then names the field whose expression failed.
		return undefined;
	}
	const rest = plan.direct.filter((path) => path === undefined).length;
	if (!Array.isArray(evaluated) || evaluated.length !== rest || !evaluated.every(isPlain))
		return undefined;
	let next = 0;
	return plan.direct.map((path, i) => (path === undefined ? evaluated[next++] : values[i]));
}

/** A saved value with its expressions replaced by their values, taken in order from `values`. */
function filledIn(saved: unknown, values: unknown[], at: { next: number }): unknown {
	if (typeof saved === 'string' && saved.startsWith('=')) return values[at.next++];
	if (Array.isArray(saved)) return saved.map((entry) => filledIn(entry, values, at));
	if (saved !== null && typeof saved === 'object')
		return Object.fromEntries(
			Object.entries(saved).map(([key, entry]) => [key, filledIn(entry, values, at)]),
		);
	return saved;
}

/**
 * One item's fields as n8n resolves them (expressions included), held to the type rules every field
 * shares; or the issues, when an expression failed or gave what the field cannot take.
 * `together: false` reads every field on its own (the tests compare the two ways).
 */
export function resolveParameters(
	ctx: IExecuteFunctions,
	properties: INodeProperties[],
	itemIndex: number,
	{ together = true }: { together?: boolean } = {},
): { p: ResolvedParameters } | { issues: ValidationIssue[] } {
	const parameters: Record<string, unknown> = {};
	const issues: ValidationIssue[] = [];
	const plan = together ? planFor(ctx, properties) : undefined;
	const values = plan === undefined ? undefined : jointValues(ctx, plan, itemIndex);
	const at = { next: 0 };
	for (const property of properties) {
		if (property.name in parameters) continue;
		const fallback =
			property.type === 'collection' || property.type === 'fixedCollection' ? {} : '';
		const joined = plan?.joined.get(property.name);
		if (values !== undefined && joined !== undefined) {
			parameters[property.name] = filledIn(joined.saved, values, at);
			issues.push(...resolvedValueIssues(property, parameters[property.name]));
			continue;
		}
		try {
			parameters[property.name] = ctx.getNodeParameter(property.name, itemIndex, fallback);
		} catch (error) {
			// One item's expression failing (bad data, a missing node) must not take the batch with it.
			return {
				issues: [
					{
						field: property.displayName,
						message: `its expression failed: ${(error as Error).message}`,
					},
				],
			};
		}
		issues.push(...resolvedValueIssues(property, parameters[property.name]));
	}
	if (issues.length > 0) return { issues };
	const p = parameters as ResolvedParameters;
	p.nodeVersion = ctx.getNode().typeVersion;
	return { p };
}

/**
 * An item that is not sent: its first problem as the error, the others in the description. Items
 * are counted from 0, as n8n's editor and Kaleyra's refusals ("[item 0]") count them.
 */
export function refused(
	ctx: IExecuteFunctions,
	itemIndex: number,
	issues: ValidationIssue[],
): Refused {
	const [first, ...others] = issues;
	const more = others.map((issue) => `${issue.field}: ${issue.message}`).join(' ');
	const error = new NodeOperationError(ctx.getNode(), `${first.field}: ${first.message}`, {
		itemIndex,
		description: `Nothing was sent for item ${itemIndex}.${more === '' ? '' : ` Also: ${more}`}`,
	});
	return {
		error,
		json: failureJson(error, {
			code: 'INVALID_INPUT',
			field: first.field,
			httpStatus: null,
			retryable: false,
			maybeSent: false,
		}),
	};
}
