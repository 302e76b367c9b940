/** Containers' addresses on the project network, as the compose driver reads them for HAProxy (pure). */
import { expect } from "chai"
import { containerAddresses, parseContainerAddresses } from "../../core/docker/addresses.js"

describe("docker/addresses", () => {
  it("inspects each container's name, state, one label and its address on the network", () => {
    expect(containerAddresses("p-net", "deploy-pipeline.colour", ["p-web-a-1", "p-web-a-2"])).to.deep.equal([
      "docker",
      "container",
      "inspect",
      "--format",
      '{{.Name}}\t{{.State.Status}}\t{{index .Config.Labels "deploy-pipeline.colour"}}\t{{with index .NetworkSettings.Networks "p-net"}}{{.IPAddress}}{{end}}',
      "p-web-a-1",
      "p-web-a-2",
    ])
  })

  it("parses one line per container; a stopped one has no address", () => {
    expect(
      parseContainerAddresses("/p-web-a-1\trunning\tblue\t172.18.0.4\n/p-web-a-2\texited\tgreen\t\n\n"),
    ).to.deep.equal([
      { name: "p-web-a-1", state: "running", label: "blue", address: "172.18.0.4" },
      { name: "p-web-a-2", state: "exited", label: "green", address: "" },
    ])
  })
})
