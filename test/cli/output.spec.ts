/**
 * Where an outcome goes, as exact output: machine-readable output on stdout whatever the exit
 * code, human diagnostics on stderr, and under --json a failure as one JSON error on stdout.
 */
import { expect } from "chai"
import { failure, jsonDocument, success } from "../../core/commands/outcome.js"
import { type Printed, emit, printed, wantsJson } from "../../core/cli/output.js"

const FINDINGS = JSON.stringify(
  { findings: [{ file: "0002_widen.sql", line: 5, rule: "alter-column-type", severity: "error" }] },
  null,
  2,
)
const PROBLEM = {
  file: "environments/staging.yaml",
  line: 17,
  col: 3,
  path: "runtime.replicass",
  message: 'unknown key "replicass"; did you mean "replicas"?',
}
const PROBLEM_TEXT =
  'environments/staging.yaml:17:3 runtime.replicass: unknown key "replicass"; did you mean "replicas"?\n1 problem in environments; nothing was changed'

const CASES: { name: string; outcome: Parameters<typeof printed>[0]; json: boolean; printed: Printed }[] = [
  { name: "text success", outcome: success("ok staging"), json: false, printed: { stdout: "ok staging", exitCode: 0 } },
  {
    name: "JSON document, succeeded",
    outcome: jsonDocument(true, FINDINGS),
    json: true,
    printed: { stdout: FINDINGS, exitCode: 0 },
  },
  {
    name: "JSON document of a failed check (findings) stays on stdout",
    outcome: jsonDocument(false, FINDINGS),
    json: true,
    printed: { stdout: FINDINGS, exitCode: 1 },
  },
  {
    name: "a JSON document is stdout even without --json (lock release)",
    outcome: jsonDocument(true, "{}"),
    json: false,
    printed: { stdout: "{}", exitCode: 0 },
  },
  {
    name: "a failed report (status of an environment that is down) stays on stdout, exit 1",
    outcome: { ok: false, report: true, code: "environment-down", text: "staging\n  serving   DOWN" },
    json: false,
    printed: { stdout: "staging\n  serving   DOWN", exitCode: 1 },
  },
  {
    name: "text failure: the message on stderr",
    outcome: failure("unknown-environment", 'unknown environment "qa"'),
    json: false,
    printed: { stderr: 'unknown environment "qa"', exitCode: 1 },
  },
  {
    name: "text failure under --json: a JSON error on stdout, nothing on stderr",
    outcome: failure("unknown-environment", 'unknown environment "qa"'),
    json: true,
    printed: {
      stdout:
        '{\n  "error": {\n    "code": "unknown-environment",\n    "message": "unknown environment \\"qa\\""\n  }\n}',
      exitCode: 1,
    },
  },
  {
    name: "usage failure: exit 2, with the way to help",
    outcome: failure("usage", "plan needs --env NAME"),
    json: false,
    printed: { stderr: 'deploy-pipeline: plan needs --env NAME\nRun "deploy-pipeline help" for usage.', exitCode: 2 },
  },
  {
    name: "usage failure under --json: exit 2, the bare message",
    outcome: failure("usage", "plan needs --env NAME"),
    json: true,
    printed: {
      stdout: '{\n  "error": {\n    "code": "usage",\n    "message": "plan needs --env NAME"\n  }\n}',
      exitCode: 2,
    },
  },
  {
    name: "config problems under --json: each one located, beside code and message",
    outcome: failure("config-invalid", PROBLEM_TEXT, { problems: [PROBLEM] }),
    json: true,
    printed: {
      stdout: [
        "{",
        '  "error": {',
        '    "code": "config-invalid",',
        `    "message": ${JSON.stringify(PROBLEM_TEXT)},`,
        '    "problems": [',
        "      {",
        '        "file": "environments/staging.yaml",',
        '        "line": 17,',
        '        "col": 3,',
        '        "path": "runtime.replicass",',
        `        "message": ${JSON.stringify(PROBLEM.message)}`,
        "      }",
        "    ]",
        "  }",
        "}",
      ].join("\n"),
      exitCode: 1,
    },
  },
  {
    name: "config problems in text: the located lines only",
    outcome: failure("config-invalid", PROBLEM_TEXT, { problems: [PROBLEM] }),
    json: false,
    printed: { stderr: PROBLEM_TEXT, exitCode: 1 },
  },
  {
    name: "a failure with no code under --json reads unexpected",
    outcome: { ok: false, text: "boom" },
    json: true,
    printed: { stdout: '{\n  "error": {\n    "code": "unexpected",\n    "message": "boom"\n  }\n}', exitCode: 1 },
  },
]

describe("cli/output", () => {
  for (const c of CASES) {
    it(`printed: ${c.name}`, () => {
      expect(printed(c.outcome, c.json)).to.deep.equal(c.printed)
    })
  }

  it("wantsJson: --json, --format json and --format=json, and nothing else", () => {
    const table: [string[], boolean][] = [
      [["plan", "--env", "staging", "--json"], true],
      [["migrations", "check", "a.sql", "--format", "json"], true],
      [["migrations", "check", "a.sql", "--format=json"], true],
      [["migrations", "check", "a.sql", "--format", "text"], false],
      [["migrations", "check", "json", "--format"], false],
      [["migrations", "check", "findings.json"], false],
      [["config", "check"], false],
    ]
    expect(table.map(([argv]) => wantsJson(argv))).to.deep.equal(table.map(([, expected]) => expected))
  })

  it("emit writes only the streams printed() named, and returns its exit code", () => {
    const written: string[] = []
    const io = { stdout: (t: string) => written.push(`out ${t}`), stderr: (t: string) => written.push(`err ${t}`) }
    expect(emit(io, { stdout: "{}", exitCode: 1 })).to.equal(1)
    expect(emit(io, { stderr: "no", exitCode: 2 })).to.equal(2)
    expect(written).to.deep.equal(["out {}", "err no"])
  })
})
