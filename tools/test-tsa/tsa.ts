// A local RFC 3161 time stamping authority for tests and local runs: an HTTP server on
// 127.0.0.1 that answers TimeStampReq with a TimeStampResp made by `openssl ts -reply`, signed
// by a throwaway ECDSA key whose certificate (extendedKeyUsage critical timeStamping) is issued
// by a throwaway root. Using OpenSSL rather than the client's own library means the client is
// tested against an independent implementation. It never talks to an outside host.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

/** Ways the TSA can misbehave, for the client's unhappy paths. */
export type TsaFault =
  | "rejection" // status rejection (2), no token
  | "wrong-nonce" // a valid token for another nonce
  | "wrong-imprint" // a valid token for another hash
  | "garbage" // a body that is not DER
  | "http-500";

export interface TestTsa {
  url: string;
  /** The root the TSA's certificate chains to: the trust anchor for verification. */
  certPem: string;
  /** Set to make the following answers misbehave; null answers correctly. */
  fault: TsaFault | null;
  /** How many requests it has answered. */
  requests: number;
  close(): Promise<void>;
}

const TSA_CONFIG = (dir: string) => `
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ${dir}/serial
crypto_device = builtin
signer_cert = ${dir}/tsa.pem
certs = ${dir}/ca.pem
signer_key = ${dir}/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

const execFileAsync = promisify(execFile);
const openssl = (dir: string, args: string[]) =>
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });

/** A throwaway root and TSA certificate (valid two days) in `dir`. */
function makeKeys(dir: string) {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(dir, [
    ...["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2"],
    ...["-subj", "/CN=PQSeal test TSA root"],
    ...["-addext", "basicConstraints=critical,CA:TRUE"],
    ...["-addext", "keyUsage=critical,keyCertSign"],
  ]);
  openssl(dir, [
    ...["req", "-new", ...ec, "-keyout", "tsa.key", "-out", "tsa.csr"],
    ...["-subj", "/CN=PQSeal test TSA"],
  ]);
  writeFileSync(
    path.join(dir, "tsa.ext"),
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n" +
      "extendedKeyUsage=critical,timeStamping\n",
  );
  openssl(dir, [
    ...["x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key"],
    ...["-set_serial", "2", "-out", "tsa.pem", "-days", "2", "-extfile", "tsa.ext"],
  ]);
  writeFileSync(path.join(dir, "serial"), "01\n");
  writeFileSync(path.join(dir, "tsa.cnf"), TSA_CONFIG(dir));
}

/** The query with its nonce or hash changed, so OpenSSL signs a token for something else. */
function altered(query: Buffer, fault: TsaFault | null): Uint8Array {
  if (fault !== "wrong-nonce" && fault !== "wrong-imprint") return query;
  const req = pkijs.TimeStampReq.fromBER(new Uint8Array(query));
  if (fault === "wrong-nonce") req.nonce = asn1js.Integer.fromBigInt(424242n);
  else
    req.messageImprint = new pkijs.MessageImprint({
      hashAlgorithm: req.messageImprint.hashAlgorithm,
      hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(32).fill(7) }),
    });
  return new Uint8Array(req.toSchema().toBER());
}

function rejection(): Uint8Array {
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.rejection }),
  });
  return new Uint8Array(resp.toSchema().toBER());
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startTestTsa(options: { port?: number } = {}): Promise<TestTsa> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pqseal-test-tsa-"));
  makeKeys(dir);
  let counter = 0;

  // One `openssl ts -reply` per request, each with its own files (the serial file is
  // OpenSSL's; requests are few).
  const reply = async (query: Uint8Array) => {
    const n = ++counter;
    const queryFile = path.join(dir, `q${n}.tsq`);
    const replyFile = path.join(dir, `r${n}.tsr`);
    writeFileSync(queryFile, query);
    await execFileAsync(
      "openssl",
      ["ts", "-reply", "-config", "tsa.cnf", "-queryfile", queryFile, "-out", replyFile],
      { cwd: dir },
    );
    return readFileSync(replyFile);
  };

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const query = await readBody(req);
        tsa.requests += 1;
        if (
          req.method !== "POST" ||
          req.headers["content-type"] !== "application/timestamp-query"
        ) {
          res.writeHead(400).end();
          return;
        }
        const fault = tsa.fault;
        if (fault === "http-500") {
          res.writeHead(500).end();
          return;
        }
        const body =
          fault === "rejection"
            ? rejection()
            : fault === "garbage"
              ? Buffer.from("not a time-stamp response")
              : await reply(altered(query, fault));
        res.writeHead(200, { "content-type": "application/timestamp-reply" }).end(body);
      } catch {
        res.writeHead(500).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const tsa: TestTsa = {
    url: `http://127.0.0.1:${port}/tsa`,
    certPem: readFileSync(path.join(dir, "ca.pem"), "utf8"),
    fault: null,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
  return tsa;
}
