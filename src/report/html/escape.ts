/**
 * Escaping for the HTML page. Every value that came from a member account (names, patterns,
 * reasons, fixes) goes through `text` before it reaches the page: the page never holds markup it
 * did not write itself.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for element content or a quoted attribute value. Quotes are escaped too, so the same
 * function is safe in both places. Control characters other than tab and newline (which HTML
 * forbids and some parsers mangle) are replaced by U+FFFD.
 */
export function text(value: unknown): string {
  return String(value ?? '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] as string)
    // eslint-disable-next-line no-control-regex -- these are exactly the characters being replaced
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
}

/** An id or class fragment made of [A-Za-z0-9_-] only (slugs, statuses); anything else is dropped. */
export function token(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '');
}
