import type { IDataObject } from 'n8n-workflow';
import { createHash, timingSafeEqual } from 'node:crypto';

/** Request headers as n8n hands them over (lower-case names). */
type Headers = Record<string, string | string[] | undefined>;

/**
 * Kaleyra signs no callback (docs/kaleyra-api.md §5.4): what proves a request comes from your callback
 * profile is a secret only the profile and this trigger know, sent as a custom header, as Basic
 * auth, or (for the Incoming URL, which takes no header, §6) in the URL itself.
 */
export type CallbackAuthentication =
	| { kind: 'secretHeader'; headerName: string; secret: string }
	| { kind: 'basicAuth'; user: string; password: string }
	| { kind: 'secretInUrl'; token: string };

/**
 * The query parameter that carries the token of "Secret in URL": the one secret that reaches the
 * trigger from the number's Incoming URL, a bare URL field that sends no custom header.
 */
export const URL_TOKEN_PARAMETER = 'token';

/** Characters a URL carries as they are, so the token pasted into Kaleyra needs no escaping. */
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;

/** Long enough that guessing it over HTTP is hopeless. */
export const MIN_SECRET_LENGTH = 16;

/** Header names are HTTP tokens (RFC 9110); anything else Kaleyra could not send. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * What is wrong with the settings, as "<field>: <fix>", or undefined. A trigger with a problem
 * refuses every request, so a half-filled form never leaves the URL open.
 */
export function settingsProblem(auth: CallbackAuthentication): string | undefined {
	if (auth.kind === 'secretHeader') {
		if (!HEADER_NAME.test(auth.headerName)) {
			return 'Header Name: enter an HTTP header name of letters, digits and dashes, e.g. X-Kaleyra-Secret';
		}
		if (auth.secret.length < MIN_SECRET_LENGTH) {
			return `Secret: enter at least ${MIN_SECRET_LENGTH} characters (a long random value), the same as in the Kaleyra callback profile`;
		}
		return undefined;
	}
	if (auth.kind === 'secretInUrl') {
		if (auth.token.length < MIN_SECRET_LENGTH) {
			return `Token: enter at least ${MIN_SECRET_LENGTH} characters (a long random value), the same as at the end of the URL you give Kaleyra (?${URL_TOKEN_PARAMETER}=…)`;
		}
		if (!URL_SAFE.test(auth.token)) {
			return 'Token: use only letters, digits and - . _ ~ so that the URL carries it unchanged';
		}
		return undefined;
	}
	if (auth.user === '') return 'User: enter the user name set in the Kaleyra callback profile';
	if (auth.user.includes(':')) return 'User: Basic auth user names cannot contain ":"';
	if (auth.password.length < MIN_SECRET_LENGTH) {
		return `Password: enter at least ${MIN_SECRET_LENGTH} characters (a long random value), the same as in the Kaleyra callback profile`;
	}
	return undefined;
}

/** Compares in constant time; hashing first makes the lengths equal, so not even the length leaks. */
function sameSecret(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected));
}

function headerValue(headers: Headers, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return typeof value === 'string' ? value : undefined;
}

export function isAuthorized(
	headers: Headers,
	query: Record<string, unknown>,
	auth: CallbackAuthentication,
): boolean {
	if (settingsProblem(auth) !== undefined) return false;
	if (auth.kind === 'secretInUrl') {
		const given = query[URL_TOKEN_PARAMETER];
		return typeof given === 'string' && sameSecret(given, auth.token);
	}
	if (auth.kind === 'secretHeader') {
		const given = headerValue(headers, auth.headerName);
		return given !== undefined && sameSecret(given, auth.secret);
	}
	const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headerValue(headers, 'authorization') ?? '');
	if (!match) return false;
	return sameSecret(
		Buffer.from(match[1], 'base64').toString('utf8'),
		`${auth.user}:${auth.password}`,
	);
}

/**
 * A GET callback's query as Kaleyra reported it: with Secret in URL, the token proves the request
 * and is no part of the report, so no item carries it.
 */
export function reportedQuery(query: IDataObject, auth: CallbackAuthentication): IDataObject {
	if (auth.kind !== 'secretInUrl') return query;
	const { [URL_TOKEN_PARAMETER]: _token, ...reported } = query;
	return reported;
}
