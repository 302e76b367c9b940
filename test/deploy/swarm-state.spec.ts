/** Reading services and tasks from docker's output, and judging whether a service has converged (pure). */
import { expect } from "chai"
import { convergence, parseServices, parseTasks } from "../../core/deploy/swarm-state.js"

describe("deploy/swarm-state", () => {
  const D = `sha256:${"b".repeat(64)}`

  it("reads services with their release labels; zero replicas reads as kept (exited); unlabelled services are ignored", () => {
    expect(
      parseServices(`p-blue_web\t0\t${D}\tv1\tblue\t3\np-green_web\t2\t${D}\tv2\tgreen\t4\nother\t1\t\t\t\t\n`),
    ).to.deep.equal([
      {
        id: "p-blue_web",
        name: "p-blue_web",
        replicas: 0,
        state: "exited",
        digest: D,
        version: "v1",
        colour: "blue",
        deployId: 3,
      },
      {
        id: "p-green_web",
        name: "p-green_web",
        replicas: 2,
        state: "running",
        digest: D,
        version: "v2",
        colour: "green",
        deployId: 4,
      },
    ])
  })

  it("names each task by its container name (service.slot.id), the DNS name the gate probes", () => {
    expect(
      parseTasks("p-green_web.1\tabc\tRunning 3 seconds ago\t\np-green_web.2\tdef\tStarting 1 second ago\t\n"),
    ).to.deep.equal([
      { host: "p-green_web.1.abc", state: "Running 3 seconds ago", error: "" },
      { host: "p-green_web.2.def", state: "Starting 1 second ago", error: "" },
    ])
  })

  it("converges when every wanted task runs and there are enough; otherwise says what the tasks do and why the last one stopped", () => {
    const running = parseTasks("s.1\ta\tRunning 3 seconds ago\t\ns.2\tb\tRunning 2 seconds ago\t\n")
    expect(convergence("s", 2, running, [], 7)).to.deep.equal({ ok: true, target: "swarm service s", ms: 7 })
    const starting = parseTasks("s.1\ta\tRunning 3 seconds ago\t\ns.2\tc\tStarting 1 second ago\t\n")
    const stopped = parseTasks(
      "s.2\tb\tComplete 4 seconds ago\t\ns.2\tx\tFailed 9 seconds ago\ttask: non-zero exit (137): dockerexec: unhealthy container\n",
    )
    expect(convergence("s", 2, starting, stopped, 7)).to.deep.equal({
      ok: false,
      target: "swarm service s",
      ms: 7,
      failure: "unhealthy",
      error:
        "1 of 2 tasks running and healthy (s.1 Running 3 seconds, s.2 Starting 1 second); last stopped task: task: non-zero exit (137): dockerexec: unhealthy container",
    })
    expect(convergence("s", 1, [], [], 1).error).to.equal("0 of 1 tasks running and healthy (no tasks yet)")
  })
})
