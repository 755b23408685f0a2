/**
 * A template's variables, read from its definition (the listing's Meta-shaped object), turned into
 * the fields a builder maps, and back into the `components` array Meta expects — with every check
 * that can be made before sending. Pure: no n8n, no network, so the picker's field list, the send's
 * payload and the pre-send checks cannot disagree about what a template needs.
 */
import { LIMITS, MEDIA_HEADERS } from '../../../shared/limits';
import { clip } from '../../../shared/checks';

export interface TemplateDefinition {
	name: string;
	language: string;
	status?: string;
	category?: string;
	parameter_format?: string;
	components?: Array<{
		type?: string;
		format?: string;
		text?: string;
		example?: Record<string, unknown>;
		buttons?: Array<{
			type?: string;
			text?: string;
			url?: string;
			example?: unknown;
			otp_type?: string;
		}>;
	}>;
}

export type VariableKind =
	'text' | 'image' | 'video' | 'document' | 'location' | 'payload' | 'urlSuffix' | 'couponCode';

/** One field to map: where its value goes, how the template names it, and an example to show. */
export interface TemplateVariable {
	/** Stable field id: `header_1`, `body_order_id`, `button_0`, `header_media`. */
	key: string;
	component: 'header' | 'body' | 'button';
	/** The variable as the template writes it (`1`, `order_id`), or '' for a media header or a button. */
	name: string;
	/** For buttons: the button's position in the template. */
	buttonIndex?: number;
	kind: VariableKind;
	/** "Body {{2}}", "Header image", "Button 1 (Track order) URL suffix", as the builder sees it. */
	label: string;
	example: string;
	/** Quick-reply payloads may be left out; every other variable is required. */
	required: boolean;
}

function variableNames(text: string | undefined): string[] {
	const names: string[] = [];
	for (const match of String(text ?? '').matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)) {
		if (!names.includes(match[1])) names.push(match[1]);
	}
	return names;
}

/** Meta gives positional examples as a nested array, named ones as `{ param_name, example }`. */
function examplesOf(
	example: Record<string, unknown> | undefined,
	positionalKey: string,
	namedKey: string,
): Record<string, string> {
	const byName: Record<string, string> = {};
	const named = example?.[namedKey];
	if (Array.isArray(named)) {
		for (const entry of named as Array<{ param_name?: unknown; example?: unknown }>) {
			if (typeof entry?.param_name === 'string')
				byName[entry.param_name] = String(entry.example ?? '');
		}
	}
	const positional = example?.[positionalKey];
	const row = Array.isArray(positional)
		? Array.isArray(positional[0])
			? positional[0]
			: positional
		: [];
	(row as unknown[]).forEach((value, index) => {
		byName[String(index + 1)] = String(value ?? '');
	});
	return byName;
}

const MEDIA_FORMATS = ['IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'];

/** Every variable of the template, header first, then body, then buttons, in the template's order. */
export function templateVariables(definition: TemplateDefinition): TemplateVariable[] {
	const variables: TemplateVariable[] = [];
	for (const component of definition.components ?? []) {
		const type = String(component.type ?? '').toUpperCase();
		if (type === 'HEADER') {
			const format = String(component.format ?? 'TEXT').toUpperCase();
			if (MEDIA_FORMATS.includes(format)) {
				const kind = format.toLowerCase() as VariableKind;
				const handle = component.example?.header_handle;
				variables.push({
					key: 'header_media',
					component: 'header',
					name: '',
					kind,
					label: kind === 'location' ? 'Header location' : `Header ${kind} (link or media ID)`,
					example: Array.isArray(handle) ? String(handle[0] ?? '') : '',
					required: true,
				});
				continue;
			}
			const examples = examplesOf(component.example, 'header_text', 'header_text_named_params');
			for (const name of variableNames(component.text)) {
				variables.push({
					key: `header_${name}`,
					component: 'header',
					name,
					kind: 'text',
					label: `Header {{${name}}}`,
					example: examples[name] ?? '',
					required: true,
				});
			}
		} else if (type === 'BODY') {
			const examples = examplesOf(component.example, 'body_text', 'body_text_named_params');
			for (const name of variableNames(component.text)) {
				variables.push({
					key: `body_${name}`,
					component: 'body',
					name,
					kind: 'text',
					label: `Body {{${name}}}`,
					example: examples[name] ?? '',
					required: true,
				});
			}
		} else if (type === 'BUTTONS') {
			(component.buttons ?? []).forEach((button, index) => {
				const buttonType = String(button.type ?? '').toUpperCase();
				const title = `Button ${index + 1} (${String(button.text ?? buttonType.toLowerCase())})`;
				const example = Array.isArray(button.example)
					? String(button.example[0] ?? '')
					: String(button.example ?? '');
				const base = {
					key: `button_${index}`,
					component: 'button' as const,
					name: '',
					buttonIndex: index,
					example,
				};
				if (buttonType === 'QUICK_REPLY')
					variables.push({ ...base, kind: 'payload', label: `${title} payload`, required: false });
				else if (buttonType === 'URL' && variableNames(button.url).length > 0)
					variables.push({
						...base,
						kind: 'urlSuffix',
						label: `${title} URL suffix`,
						required: true,
					});
				else if (buttonType === 'COPY_CODE')
					variables.push({ ...base, kind: 'couponCode', label: `${title} code`, required: true });
				else if (buttonType === 'OTP')
					variables.push({
						...base,
						kind: 'urlSuffix',
						label: `${title} one-time code`,
						required: true,
					});
			});
		}
	}
	return variables;
}

