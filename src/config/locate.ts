/**
 * Maps a JSON path inside a parsed YAML document back to `line:col`, so every config problem can be
 * reported where the user has to fix it.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml'

export interface Position { line: number, col: number }

/**
 * Position of the value at `path`; with `atKey`, the position of the key naming it (what an "unknown key"
 * error should point at). Falls back to the deepest node that exists.
 */
export function locate (doc: Document, lineCounter: LineCounter, path: ReadonlyArray<string | number>, atKey = false): Position {
  let node: unknown = doc.contents
  let best: [number, number, number] | undefined = rangeOf(node)
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]
    const last = i === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg))
      if (pair === undefined) break
      if (last && atKey) { best = rangeOf(pair.key) ?? best; break }
      node = pair.value
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg]
    } else {
      break
    }
    best = rangeOf(node) ?? best
  }
  const offset = best?.[0] ?? 0
  const pos = lineCounter.linePos(offset)
  return { line: pos.line, col: pos.col }
}

function keyText (key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value)
  return undefined
}

function rangeOf (node: unknown): [number, number, number] | undefined {
  const n = node as Node | null | undefined
  return n?.range ?? undefined
}
