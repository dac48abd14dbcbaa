import { ruleAnchor } from "../../server/model/reachability/index.ts";
import { h } from "../dom.ts";

/** Where a rule's entry of docs/rules.md is: the rules page the server builds from it. */
export const ruleHref = (rule: string): string => `/rules#${ruleAnchor(rule)}`;

/**
 * A rule ID as a small badge linking to its entry in the rules reference; the sentence that cites it is its
 * title. A plain click opens the driver panel at the rule instead (web/teach/index.ts).
 */
export function ruleBadge(rule: string, text?: string): HTMLElement {
  return h(
    "a",
    {
      class: "rule",
      href: ruleHref(rule),
      target: "_blank",
      title: text ?? `rule ${rule}: open its entry in the rules reference`,
    },
    rule,
  );
}

/** A button copying `text` to the clipboard, saying so when done. */
export function copyButton(text: string): HTMLButtonElement {
  const button = h("button", { type: "button", class: "copy", "aria-label": "Copy the command" }, "Copy");
  button.addEventListener("click", () => {
    const done = (label: string): void => {
      button.textContent = label;
      setTimeout(() => (button.textContent = "Copy"), 1500);
    };
    if (!navigator.clipboard) return done("Select and copy");
    navigator.clipboard.writeText(text).then(
      () => done("Copied"),
      () => done("Select and copy"),
    );
  });
  return button;
}

/** A spinner that says what it waits for to screen readers. */
export function spinner(label: string): HTMLElement {
  return h("span", { class: "spinner", role: "status", "aria-label": label });
}
