import { readFileSync } from "node:fs";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { createServer } from "node:tls";
import type { TlsFiles } from "./tls-certs.ts";

/**
 * A TLS-terminating forwarder to an engine's unix socket, as `dockerd --tlsverify` serves: the server presents
 * its certificate and requires a client certificate signed by the CA; each connection is piped to the socket.
 */
export async function startTlsForwarder(
  files: TlsFiles,
  socketPath: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(
    {
      ca: readFileSync(files.ca),
      cert: readFileSync(files.serverCert),
      key: readFileSync(files.serverKey),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (client) => {
      const engine = connect(socketPath);
      client.pipe(engine).pipe(client);
      const end = () => {
        client.destroy();
        engine.destroy();
      };
      client.on("error", end).on("close", end);
      engine.on("error", end).on("close", end);
    },
  );
  // A refused handshake (wrong CA, no client certificate) is what the tests provoke; it is not a failure here.
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `tcp://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
