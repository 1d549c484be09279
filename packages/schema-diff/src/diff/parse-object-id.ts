import type { ObjectId } from '../model/schema-model.js'
import type { QualifiedName } from './operation.js'

/**
 * The schema and name an id spells (`table:sales."Order Items"` → sales, Order Items), for ids
 * of objects that are not in the model at hand (a referenced table outside the selection).
 * Function ids lose their argument list.
 */
export function parseObjectId(id: ObjectId): QualifiedName {
  const parts = splitQuotedName(id.slice(id.indexOf(':') + 1))
  const name = parts[1] ?? parts[0] ?? ''
  return { schema: parts.length > 1 ? (parts[0] ?? '') : '', name }
}

// Identifiers separated by dots, each bare or double-quoted with "" for a quote; stops at the
// first character that cannot continue a name (the `(` of a function's arguments).
function splitQuotedName(text: string): string[] {
  const parts: string[] = []
  let position = 0
  while (position < text.length) {
    let part = ''
    if (text[position] === '"') {
      position++
      while (position < text.length) {
        if (text[position] === '"') {
          if (text[position + 1] === '"') {
            part += '"'
            position += 2
            continue
          }
          position++
          break
        }
        part += text[position]
        position++
      }
    } else {
      while (position < text.length && text[position] !== '.' && text[position] !== '(') {
        part += text[position]
        position++
      }
    }
    parts.push(part)
    if (text[position] !== '.') break
    position++
  }
  return parts
}
