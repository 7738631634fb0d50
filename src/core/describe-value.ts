/** The most characters of a string (or digits of a BigInt) that a message echoes. */
const ECHO_LIMIT = 40;
/** The most array items, and the deepest nesting, that `describeValue` shows. */
const ITEM_LIMIT = 8;
const DEPTH_LIMIT = 3;

/**
 * Characters that can act on a terminal or reorder its line rather than show as text: the C0
 * controls, DEL, the C1 controls, the bidirectional embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069), the marks U+061C, U+200E, U+200F, and the line and
 * paragraph separators U+2028, U+2029.
 */
const CONTROL_CHARACTERS =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * `text` with every character that could drive or reorder a terminal (see CONTROL_CHARACTERS)
 * written as an escape: `\t`, `\n`, `\r`, `\x1b` for the other controls below U+0100,
 * `\u202e` above. Every message that echoes input (a cell, a header, a name, a path) passes
 * it through this, so a file cannot clear the screen, retitle the window or reverse a line.
 */
export function escapeControls(text: string): string {
  return text.replace(
    CONTROL_CHARACTERS,
    (c) =>
      NAMED_ESCAPES[c] ??
      (c.charCodeAt(0) < 0x100
        ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
        : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

/**
 * `text` whole in double quotes with its controls escaped (see `escapeControls`), for a name
 * a message must show in full (a column, a file): `"a\x1b[2J"`.
 */
export function quoteName(text: string): string {
  return `"${escapeControls(String(text))}"`;
}

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
  if (text.length <= limit) return `"${escapeControls(text)}"`;
  return `"${escapeControls(head(text, limit))}..." (${text.length} characters)`;
}

/** `text` unquoted, cut short as `quoteExcerpt` does: `'a numeric... (5000 characters)`. */
export function excerpt(text: string, limit = ECHO_LIMIT): string {
  if (typeof text !== 'string') return describeValue(text);
  if (text.length <= limit) return escapeControls(text);
  return `${escapeControls(head(text, limit))}... (${text.length} characters)`;
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
      if (value.length <= ECHO_LIMIT) return quoteString(value);
      return `${quoteString(head(value, ECHO_LIMIT)).slice(0, -1)}..." (${value.length} characters)`;
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
  const shown = escapeControls(name.length <= ECHO_LIMIT ? name : `${head(name, ECHO_LIMIT)}...`);
  return `${/^[AEIOU]/.test(shown) ? 'an' : 'a'} ${shown}`;
}

/** `text` in double quotes, `"` and `\\` escaped, controls escaped as `escapeControls` does. */
function quoteString(text: string): string {
  return `"${escapeControls(text.replace(/[\\"]/g, (c) => `\\${c}`))}"`;
}

/**
 * `items` joined as words, at most `shown` of them and a count of the rest:
 * `a`, `a and b`, `a, b and c`, `a, b, c and 4 more`.
 */
export function cappedList(items: readonly string[], shown = 3): string {
  if (items.length > shown + 1) {
    return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
  }
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
