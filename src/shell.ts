/**
 * Text read from member accounts, made safe where trailwatch prints it as a command or a line:
 * POSIX shell quoting, AWS CLI arguments that the CLI cannot take for an option or a local file,
 * and lines without control characters. Fix commands in findings and remediation plans are both
 * built here, so a name is handled the same way wherever it appears.
 */

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes a value for a POSIX shell: it reaches the command as one argument, byte for byte. */
export function shellQuote(value: string): string {
  if (value !== '' && SAFE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** C0 controls, DEL, C1 controls and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * The text with every control character written as an escape (`\n`, `\x1b`, `\u2028`): one line
 * that a terminal shows as it is and that cannot end a shell comment.
 */
export function printable(text: string): string {
  return text.replace(CONTROL_CHARACTER, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function hasControlCharacters(text: string): boolean {
  return new RegExp(CONTROL_CHARACTER.source).test(text);
}

/** A value only a person can fill in, printed as `<name>` (not quoted: it is to be replaced). */
export interface Placeholder {
  readonly placeholder: string;
}

export function placeholder(name: string): Placeholder {
  return { placeholder: name };
}

/** A file the person writes, given to the AWS CLI as `file://<path>` (the CLI reads it). */
export interface LocalFile {
  readonly localFile: string;
}

export function localFile(path: string): LocalFile {
  return { localFile: path };
}

export type CliValue = string | readonly string[] | true | Placeholder | LocalFile | undefined;

/**
 * The AWS CLI replaces a parameter value starting with `file://` or `fileb://` by the content of
 * that local file (CLI v1 also fetches `http://`/`https://` URLs, for parameters that are not
 * URLs by nature): a name like that cannot be given on its command line.
 */
const PARAM_FILE = /^(file|fileb):\/\//i;

/** What an AWS CLI command is, when it cannot be offered, instead of the command. */
export const NO_COMMAND = 'no command:';

export function isCommand(text: string): boolean {
  return text.startsWith('aws ');
}

function isPlaceholder(value: CliValue): value is Placeholder {
  return typeof value === 'object' && value !== null && 'placeholder' in value;
}

/**
 * `aws <service> <operation> --flag value ...` with every value quoted for the shell. A value
 * starting with `-` is given as `--flag=value`, so the CLI cannot read it as an option; list values
 * follow one flag. A value the CLI would read as a local file makes the whole command
 * `no command: ...` (a sentence, not a command), as does a later list value starting with `-`.
 */
export function awsCli(service: string, operation: string, args: Record<string, CliValue>): string {
  const words = ['aws', service, operation];
  for (const [flag, value] of Object.entries(args)) {
    if (value === undefined) continue;
    if (value === true) {
      words.push(`--${flag}`);
      continue;
    }
    if (isPlaceholder(value)) {
      words.push(`--${flag}`, `<${value.placeholder}>`);
      continue;
    }
    if (typeof value === 'object' && 'localFile' in value) {
      words.push(`--${flag}`, `file://${shellQuote(value.localFile)}`);
      continue;
    }
    const values: readonly string[] = typeof value === 'string' ? [value] : value;
    const unsafe = values.find((v, i) => PARAM_FILE.test(v) || (i > 0 && v.startsWith('-')));
    if (unsafe !== undefined) {
      const why = PARAM_FILE.test(unsafe) ? 'the AWS CLI would read it as a local file' : 'the AWS CLI would read it as an option';
      return `${NO_COMMAND} the --${flag} value '${printable(unsafe)}' cannot be given to \`aws ${service} ${operation}\` (${why}): make this change in the console`;
    }
    const [first = '', ...rest] = values;
    if (first.startsWith('-')) words.push(`--${flag}=${shellQuote(first)}`);
    else words.push(`--${flag}`, shellQuote(first));
    words.push(...rest.map(shellQuote));
  }
  return words.join(' ');
}
