/** One figure of the stress report: what was measured, its value and whether it met its target. */
export interface StressFigure {
  name: string;
  value: number | string;
  target?: string;
  ok: boolean;
}

/** A section of `npm run stress`: one kind of fault or input, with its figures. */
export interface StressSection {
  title: string;
  figures: StressFigure[];
}
