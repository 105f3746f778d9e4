/**
 * A report's JSON without its whole text in memory: a report of 10,000 accounts is a JSON text of
 * about 150 MB (twice that in memory once one character is not Latin-1), held beside the report
 * itself. Asking whether it fits in one SNS message or a Lambda response, and writing it to S3,
 * take it a piece at a time.
 */

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Whether JSON.stringify(value) is at most `limit` UTF-8 bytes. The object's own arrays are
 * measured an item at a time and the measuring stops once past the limit, so the cost is bounded
 * by the limit, not by the value. Exact: an array's text is its items' texts, commas between.
 */
export function jsonFitsWithin(value: object, limit: number): boolean {
  const arrays = Object.entries(value).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
  const shell = { ...value, ...Object.fromEntries(arrays.map(([key]) => [key, []])) };
  let bytes = utf8Bytes(JSON.stringify(shell));
  if (bytes > limit) return false;
  for (const [, items] of arrays) {
    for (const [index, item] of items.entries()) {
      // JSON.stringify writes an item that has no JSON (undefined, a function) as null.
      bytes += utf8Bytes(JSON.stringify(item) ?? 'null') + (index > 0 ? 1 : 0);
      if (bytes > limit) return false;
    }
  }
  return true;
}

/**
 * JSON.stringify(value), the same text, in pieces: the object's own arrays an item at a time, so
 * a report can be written (to S3) without its whole text in memory at once. A value with its own
 * toJSON is written whole.
 */
export function* jsonPieces(value: object): Generator<string> {
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || Array.isArray(value)) {
    yield JSON.stringify(value);
    return;
  }
  let first = true;
  yield '{';
  for (const [key, field] of Object.entries(value)) {
    // JSON.stringify leaves out properties that have no JSON.
    if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (!Array.isArray(field)) {
      yield JSON.stringify(field);
      continue;
    }
    yield '[';
    for (const [index, item] of field.entries()) yield `${index > 0 ? ',' : ''}${JSON.stringify(item) ?? 'null'}`;
    yield ']';
  }
  yield '}';
}

/** The UTF-8 bytes of jsonPieces(value), counted without keeping them. */
export function jsonByteLength(value: object): number {
  let bytes = 0;
  for (const piece of jsonPieces(value)) bytes += utf8Bytes(piece);
  return bytes;
}
