import { createServer } from 'node:net'

// Ports handed out by this process and not yet bound by a server: the OS may offer the
// same ephemeral port again once the probe socket is closed.
const recentlyHanded = new Set<number>()

/**
 * A TCP port on `host` that is free right now (the OS picks it). Someone may still take it
 * before the server binds it, so callers must retry on "address already in use".
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await probePort(host)
    if (recentlyHanded.has(port)) continue
    recentlyHanded.add(port)
    // Forget it later: by then a cluster has bound it or given up on it.
    setTimeout(() => recentlyHanded.delete(port), 60_000).unref()
    return port
  }
  throw new Error(`could not find a free TCP port on ${host}`)
}

function probePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : undefined
      server.close(() => (port ? resolve(port) : reject(new Error('listening socket has no port'))))
    })
  })
}
