/** Editing pg_restore's table of contents to keep the ledger schema. */
import { expect } from "chai"
import { withoutSchemaEntries } from "../../core/backup/toc.js"

const TOC = [
  ";",
  "; Selected TOC Entries:",
  ";",
  "6; 2615 19694 SCHEMA - deploy_pipeline postgres",
  "3363; 0 0 COMMENT - SCHEMA deploy_pipeline postgres",
  "7; 2615 19710 SCHEMA - deploy_pipeline_old postgres",
  "8; 2615 19711 SCHEMA - audit",
  "217; 1259 19696 TABLE deploy_pipeline deploys postgres",
  "218; 1259 19702 TABLE public shop_order postgres",
  "",
].join("\n")

describe("backup/toc", () => {
  it("comments out only the kept schemas' own entries, by exact name", () => {
    expect(withoutSchemaEntries(TOC, ["deploy_pipeline", "audit"])).to.equal(
      [
        ";",
        "; Selected TOC Entries:",
        ";",
        ";6; 2615 19694 SCHEMA - deploy_pipeline postgres",
        ";3363; 0 0 COMMENT - SCHEMA deploy_pipeline postgres",
        "7; 2615 19710 SCHEMA - deploy_pipeline_old postgres",
        ";8; 2615 19711 SCHEMA - audit",
        "217; 1259 19696 TABLE deploy_pipeline deploys postgres",
        "218; 1259 19702 TABLE public shop_order postgres",
        "",
      ].join("\n"),
    )
    expect(withoutSchemaEntries(TOC, [])).to.equal(TOC)
  })
})
