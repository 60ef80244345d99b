/** A usage or configuration mistake: the CLI prints the message (naming the field or flag) and exits 2. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    expected: string,
  ) {
    super(`${field}: ${expected}`);
    this.name = 'ConfigError';
  }
}
