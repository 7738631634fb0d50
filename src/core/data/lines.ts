/**
 * The lines of a text file, for the readers: a leading byte order mark is dropped, and a line
 * ends at CRLF, LF or a lone CR (old Mac files), so every common line ending reads the same.
 * Other Unicode separators (U+2028, U+2029) are not line ends: as in pandas and Python's csv
 * module, they stay in the line, where trimming treats them as spaces.
 */
export function splitLines(text: string): string[] {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/);
}
