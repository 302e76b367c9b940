/** Pure helpers for registry addresses: which host `withRegistryAuth` needs for an image address. */

/** "registry.example.com:5000/acme/webapp:1.2" → "registry.example.com:5000"; "acme/webapp" → "docker.io". */
export function registryHost(address: string): string {
  const first = address.split("/")[0]!
  const looksLikeHost = address.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")
  return looksLikeHost ? first : "docker.io"
}

const PUBLISHED = /^(.+)@(sha256:[a-f0-9]{64})$/

/** The digest in what `publish` returned, or undefined when it carries none. */
export function publishedDigest(ref: string): string | undefined {
  return PUBLISHED.exec(ref)?.[2]
}
