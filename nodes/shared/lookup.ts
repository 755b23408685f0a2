/**
 * The entry of a table keyed by outside data (a code Kaleyra answered, a message type or error code
 * a callback carried), or undefined. Own properties only: a plain object also answers for
 * `constructor`, `toString` or `__proto__`, which would read as a known code. Both nodes use it.
 */
export function entryOf<T>(
	table: Readonly<Record<string, T>>,
	key: string | null | undefined,
): T | undefined {
	return typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key)
		? table[key]
		: undefined;
}
