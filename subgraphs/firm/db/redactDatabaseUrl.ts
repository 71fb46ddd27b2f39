/**
 * A database URL fit for a log line or an error message: the password, if any, becomes
 * `***`. A string that does not parse as a URL keeps its scheme and host part at most.
 *
 * @example
 * redactDatabaseUrl('postgres://app:s3cret@db.example:5432/firm');
 * // → 'postgres://app:***@db.example:5432/firm'
 */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL: drop anything that looks like `user:password@`.
    return url.replace(/\/\/[^/@]*@/, '//***@');
  }
}
