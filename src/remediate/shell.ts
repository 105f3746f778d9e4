/** Quoting for the AWS CLI commands a plan prints, so a person can paste them into a POSIX shell. */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(value: string): string {
  if (value !== '' && SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `aws <service> <operation> --flag value ...`; array values repeat after one flag, booleans are bare flags. */
export function awsCli(service: string, operation: string, args: Record<string, string | readonly string[] | true | undefined>): string {
  const words = ['aws', service, operation];
  for (const [flag, value] of Object.entries(args)) {
    if (value === undefined) continue;
    words.push(`--${flag}`);
    if (value === true) continue;
    if (typeof value === 'string') words.push(shellQuote(value));
    else words.push(...value.map(shellQuote));
  }
  return words.join(' ');
}
