import { PreTlsError } from '../pre-tls.js';
import type { MysqlErrorPacket } from './handshake.js';

/**
 * The server sent an ERR packet instead of its greeting (host not allowed, host blocked, too many
 * connections): it is reachable but will not talk to us, so TLS cannot be judged from here.
 */
export class MysqlServerRefusal extends PreTlsError {
  readonly code: number;
  readonly sqlState?: string;
  readonly serverMessage: string;

  constructor(packet: MysqlErrorPacket) {
    const state = packet.sqlState ? ` (${packet.sqlState})` : '';
    super({ kind: 'server-refused', code: packet.code, detail: `server refused the connection before TLS: MySQL error ${packet.code}${state}: ${packet.message}` });
    this.name = 'MysqlServerRefusal';
    this.code = packet.code;
    this.sqlState = packet.sqlState;
    this.serverMessage = packet.message;
  }
}
