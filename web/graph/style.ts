// The visual language moved to the pure core so the exports draw the same shapes and colours.
export * from "../../server/model/graph-style.ts";
