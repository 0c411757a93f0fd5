/**
 * A strict little XML 1.0 reader for the JUnit report tests (no XML parser is installed): it throws on anything
 * not well-formed (bad nesting, unquoted or duplicate attributes, raw `<` or `&`, unknown entities, control
 * characters, more than one root) and returns the element tree.
 */
export interface XmlElement { name: string, attrs: Record<string, string>, children: XmlElement[], text: string }

const NAME = '[A-Za-z_][\\w.-]*'
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g

export function parseXml (source: string): XmlElement {
  // eslint-disable-next-line no-control-regex -- looking for control characters XML 1.0 forbids is the point
  if (/[\x00-\x08\x0B\x0C\x0E-\x1F]/.test(source)) throw new Error('control character in the document')
  let rest = source.replace(/^<\?xml[^?]*\?>\s*/, '')
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  while (rest.length > 0) {
    const lt = rest.indexOf('<')
    const text = lt === -1 ? rest : rest.slice(0, lt)
    if (text.length > 0) {
      if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root element: ${text.slice(0, 40)}`)
      if (text.replace(ENTITY, '').includes('&')) throw new Error(`raw & in text: ${text.slice(0, 40)}`)
      if (text.includes('>')) throw new Error(`raw > in text: ${text.slice(0, 40)}`)
      if (stack.length > 0) stack[stack.length - 1]!.text += decode(text)
    }
    if (lt === -1) break
    rest = rest.slice(lt)
    const close = new RegExp(`^</(${NAME})\\s*>`).exec(rest)
    if (close !== null) {
      const open = stack.pop()
      if (open?.name !== close[1]) throw new Error(`</${close[1]!}> closes <${open?.name ?? 'nothing'}>`)
      rest = rest.slice(close[0].length)
      continue
    }
    const tag = new RegExp(`^<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`).exec(rest)
    if (tag === null) throw new Error(`malformed tag at: ${rest.slice(0, 60)}`)
    const element: XmlElement = { name: tag[1]!, attrs: attributes(tag[2]!), children: [], text: '' }
    if (stack.length > 0) stack[stack.length - 1]!.children.push(element)
    else if (root !== undefined) throw new Error('more than one root element')
    else root = element
    if (tag[3] !== '/') stack.push(element)
    rest = rest.slice(tag[0].length)
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`)
  if (root === undefined) throw new Error('no root element')
  return root
}

function attributes (text: string): Record<string, string> {
  const attrs: Record<string, string> = {}
  for (const m of text.matchAll(new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g'))) {
    if (m[1]! in attrs) throw new Error(`duplicate attribute ${m[1]!}`)
    const value = m[2] ?? m[3]!
    if (value.replace(ENTITY, '').includes('&')) throw new Error(`raw & in attribute ${m[1]!}`)
    attrs[m[1]!] = decode(value)
  }
  return attrs
}

function decode (s: string): string {
  return s.replace(ENTITY, (e) => {
    const named: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" }
    if (named[e] !== undefined) return named[e]
    return String.fromCodePoint(e[2] === 'x' ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10))
  })
}

/** Every element named `name` in the tree, depth first. */
export function findAll (root: XmlElement, name: string): XmlElement[] {
  return [...(root.name === name ? [root] : []), ...root.children.flatMap((c) => findAll(c, name))]
}
