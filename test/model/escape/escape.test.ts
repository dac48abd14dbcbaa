/** One escape per destination, table-driven: what each destination reads specially, and what stays. */
import { describe, expect, it } from "vitest";
import { hasBidi, markBidi } from "../../../server/model/escape/bidi.ts";
import { visibleText } from "../../../server/model/escape/controls.ts";
import { dotString } from "../../../server/model/escape/dot.ts";
import { inertJson, stringifyJson } from "../../../server/model/escape/json.ts";
import { mdCode, mdText } from "../../../server/model/escape/markdown.ts";
import { escapeMermaid, mermaidTitle } from "../../../server/model/escape/mermaid.ts";
import { escapeTerminal } from "../../../server/model/escape/terminal.ts";
import { escapeXml } from "../../../server/model/escape/xml.ts";

const ESC = "\u001b";

describe("markBidi", () => {
  it.each([
    ["abc\u202egpj.exe", "abc⟪U+202E⟫gpj.exe"],
    ["\u2066x\u2069", "⟪U+2066⟫x⟪U+2069⟫"],
    ["\u200e\u200f\u061c", "⟪U+200E⟫⟪U+200F⟫⟪U+061C⟫"],
    ["\u202a\u202b\u202c\u202d", "⟪U+202A⟫⟪U+202B⟫⟪U+202C⟫⟪U+202D⟫"],
    ["café 名前 🐳 עברית", "café 名前 🐳 עברית"],
  ])("%j", (input, shown) => {
    expect(markBidi(input)).toBe(shown);
    expect(hasBidi(markBidi(input))).toBe(false);
  });
});

describe("visibleText and escapeTerminal", () => {
  it.each([
    [`${ESC}[31mred${ESC}[0m`, "\\x1b[31mred\\x1b[0m"],
    [
      `${ESC}]8;;https://evil.example\u0007link${ESC}]8;;\u0007`,
      "\\x1b]8;;https://evil.example\\x07link\\x1b]8;;\\x07",
    ],
    ["safe\rEVIL", "safe\\x0dEVIL"],
    ["abc\b\bx", "abc\\x08\\x08x"],
    ["\u009b31m", "\\x9b31m"],
    ["a\u0000b\u007f", "a\\x00b\\x7f"],
    ["x\u202ey", "x⟪U+202E⟫y"],
  ])("%j", (input, shown) => {
    expect(visibleText(input)).toBe(shown);
    expect(escapeTerminal(input)).toBe(shown);
  });

  it("keeps line breaks, tabs and ordinary Unicode in terminal text", () => {
    expect(escapeTerminal("a\tb\nΩ 名前 🐳\n")).toBe("a\tb\nΩ 名前 🐳\n");
    expect(visibleText("a\tb\n")).toBe("a\\x09b\\x0a");
  });
});

describe("inertJson", () => {
  it.each(["\u009b31m", "x\u202ey", "\u2028", "a\u007fb", `${ESC}[1m`])("%j parses back exactly", (value) => {
    const text = stringifyJson({ name: value });
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2028]/);
    expect(JSON.parse(text)).toEqual({ name: value });
  });
  it("leaves other text alone", () => expect(inertJson('{"a":"café"}')).toBe('{"a":"café"}'));
});

describe("escapeMermaid", () => {
  it.each([
    [`%%{init: {"theme":"dark"}}%%`, "#37;#37;{init: {#quot;theme#quot;:#quot;dark#quot;}}#37;#37;"],
    ['a"]\nclick x href "javascript:1"', "a#quot;] click x href #quot;javascript:1#quot;"],
    ["<b>#`", "#lt;b#gt;#35;#96;"],
    ["a & b", "a #amp; b"],
    ["x\u202e", "x⟪U+202E⟫"],
  ])("%j", (input, escaped) => expect(escapeMermaid(input)).toBe(escaped));

  it("titles carry no %% and stay one JSON string", () => {
    expect(mermaidTitle("%%{init: {}}%%\nx")).toBe('"％％{init: {}}％％\\\\x0ax"');
  });
});

describe("dotString", () => {
  it.each([
    ['a"b', '"a\\"b"'],
    ["a\\b", '"a\\\\b"'],
    ["a\nb\r\nc", '"a\\nb\\nc"'],
    ["<<b>x</b>>", '"<<b>x</b>>"'],
    [`${ESC}[1m`, '"\\\\x1b[1m"'],
    ["x\u202e", '"x⟪U+202E⟫"'],
  ])("%j", (input, quoted) => expect(dotString(input)).toBe(quoted));
});

describe("mdText and mdCode", () => {
  it.each([
    ["a|b", "a\\|b"],
    ["[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"],
    ["<img src=x>", "\\<img src=x\\>"],
    ["*em* _u_ ~~d~~ # h", "\\*em\\* \\_u\\_ \\~\\~d\\~\\~ \\# h"],
    ["&#x202e;", "\\&\\#x202e;"],
    ["https://x.example www.x.example a@b.c", "https\\://x.example www\\.x.example a\\@b.c"],
    ["![i](u)", "\\!\\[i\\](u)"],
    ["a\nb", "a b"],
  ])("text %j", (input, escaped) => expect(mdText(input)).toBe(escaped));

  it.each([
    ["plain", "`plain`"],
    ["a`b", "``a`b``"],
    ["``x```", "```` ``x``` ````"],
    ["a|b", "`a\\|b`"],
    ["x\u202e", "`x⟪U+202E⟫`"],
  ])("code %j", (input, code) => expect(mdCode(input)).toBe(code));
});

describe("escapeXml", () => {
  it.each([
    [`<script>"&'`, "&lt;script&gt;&quot;&amp;&#39;"],
    [`a${ESC}b\u0000`, "a\\x1bb\\x00"],
    ["a\nb\tc", "a\nb\tc"],
    ["\uffff", "\ufffd"],
    ["x\u202e", "x⟪U+202E⟫"],
  ])("%j", (input, escaped) => expect(escapeXml(input)).toBe(escaped));
});
