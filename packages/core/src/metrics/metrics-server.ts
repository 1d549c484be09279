import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

/** Where and what {@link startMetricsServer} serves. */
export interface MetricsServerOptions {
  readonly registry: Registry
  /** TCP port; 0 picks a free one (read it back from {@link MetricsServer.port}). */
  readonly port: number
  /** Address to bind; 127.0.0.1 by default, so nothing is exposed beyond the machine unless asked. */
  readonly host?: string
}

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** The port actually bound (the chosen one when 0 was asked). */
  readonly port: number
  readonly host: string
  /** `http://host:port/metrics`. */
  readonly url: string
  /** Stops listening and drops open connections (a scraper's keep-alive would hold it open). */
  close(): Promise<void>
}

/**
 * Serves `GET /metrics` (Prometheus text format) from `registry` over plain HTTP; every other
 * path is 404. Resolves once listening.
 * @throws the listen error (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`) with the address in its message
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1'
  const { registry } = options
  const server = createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?')[0]
    if (pathname !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /metrics\n')
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end()
      return
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(request.method === 'HEAD' ? undefined : text),
      (error: unknown) =>
        response
          .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
          .end(`collecting metrics failed: ${error instanceof Error ? error.message : String(error)}\n`),
    )
  })
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(new Error(`cannot serve metrics on ${formatAddress(host, options.port)}: ${error.code ?? error.message}`, { cause: error }))
    }
    server.once('error', onError)
    server.listen(options.port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
  // a scrape that fails after listening is the scraper's problem, never the migration's
  server.on('error', () => {})
  const { port } = server.address() as AddressInfo
  let closing: Promise<void> | undefined
  return {
    port,
    host,
    url: `http://${formatAddress(host, port)}/metrics`,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}

function formatAddress(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`
}
