/** The probe's GET from inside the proxy container and how its answer is read (pure). */
import { expect } from "chai"
import { fetchFromProxy, parseFetch } from "../../core/docker/proxy-fetch.js"

describe("docker/proxy-fetch", () => {
  it("fetches from inside the proxy with a time limit, sending the probe's Host header when it has one", () => {
    expect(fetchFromProxy("p-proxy", "http://p-web-aaaaaaaaaaaa-1:8000/health/", 2, "www.example.com")).to.deep.equal([
      "docker",
      "exec",
      "p-proxy",
      "timeout",
      "2",
      "wget",
      "-q",
      "-S",
      "-O",
      "-",
      "--header",
      "Host: www.example.com",
      "http://p-web-aaaaaaaaaaaa-1:8000/health/",
    ])
    expect(fetchFromProxy("p-proxy", "http://127.0.0.1:80/health/", 0.2)).to.deep.equal([
      "docker",
      "exec",
      "p-proxy",
      "timeout",
      "1",
      "wget",
      "-q",
      "-S",
      "-O",
      "-",
      "http://127.0.0.1:80/health/",
    ])
  })

  it("reads the last status line, or why there was none", () => {
    expect(parseFetch(0, "  HTTP/1.1 301 Moved Permanently\n  HTTP/1.1 200 OK\n")).to.deep.equal({ status: 200 })
    expect(parseFetch(1, "wget: can't connect to remote host (172.18.0.3): Connection refused\n")).to.deep.equal({
      failure: "refused",
      error: "wget: can't connect to remote host (172.18.0.3): Connection refused",
    })
    expect(parseFetch(124, "")).to.deep.equal({ failure: "timeout", error: "no answer before the time limit" })
    expect(parseFetch(1, "wget: bad address 'p-web-1:8000'\n")).to.deep.equal({
      failure: "unreachable",
      error: "wget: bad address 'p-web-1:8000'",
    })
    expect(parseFetch(1, "")).to.deep.equal({ failure: "error", error: "wget exited 1 with no output" })
  })
})
