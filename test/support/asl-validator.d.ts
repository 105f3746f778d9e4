/** asl-validator ships no types: the part the tests use. */
declare module 'asl-validator' {
  interface Validation {
    readonly isValid: boolean;
    readonly errors: { message: string }[];
    errorsText(separator?: string): string;
  }
  export default function aslValidator(definition: unknown): Validation;
}
