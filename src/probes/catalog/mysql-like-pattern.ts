/**
 * A MySQL/MariaDB LIKE pattern as the server applies it to the host and database parts of its
 * grant tables: % any run, _ one character, a backslash escapes the next character, letter case
 * ignored (for database names, as on servers with lower_case_table_names: a grant is then never
 * missed, at worst one holder too many).
 */
export function mysqlLikePattern(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index];
    if (character === '\\' && index + 1 < pattern.length) source += escapeRegExp(pattern[++index]);
    else if (character === '%') source += '.*';
    else if (character === '_') source += '.';
    else source += escapeRegExp(character);
  }
  return new RegExp(`^${source}$`, 'is');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Whether two account host patterns may match one client host: a mysql.db row for any user name
 * holds for an account only when a login as that account can come from a host the row's Host
 * matches. Leans to yes (each is tried as a pattern against the other written out), so a grant is
 * never dropped from an account that may log in from where it applies.
 */
export function hostPatternsMeet(first: string, second: string): boolean {
  if (first === '' || second === '') return true;
  return mysqlLikePattern(first).test(second) || mysqlLikePattern(second).test(first);
}
