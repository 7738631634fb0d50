// What a file given as a model file looks like when it is not one: the first bytes of the
// formats a user is likely to hand over by mistake (an export, a data file, an archive).

/** The bytes looked at: enough for a header line or a safetensors header length. */
const HEAD = 4096;

/** A protobuf field tag of wire type 2 (length-delimited) with a field number 2 to 8. */
function isLengthDelimitedTag(byte: number): boolean {
  return (byte & 7) === 2 && byte >> 3 >= 2 && byte >> 3 <= 8;
}

/**
 * ONNX: a protobuf ModelProto, whose first field is ir_version (field 1, a varint: byte 0x08)
 * with a small version number, followed by another field (producer_name, graph, opset_import,
 * ...: all length-delimited).
 */
function isOnnx(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x08 && bytes[1] >= 1 && bytes[1] < 0x80
    ? isLengthDelimitedTag(bytes[2])
    : false;
}

/**
 * safetensors: an 8-byte little-endian header length n, then n bytes of JSON header that
 * begin `{"`, all within the file.
 */
function isSafetensors(bytes: Uint8Array, size: number): boolean {
  if (bytes.length < 10 || bytes[8] !== 0x7b || bytes[9] !== 0x22) return false;
  let length = 0;
  for (let i = 7; i >= 0; i--) length = length * 256 + bytes[i];
  return length >= 2 && length <= size - 8;
}

/** Whether the head holds bytes that text has not: NUL, or C0 controls other than tab, CR, LF, FF. */
function isBinary(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0 || (b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13)) return true;
  }
  return false;
}

/**
 * What the file whose first bytes are `head` (of `size` bytes in all) is, when it is plainly
 * not a maskgrad model file (not JSON): 'empty', 'an ONNX file', 'a safetensors file', 'a zip
 * archive', 'a gzip file', 'an ARFF file', 'TSV text', 'CSV text', 'a binary file'; null when it
 * may be JSON (or is other text), for the JSON parser to judge.
 */
export function modelFileKind(head: Uint8Array, size = head.length): string | null {
  const bytes = head.subarray(0, HEAD);
  if (size === 0) return 'empty';
  if (isOnnx(bytes)) return 'an ONNX file';
  if (isSafetensors(bytes, size)) return 'a safetensors file';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return 'a zip archive';
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'a gzip file';
  if (isBinary(bytes)) return 'a binary file';
  const text = new TextDecoder().decode(bytes).replace(/^\ufeff/, '');
  if (text.trim() === '' && size <= HEAD) return 'empty';
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return null;
  // ARFF: comments (%) and blank lines, then @relation.
  const firstLine = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('%'));
  if (firstLine === undefined) return null;
  if (/^@relation\b/i.test(firstLine)) return 'an ARFF file';
  if (firstLine.includes('\t')) return 'TSV text';
  if (firstLine.includes(',') || firstLine.includes(';')) return 'CSV text';
  return null;
}
