// Text for an HTML page: every string that comes from the user (column names, file names,
// seeds) goes through escapeHtml, in element content and in attribute values alike.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` with & < > " and ' as entities: safe in element content and in quoted attributes. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A number as the page shows it: `digits` decimals, or a dash for NaN. */
export function formatNumber(value: number, digits = 3): string {
  return Number.isNaN(value) ? '–' : value.toFixed(digits);
}

/** A table: a header row and body rows of cells already escaped (or built from escaped text). */
export function htmlTable(header: string[], rows: string[][], className = ''): string {
  const head = `<tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`);
  const cls = className ? ` class="${className}"` : '';
  return `<table${cls}><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}
