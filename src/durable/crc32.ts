/**
 * CRC-32 (IEEE) over bytes, for the journal's record frames. node:zlib has a native crc32 from Node 20.15; the
 * table version below keeps the journal readable on any runtime that lacks it (same polynomial, same values).
 */
import * as zlib from 'node:zlib'

let table: Uint32Array | undefined

function tableCrc32 (data: Uint8Array): number {
  if (table === undefined) {
    table = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = (c & 1) !== 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1
      table[n] = c >>> 0
    }
  }
  let crc = 0xFFFFFFFF
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xFF]! ^ (crc >>> 8)
  return (crc ^ 0xFFFFFFFF) >>> 0
}

const native = (zlib as unknown as { crc32?: (data: Uint8Array) => number }).crc32

export const crc32: (data: Uint8Array) => number = typeof native === 'function' ? (d) => native(d) >>> 0 : tableCrc32

/** Exposed for the test that checks both implementations agree. */
export { tableCrc32 }
