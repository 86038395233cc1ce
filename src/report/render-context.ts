// What every renderer is given besides the value it renders (pure): one signature for every format,
// `render(value, context) → string` (report/reporters.ts finds them by name).

/** chalk's levels: 0 no colour (NO_COLOR, a pipe, a file), 1 basic, 2 256 colours, 3 truecolor. */
export type ColorLevel = 0 | 1 | 2 | 3;

export interface RenderContext {
  /** The colour level of the stream the text goes to; files are always 0. */
  colorLevel: ColorLevel;
  /** The directory the result lives in, for the lines that point at it. */
  dir?: string | undefined;
}

export type Renderer<T> = (value: T, context: RenderContext) => string;

/** How files are rendered: no colour. */
export const FILE_CONTEXT: RenderContext = { colorLevel: 0 };
