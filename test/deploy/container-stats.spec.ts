/** What status makes of `docker inspect` when containers went away between the listing and the inspect. */
import { expect } from "chai"
import { vanishedContainers } from "../../core/deploy/container-stats.js"

describe("deploy/container-stats: vanishedContainers", () => {
  it("names the containers docker no longer has, when that is all it says", () => {
    expect(
      vanishedContainers(
        "Error: No such object: shop-dev-blue_web.1.wutsofxknmm7\nError: No such object: shop-dev-blue_web.2.nl64cv7hr93d\n",
      ),
    ).to.deep.equal(["shop-dev-blue_web.1.wutsofxknmm7", "shop-dev-blue_web.2.nl64cv7hr93d"])
    expect(vanishedContainers("")).to.deep.equal([])
  })

  it("is null when docker said anything else, which stays an error", () => {
    expect(
      vanishedContainers(
        "Error: No such object: a\nCannot connect to the Docker daemon at unix:///var/run/docker.sock",
      ),
    ).to.equal(null)
  })
})
