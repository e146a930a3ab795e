/**
 * Test PKI generated with the `openssl` CLI: a CA, a server certificate (for 127.0.0.1/localhost
 * unless told otherwise) signed by it, an unrelated second CA, the CA as an OpenSSL `TRUSTED CERTIFICATE` and a CRL.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as https from "node:https"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"

export interface TestCa {
  readonly dir: string
  readonly caPem: string
  readonly caPath: string
  readonly otherCaPath: string
  readonly trustedPath: string
  readonly crlPath: string
  readonly serverKey: string
  readonly serverCert: string
  readonly write: (name: string, contents: string) => string
  readonly cleanup: () => void
}

const openssl = (cwd: string, ...args: Array<string>) => execFileSync("openssl", args, { cwd, stdio: "pipe" })

const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
const caExt = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]

/** Who the server certificate is for; default `localhost` / 127.0.0.1. */
export interface ServerName {
  readonly commonName: string
  readonly subjectAltName: string
}

const localhost: ServerName = { commonName: "localhost", subjectAltName: "DNS:localhost,IP:127.0.0.1" }

export const makeTestCa = (server: ServerName = localhost): TestCa => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "codex-ca-"))
  openssl(
    dir,
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=Codex Test CA",
    ...caExt
  )
  openssl(
    dir,
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "other.key",
    "-out",
    "other.pem",
    "-days",
    "2",
    "-subj",
    "/CN=Other CA",
    ...caExt
  )
  openssl(dir, "req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${server.commonName}`)
  fs.writeFileSync(
    path.join(dir, "server.ext"),
    `basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=${server.subjectAltName}\n`
  )
  openssl(
    dir,
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "server.ext"
  )
  openssl(dir, "x509", "-in", "ca.pem", "-trustout", "-addtrust", "serverAuth", "-out", "trusted.pem")
  fs.writeFileSync(
    path.join(dir, "ca.cnf"),
    "[ca]\ndefault_ca=CA_default\n[CA_default]\ndatabase=index.txt\ncrlnumber=crlnumber\ndefault_md=sha256\ndefault_crl_days=1\n"
  )
  fs.writeFileSync(path.join(dir, "index.txt"), "")
  fs.writeFileSync(path.join(dir, "crlnumber"), "01\n")
  openssl(dir, "ca", "-config", "ca.cnf", "-gencrl", "-keyfile", "ca.key", "-cert", "ca.pem", "-out", "crl.pem")
  const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8")
  return {
    dir,
    caPem: read("ca.pem"),
    caPath: path.join(dir, "ca.pem"),
    otherCaPath: path.join(dir, "other.pem"),
    trustedPath: path.join(dir, "trusted.pem"),
    crlPath: path.join(dir, "crl.pem"),
    serverKey: read("server.key"),
    serverCert: read("server.pem"),
    write: (name, contents) => {
      const file = path.join(dir, name)
      fs.writeFileSync(file, contents)
      return file
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true })
  }
}

export interface TlsServer {
  readonly port: number
  /** Bodies received by `POST /oauth/token`. */
  readonly bodies: Array<string>
  readonly close: () => Promise<void>
}

/** A TLS 1.3-only HTTPS server on 127.0.0.1 answering every request with `{"ok":true}`. */
export const startTlsServer = (ca: TestCa): Promise<TlsServer> =>
  new Promise((resolve) => {
    const bodies: Array<string> = []
    const server = https.createServer(
      { key: ca.serverKey, cert: ca.serverCert, minVersion: "TLSv1.3", maxVersion: "TLSv1.3" },
      (req, res) => {
        let body = ""
        req.setEncoding("utf8")
        req.on("data", (chunk: string) => {
          body += chunk
        })
        req.on("end", () => {
          if (req.url === "/oauth/token") bodies.push(body)
          res.writeHead(200, { "content-type": "application/json" })
          res.end('{"ok":true}')
        })
      }
    )
    server.listen(0, "127.0.0.1", () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        bodies,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
