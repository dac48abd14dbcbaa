import { h } from "../dom.ts";

/** A rule ID (docker-reachability.md) as a small badge; the sentence that cites it is its title. */
export function ruleBadge(rule: string, text?: string): HTMLElement {
  return h("span", { class: "rule", title: text ?? `rule ${rule} of docker-reachability.md` }, rule);
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
