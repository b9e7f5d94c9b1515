/**
 * Files whose text is made in pieces, each when a writer asks for it (OutputFile.pieces): the
 * 35 MB of iptables rules for 100,000 prefixes then never exist as one string, and each piece is
 * dropped once written. Anything that reads `content` gets the whole text, joined once. Pure.
 */
import { type OutputFile } from './types.js';

/** A file made of `pieces` (called anew by each reader); `content` joins them the first time. */
export function piecedFile(name: string, mode: number, pieces: () => Iterable<string>): OutputFile {
  let content: string | undefined;
  return {
    name,
    mode,
    pieces,
    get content() {
      return (content ??= [...pieces()].join(''));
    },
  };
}

/** The text of a file in pieces: its own, or its whole content as one. */
export function piecesOf(file: Pick<OutputFile, 'content' | 'pieces'>): Iterable<string> {
  return file.pieces?.() ?? [file.content];
}

/** The file under another name, still in pieces (a spread would read its content, and join it). */
export function renamed(file: OutputFile, name: string): OutputFile {
  return file.pieces === undefined ? { ...file, name } : piecedFile(name, file.mode, file.pieces);
}

/** The UTF-8 size of a file's text, counted piece by piece. */
export function byteLength(file: Pick<OutputFile, 'content' | 'pieces'>): number {
  let bytes = 0;
  for (const piece of piecesOf(file)) bytes += Buffer.byteLength(piece);
  return bytes;
}
