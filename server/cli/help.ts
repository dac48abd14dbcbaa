import type { Command } from "commander";

/** Ends a command's `--help` with examples to copy. */
export function addExamples(command: Command, examples: string[]): Command {
  return command.addHelpText("after", `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`);
}
