/**
 * Restoring "everything but the ledger": pg_restore --exclude-schema skips the objects inside a
 * schema but still drops and creates the schema itself (and its comment), which fails under
 * --clean while the ledger's tables exist. So the restore also passes a table of contents
 * (--use-list) with those entries commented out. Pure: TOC text in, TOC text out.
 */

/** Comments out the entries for the schemas themselves: SCHEMA, and COMMENT/ACL/SECURITY LABEL on them. */
export function withoutSchemaEntries(toc: string, schemas: readonly string[]): string {
  const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")
  if (schemas.length === 0) return toc
  const names = schemas.map(escape).join("|")
  const entry = new RegExp(`^\\d+; \\d+ \\d+ (?:SCHEMA - |(?:COMMENT|ACL|SECURITY LABEL) - SCHEMA )(?:${names})(?: |$)`)
  return toc
    .split("\n")
    .map((line) => (entry.test(line) ? `;${line}` : line))
    .join("\n")
}
