/**
 * Reads the reports the test stage writes: unittest-xml-reporting's JUnit XML and coverage.py's
 * Cobertura XML. Both are flat, generated files, so their attributes are read with a pattern; no
 * XML library is needed.
 */

const attributes = (tag: string): Record<string, string> =>
  Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]))

export interface JunitSummary {
  /** Sums of the <testsuite> attributes. */
  tests: number
  failures: number
  errors: number
  skipped: number
  /** "module.Class.test_name" of every <testcase>. */
  testcases: string[]
}

export function readJunit(xml: string): JunitSummary {
  const suites = [...xml.matchAll(/<testsuite\s([^>]*)>/g)].map((m) => attributes(m[1]!))
  if (suites.length === 0) throw new Error("no <testsuite> in the JUnit XML")
  const sum = (name: string) => suites.reduce((total, suite) => total + Number(suite[name] ?? 0), 0)
  const testcases = [...xml.matchAll(/<testcase\s([^>]*?)\/?>/g)]
    .map((m) => attributes(m[1]!))
    .map((c) => `${c.classname}.${c.name}`)
  return { tests: sum("tests"), failures: sum("failures"), errors: sum("errors"), skipped: sum("skipped"), testcases }
}

/** Total coverage as `coverage report` prints it: covered lines and branches over all of them, in percent. */
export function coveragePercent(xml: string): number {
  const root = xml.match(/<coverage\s([^>]*)>/)
  if (!root) throw new Error("no <coverage> element in the coverage XML")
  const a = attributes(root[1]!)
  const covered = Number(a["lines-covered"]) + Number(a["branches-covered"] ?? 0)
  const valid = Number(a["lines-valid"]) + Number(a["branches-valid"] ?? 0)
  return (100 * covered) / valid
}
