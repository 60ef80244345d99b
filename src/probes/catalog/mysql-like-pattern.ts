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
