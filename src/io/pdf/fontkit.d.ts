// The part of fontkit (no bundled types) that esep uses: parse a TrueType font once, ask it for glyphs.
declare module 'fontkit' {
  export interface Font {
    postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