export interface TemplateProblem {
	/** The variable as the builder sees it: "Body {{2}}". */
	field: string;
	message: string;
}

/** Meta refuses these in text parameters (132018): newlines, tabs, more than four spaces in a row. */
const FORBIDDEN_IN_TEXT = /[\n\t]| {5,}/;

function textProblem(variable: TemplateVariable, value: string, max: number): string | undefined {
	if (FORBIDDEN_IN_TEXT.test(value))
		return 'WhatsApp does not allow newlines, tabs or more than 4 spaces in a row in a template variable. Replace them with a space.';
	const length = [...value].length;
	if (length > max)
		return `WhatsApp allows at most ${max} characters here; this has ${length}. Shorten it.`;
	return undefined;
}

function isLink(value: string): boolean {
	return /^https?:\/\/[^\s/]+/i.test(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typeOf(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'number') return 'a number that is not finite';
	return value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * A body variable may be a currency (`{ fallback_value, code, amount_1000 }`, the amount in
 * thousandths: 1499.00 → 1499000) or a date-time (`{ fallback_value }`) instead of text; Meta
 * formats them for the customer's locale.
 */
function richBodyProblem(value: Record<string, unknown>): string | undefined {
	const shape =
		'text, a currency { fallback_value, code, amount_1000 } or a date-time { fallback_value }';
	if (typeof value.fallback_value !== 'string' || value.fallback_value.trim() === '')
		return `expected ${shape}; this object has no fallback_value text (the text shown where the format is not supported).`;
	if (!('amount_1000' in value) && !('code' in value)) return undefined;
	if (typeof value.code !== 'string' || !/^[A-Z]{3}$/.test(value.code))
		return `a currency needs code as an ISO 4217 code such as INR or USD; got ${clip(JSON.stringify(value.code ?? null))}.`;
	if (!Number.isInteger(value.amount_1000))
		return `a currency needs amount_1000 as a whole number (the amount × 1000, e.g. 1499000 for 1,499.00); got ${clip(String(JSON.stringify(value.amount_1000 ?? null)))}.`;
	return undefined;
}

/** The body parameter for a checked value: text, or the currency / date-time it describes. */
function bodyParameter(value: unknown): Parameter {
	if (!isPlainObject(value)) return { type: 'text', text: String(value) };
	if ('amount_1000' in value || 'code' in value)
		return {
			type: 'currency',
			currency: {
				fallback_value: value.fallback_value,
				code: value.code,
				amount_1000: value.amount_1000,
			},
		};
	return { type: 'date_time', date_time: { fallback_value: value.fallback_value } };
}

/**
 * Checks mapped values against the template: a missing or empty required variable, a value that
 * breaks Meta's text rules, a coupon code over 15 characters, and values for variables the template
 * does not have. Each problem names the variable as the template names it.
 */
export function checkTemplateValues(
	definition: TemplateDefinition,
	values: Record<string, unknown>,
): TemplateProblem[] {
	const variables = templateVariables(definition);
	const problems: TemplateProblem[] = [];
	const known = new Set(variables.map((variable) => variable.key));
	for (const variable of variables) {
		const raw = values[variable.key];
		if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
			if (variable.required) {
				const example = variable.example === '' ? '' : ` (e.g. ${variable.example})`;
				problems.push({
					field: variable.label,
					message: `it is empty. Map a value for it${example}; WhatsApp refuses a template with a variable missing.`,
				});
			}
			continue;
		}
		if (variable.kind === 'location') {
			const location = raw as { latitude?: unknown; longitude?: unknown };
			if (
				typeof location !== 'object' ||
				typeof location.latitude !== 'number' ||
				typeof location.longitude !== 'number'
			)
				problems.push({
					field: variable.label,
					message: 'expected an object with latitude and longitude as numbers.',
				});
			continue;
		}
		if (variable.component === 'body' && isPlainObject(raw)) {
			const problem = richBodyProblem(raw);
			if (problem !== undefined) problems.push({ field: variable.label, message: problem });
			continue;
		}
		if (typeof raw !== 'string' && (typeof raw !== 'number' || !Number.isFinite(raw))) {
			problems.push({ field: variable.label, message: `expected text, got ${typeOf(raw)}.` });
			continue;
		}
		const value = String(raw);
		let problem: string | undefined;
		if (variable.kind === 'text')
			problem = textProblem(
				variable,
				value,
				variable.component === 'header' ? LIMITS.headerText : LIMITS.body,
			);
		else if (
			MEDIA_HEADERS.includes(variable.kind) &&
			!isLink(value.trim()) &&
			!/^[\w.:-]{1,256}$/.test(value.trim())
		)
			problem = `expected a public https:// link or an uploaded media ID for the header ${variable.kind}; got "${value.slice(0, 80)}".`;
		else if (variable.kind === 'couponCode' && [...value].length > LIMITS.couponCode)
			problem = `WhatsApp allows at most ${LIMITS.couponCode} characters in a copy code; this has ${[...value].length}.`;
		else if (variable.kind === 'urlSuffix' || variable.kind === 'payload')
			problem = textProblem(variable, value, 2000);
		if (problem !== undefined) problems.push({ field: variable.label, message: problem });
	}
	for (const key of Object.keys(values)) {
		if (!known.has(key))
			problems.push({
				field: key,
				message: `template "${definition.name}" has no such variable. Remove it, or pick the template that has it.`,
			});
	}
	return problems;
}

type Parameter = Record<string, unknown>;

function mediaParameter(kind: VariableKind, value: unknown): Parameter {
	if (kind === 'location') return { type: 'location', location: value };
	const text = String(value).trim();
	return { type: kind, [kind]: isLink(text) ? { link: text } : { id: text } };
}

/**
 * The `components` array for the send, from checked values: one header, one body and one
 * component per dynamic button. Named templates carry `parameter_name`, as Meta requires.
 */
export function templateComponents(
	definition: TemplateDefinition,
	values: Record<string, unknown>,
): Parameter[] {
	const named = String(definition.parameter_format ?? '').toUpperCase() === 'NAMED';
	const header: Parameter[] = [];
	const body: Parameter[] = [];
	const buttons: Parameter[] = [];
	for (const variable of templateVariables(definition)) {
		const value = values[variable.key];
		if (value === undefined || value === null || value === '') continue;
		if (variable.component === 'header') {
			header.push(
				variable.kind === 'text'
					? {
							type: 'text',
							...(named ? { parameter_name: variable.name } : {}),
							text: String(value),
						}
					: mediaParameter(variable.kind, value),
			);
		} else if (variable.component === 'body') {
			const { type, ...rest } = bodyParameter(value);
			body.push({ type, ...(named ? { parameter_name: variable.name } : {}), ...rest });
		} else {
			const index = String(variable.buttonIndex);
			const text = String(value);
			if (variable.kind === 'payload')
				buttons.push({
					type: 'button',
					sub_type: 'quick_reply',
					index,
					parameters: [{ type: 'payload', payload: text }],
				});
			else if (variable.kind === 'couponCode')
				buttons.push({
					type: 'button',
					sub_type: 'copy_code',
					index,
					parameters: [{ type: 'coupon_code', coupon_code: text }],
				});
			else
				buttons.push({
					type: 'button',
					sub_type: 'url',
					index,
					parameters: [{ type: 'text', text }],
				});
		}
	}
	return [
		...(header.length > 0 ? [{ type: 'header', parameters: header }] : []),
		...(body.length > 0 ? [{ type: 'body', parameters: body }] : []),
		...buttons,
	];
}

/**
 * The longest field label n8n 2.41.1's variable mapping shows uncut at 1280×800: its label row keeps
 * 154 px for the text beside the Fixed/Expression switch (12 px Inter, about 6 px a character), and
 * cuts longer ones with "…", as it did "Button 1 (Track order) UR…" and, at 40 characters, "Body
 * {{2}}: …your or…". e2e/browser/first-hour.test.js checks that no label is cut.
 */
const LABEL_ROOM = 25;
/** Fewer characters than this hold no word of the template beside the blank ("…___,…"). */
const MIN_WORDS_ROOM = 9;

/**
 * The template's own words around `{{name}}`, as many as fit in `room` characters, "…" where cut;
 * the variable itself is the blank "___" to fill (the template's other variables keep their {{n}}).
 */
function wordsAround(text: string, name: string, room: number): string {
	const slot = new RegExp(`\\{\\{\\s*${name}\\s*\\}\\}`);
	const words = text.replace(/\s+/g, ' ').trim().split(' ');
	const at = words.findIndex((word) => slot.test(word));
	if (at < 0) return '___';
	words[at] = words[at].replace(slot, '___');
	let [from, to] = [at, at + 1];
	const shown = () =>
		`${from > 0 ? '…' : ''}${words.slice(from, to).join(' ')}${to < words.length ? '…' : ''}`;
	// A word before, then one after, in turns, while they fit: the blank stays near the middle, and
	// the word before it ("order ___", "by ___") says most about what goes there.
	const grow = [
		() => (from > 0 ? [from - 1, to] : undefined),
		() => (to < words.length ? [from, to + 1] : undefined),
	];
	for (let grew = true; grew;) {
		grew = false;
		for (const next of grow) {
			const wider = next();
			if (wider === undefined) continue;
			const kept = [from, to];
			[from, to] = wider;
			if (shown().length <= room) grew = true;
			else [from, to] = kept;
		}
	}
	return shown();
}

/**
 * A variable's label in the editor: its short label, which errors name ("Body {{2}}"), then where
 * it sits in the template's own text ("Body {{2}}: …order ___…"); for a button its text and what
 * to give ("\"Track order\" URL suffix").
 */
export function editorLabel(definition: TemplateDefinition, variable: TemplateVariable): string {
	let label = variable.label;
	if (variable.key === 'header_media' && variable.kind !== 'location') {
		label = `Header ${variable.kind} (link/ID)`;
	} else if (variable.kind === 'text' && variable.component !== 'button') {
		const type = variable.component.toUpperCase();
		const text =
			(definition.components ?? []).find(
				(component) => String(component.type ?? '').toUpperCase() === type,
			)?.text ?? '';
		const room = LABEL_ROOM - variable.label.length - 2;
		// A named variable ("Body {{customer_name}}") says what it is and leaves no room for a word.
		if (room >= MIN_WORDS_ROOM)
			label = `${variable.label}: ${wordsAround(text, variable.name, room)}`;
	} else if (variable.component === 'button') {
		const button = definition.components?.find(
			(component) => String(component.type ?? '').toUpperCase() === 'BUTTONS',
		)?.buttons?.[variable.buttonIndex ?? 0];
		const words = [...String(button?.text ?? '')];
		const what = variable.label.slice(variable.label.lastIndexOf(')') + 2);
		// The button's own text says which button it is; "Button 1" would leave it no room.
		const room = LABEL_ROOM - `"" ${what}`.length;
		const text =
			words.length > room ? `${words.slice(0, Math.max(room - 1, 1)).join('')}…` : words.join('');
		label = `"${text}" ${what}`;
	}
	// No "(e.g. …)": within the room it would push out the template's words.
	return label;
}

/** The first `max` characters of a text, "…" where cut. */
function cut(text: string, max: number): string {
	const characters = [...text];
	return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}

/**
 * A variable as an AI agent's tool offers it to the model (tool mode). n8n names a "defined by the
 * model" field's `$fromAI` key after the field's label, with every character but letters, digits
 * and - turned into _: the editor's label "Body {{1}}: Hi ___, your order… (e.g. Asha)" became
 * `Body___1_____Hi_____your_order_____e_g__Asha_`. So in tool mode the label is short ("Body 1",
 * "Header image", "Button 1 URL suffix"), its key the one n8n would make of it, and the template's
 * words go into the description, which n8n leaves empty.
 */
export function toolVariable(
	definition: TemplateDefinition,
	variable: TemplateVariable,
): { label: string; key: string; description: string } {
	const label = variable.label
		.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, '$1')
		.replace(/\s*\([^)]*\)/g, '')
		.trim();
	const key = label.replace(/[^a-zA-Z0-9-]/g, '_').slice(0, 63);
	const component = (definition.components ?? []).find(
		(candidate) => String(candidate.type ?? '').toUpperCase() === variable.component.toUpperCase(),
	);
	const where =
		variable.kind === 'text' && variable.component !== 'button'
			? `, the blank in "${cut(
					String(component?.text ?? '')
						.replace(new RegExp(`\\{\\{\\s*${variable.name}\\s*\\}\\}`), '___')
						// The template's other variables as [2]: "}}" would end the n8n expression that carries this.
						.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, '[$1]')
						.replace(/\s+/g, ' ')
						.trim(),
					300,
				)}"`
			: '';
	const example = variable.example === '' ? '' : ` Example: ${cut(variable.example, 80)}.`;
	const what = {
		text: ' Plain text, no newlines.',
		image: ' A public https:// link or an uploaded media ID.',
		video: ' A public https:// link or an uploaded media ID.',
		document: ' A public https:// link or an uploaded media ID.',
		location: ' An object { latitude, longitude, name, address }.',
		payload: ' What the business receives when the customer taps the button.',
		urlSuffix: " The text that completes the button's link.",
		couponCode: ' The code the customer copies, at most 15 characters.',
	}[variable.kind];
	return {
		label,
		key,
		description: `${label} of the WhatsApp template "${definition.name}" (${definition.language})${where}.${what}${example}${variable.required ? '' : ' Optional.'}`,
	};
}
