/**
 * The one number syntax of the filter-pattern language: what an unquoted value (`400`, `-1.5`,
 * `+1000`, `10e-3`), a space-delimited field compared with `<`/`>`, and a metric filter's
 * metricValue must look like to be read as a number. The parser, the matcher and the metric-filter
 * link all ask here, so they cannot disagree.
 */

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Whether `text` is a number in the pattern language (no blanks around it). */
export function isNumberText(text: string): boolean {
  return NUMBER_TEXT.test(text);
}

/** The number `text` is, or undefined when it is not one. */
export function numberOfText(text: string): number | undefined {
  return NUMBER_TEXT.test(text) ? Number(text) : undefined;
}
