/**
 * A short description of a value for an error message: numbers as written, strings
 * quoted ("1" is not mistaken for the number 1), short arrays in brackets, and the
 * kind of anything else ("a Float32Array", "a Tensor of shape [2,3]", "an object").
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'string':
      return JSON.stringify(value);
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map(describeValue);
    return `[${items.join(',')}${value.length > 8 ? ',...' : ''}]`;
  }
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  if (name === 'Tensor') {
    const shape = (value as { shape?: unknown }).shape;
    return Array.isArray(shape) ? `a Tensor of shape [${shape.join(',')}]` : 'a Tensor';
  }
  if (!name || name === 'Object') return 'an object';
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}
