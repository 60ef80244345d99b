/** The errno code of a failed socket operation; with autoSelectFamily a failed connect to several addresses arrives as an AggregateError. */
export function socketErrorCode(error: NodeJS.ErrnoException): string | undefined {
  if (error.code) return error.code;
  const [first] = error instanceof AggregateError ? (error.errors as NodeJS.ErrnoException[]) : [];
  return first?.code;
}
