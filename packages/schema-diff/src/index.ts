export { quoteIdentifier, quoteLiteral, quoteQualifiedName } from './sql/quote-identifier.js'
