// A real SMTP server (the smtp-server package) on a random loopback port, for the delivery tests.
// It accepts every message, except:
//   - a recipient starting with "unknown" is refused at RCPT TO: 550 5.1.1 <address>: user unknown;
//   - `scripted` replies per recipient at DATA before accepting ([451] = once 451, then accept);
//   - with credentials, a login with other ones is refused: 535.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMessage {
  to: string;
  raw: Buffer;
}

export interface TestSmtpServer {
  port: number;
  /** The messages accepted, in order. */
  received: ReceivedMessage[];
  /** Per recipient, the reply codes to give at DATA before accepting; consumed one by one. */
  scripted: Map<string, number[]>;
  /** smtp://user:password@127.0.0.1:port with the server's credentials, or others (a wrong password). */
  url(credentials?: { user: string; password: string }): string;
  close(): Promise<void>;
}

export async function startSmtpServer(credentials?: { user: string; password: string }): Promise<TestSmtpServer> {
  const received: ReceivedMessage[] = [];
  const scripted = new Map<string, number[]>();
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.user && auth.password === credentials.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('unknown')) callback(Object.assign(new Error(`5.1.1 <${address.address}>: user unknown`), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo[0]?.address ?? '';
        const next = scripted.get(to)?.shift();
        if (next !== undefined) {
          callback(Object.assign(new Error(next >= 500 ? '5.7.1 refused' : '4.3.0 try again later'), { responseCode: next }));
          return;
        }
        received.push({ to, raw: Buffer.concat(chunks) });
        callback(null, 'queued as test');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    scripted,
    url(other = credentials) {
      const auth = other ? `${encodeURIComponent(other.user)}:${encodeURIComponent(other.password)}@` : '';
      return `smtp://${auth}127.0.0.1:${port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A mail server that goes silent, for the timeout tests:
 *   - no-greeting: accepts the TCP connection and never says a word;
 *   - no-data-reply: a real SMTP server that takes the whole message and never answers its end;
 *   - drop: accepts the TCP connection and closes it at once.
 * `silent` resolves once a client is connected and waiting on it (for `drop`: once one was dropped).
 */
export type SilentKind = 'no-greeting' | 'no-data-reply' | 'drop';

export interface SilentSmtpServer {
  port: number;
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  silent: Promise<void>;
  /** Closes the server and every connection it holds (a waiting client sees the connection closed). */
  close(): Promise<void>;
}

export async function startSilentSmtpServer(kind: SilentKind): Promise<SilentSmtpServer> {
  let connections = 0;
  const sockets = new Set<Socket>();
  let markSilent = () => {};
  const silent = new Promise<void>((resolve) => (markSilent = resolve));
  const track = (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  };
  let listening: Server;
  let smtpServer: SMTPServer | undefined;
  if (kind === 'no-data-reply') {
    smtpServer = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // on close, the connections still open are ended at once (with a 421), not after 30 s
      closeTimeout: 1,
      onConnect(_session, callback) {
        connections++;
        callback();
      },
      onData(stream) {
        stream.on('data', () => {});
        stream.on('end', () => markSilent());
      },
    });
    listening = smtpServer.server;
  } else {
    listening = createServer((socket) => {
      track(socket);
      if (kind === 'drop') socket.destroy();
      markSilent();
    });
  }
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const port = (listening.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    connections: () => connections,
    silent,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (smtpServer) smtpServer.close(() => resolve());
        else listening.close(() => resolve());
      }),
  };
}
