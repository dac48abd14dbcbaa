/** POSIX shell quoting: every engine-provided string in a command reachgraph prints passes through here. */

const BARE = /^[A-Za-z0-9_./:@%+=,-]+$/;

/**
 * One shell word that `sh` reads back as exactly `word`: bare when it holds only characters no shell treats
 * specially, else single-quoted, with each `'` written as `'\''` (nothing is special inside single quotes).
 */
export function quoteShell(word: string): string {
  return BARE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line from its words, each quoted by {@link quoteShell}. */
export function shellCommand(...words: string[]): string {
  return words.map(quoteShell).join(" ");
}
