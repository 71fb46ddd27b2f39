/** Formatting of paths into a configuration document: `database.url`, `firms[2].port`. */

/**
 * A path as a dotted key: identifiers joined by dots, indexes in brackets, other names quoted.
 *
 * @example
 * ```ts
 * formatConfigPath(['firms', 2, 'port']); // 'firms[2].port'
 * formatConfigPath(['labels', 'a b']);    // 'labels["a b"]'
 * ```
 */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  let key = '';
  for (const segment of path) {
    if (typeof segment === 'number') key += `[${segment}]`;
    else if (typeof segment === 'symbol') key += `[${String(segment)}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) key += key === '' ? segment : `.${segment}`;
    else key += `[${JSON.stringify(segment)}]`;
  }
  return key;
}
