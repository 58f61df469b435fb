// A strict well-formedness check of the XML the JUnit writer produces (elements, quoted
// attributes, the five predefined entities, XML 1.0 characters): enough to parse it back.
const XML_CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function xmlUnescape(s: string): string {
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(s)) throw new Error(`bad entity in ${JSON.stringify(s)}`);
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

export function parseXml(doc: string): XmlElement {
  if (!XML_CHAR.test(doc)) throw new Error("a character XML 1.0 forbids");
  const body = doc.replace(/^<\?xml [^?]*\?>\s*/, "");
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack = [root];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[A-Za-z][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < body.length) {
    token.lastIndex = at;
    m = token.exec(body);
    if (!m) throw new Error(`not well-formed at ${at}: ${JSON.stringify(body.slice(at, at + 40))}`);
    at = token.lastIndex;
    const top = stack[stack.length - 1] as XmlElement;
    if (m[5] !== undefined) {
      top.text += xmlUnescape(m[5]);
      continue;
    }
    if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const a of (m[3] ?? "").matchAll(/([A-Za-z][\w.-]*)="([^"]*)"/g)) attributes[a[1] as string] = xmlUnescape(a[2] as string);
    const el: XmlElement = { name: m[2] as string, attributes, children: [], text: "" };
    top.children.push(el);
    if (!m[4]) stack.push(el);
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error("unclosed elements or more than one root");
  return root.children[0] as XmlElement;
}
