/** The most characters of a string (or digits of a BigInt) that a message echoes. */
const ECHO_LIMIT = 40;
/** The most array items, and the deepest nesting, that `describeValue` shows. */
const ITEM_LIMIT = 8;
const DEPTH_LIMIT = 3;

/** The first `limit` characters of `text`, not splitting a surrogate pair. */
function head(text: string, limit: number): string {
  let end = limit;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end);
}

/**
 * `text` in double quotes for an error message, as the readers echo a cell or a line: whole
 * when short, else its first characters, `...` and its length, so that a cell of a million
 * digits does not make a message of a million characters:
 * `"1234567890..." (160001 characters)`.
 */
export function quoteExcerpt(text: string, limit = ECHO_LIMIT): string {
  if (typeof text !== 'string') return describeValue(text);
  if (text.length <= limit) return `"${text}"`;
  return `"${head(text, limit)}..." (${text.length} characters)`;
}

/** `text` unquoted, cut short as `quoteExcerpt` does: `'a numeric... (5000 characters)`. */
export function excerpt(text: string, limit = ECHO_LIMIT): string {
  if (typeof text !== 'string') return describeValue(text);
  if (text.length <= limit) return text;
  return `${head(text, limit)}... (${text.length} characters)`;
}

/**
 * A short description of a value for an error message: numbers as written (`-0`, `NaN`),
 * BigInts with their `n`, strings quoted ("1" is not mistaken for the number 1), short arrays
 * in brackets, and the kind of anything else ("a Float32Array", "a Tensor of shape [2,3]",
 * "an object"). Long strings, long BigInts, long and deep arrays are cut short, so the
 * message stays short whatever the value.
 */
export function describeValue(value: unknown): string {
  return describe(value, 0);
}

function describe(value: unknown, depth: number): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
      return String(value);
    case 'bigint': {
      const digits = String(value);
      return digits.length <= ECHO_LIMIT
        ? `${digits}n`
        : `${head(digits, ECHO_LIMIT)}...n (a BigInt of ${digits.replace('-', '').length} digits)`;
    }
    case 'string': {
      if (value.length <= ECHO_LIMIT) return JSON.stringify(value);
      return `${JSON.stringify(head(value, ECHO_LIMIT)).slice(0, -1)}..." (${value.length} characters)`;
    }
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
  }
  if (Array.isArray(value)) {
    if (depth >= DEPTH_LIMIT) return value.length === 0 ? '[]' : '[...]';
    const items: string[] = [];
    for (let i = 0; i < Math.min(value.length, ITEM_LIMIT); i++) {
      items.push(describe(value[i], depth + 1));
    }
    return `[${items.join(',')}${value.length > ITEM_LIMIT ? ',...' : ''}]`;
  }
  let name: unknown;
  try {
    name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    if (name === 'Tensor') {
      const shape = (value as { shape?: unknown }).shape;
      if (Array.isArray(shape) && shape.length <= ITEM_LIMIT) {
        return `a Tensor of shape [${shape.map((d) => describe(d, DEPTH_LIMIT)).join(',')}]`;
      }
      return 'a Tensor';
    }
  } catch {
    return 'an object';
  }
  if (typeof name !== 'string' || name === '' || name === 'Object') return 'an object';
  const shown = name.length <= ECHO_LIMIT ? name : `${head(name, ECHO_LIMIT)}...`;
  return `${/^[AEIOU]/.test(shown) ? 'an' : 'a'} ${shown}`;
}
